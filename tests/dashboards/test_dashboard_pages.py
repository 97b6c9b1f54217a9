"""What the dashboards show: the AI-fabriek figures in the page and in the charts' figure data."""

import re
from datetime import date
from decimal import Decimal

import pytest

from funding.dashboards.builders import programme_dashboard
from funding.models import ContributionStatus, MilestoneStatus, StatusChange
from tests.support.factories import (
    ContributionFactory,
    DateEstimateFactory,
    MilestoneFactory,
    PaymentFactory,
    ProgrammeFactory,
)
from tests.support.pages import figure, html_in, trace

pytestmark = pytest.mark.django_db
DASHBOARD = "/dashboard/ai-fabriek-groningen/"


def test_dashboard_shows_the_aifabriek_kpis_in_english(staff_client, aifabriek):
    html = html_in(staff_client, DASHBOARD)
    kpis = re.findall(r'<span class="kpi__value">(.*?)</span>', html)
    assert kpis == [
        "€200,000,000",
        "€130,000,000",
        "€70,000,000",
        "€0",
        "€70,000,000",
        "65%",
    ]


def test_dashboard_shows_the_aifabriek_kpis_in_dutch(staff_client, aifabriek):
    html = html_in(staff_client, DASHBOARD, "nl")
    kpis = re.findall(r'<span class="kpi__value">(.*?)</span>', html)
    assert kpis[:4] == ["€ 200.000.000", "€ 130.000.000", "€ 70.000.000", "€ 0"]


def test_progress_chart_carries_the_same_numbers(staff_client, aifabriek):
    fig = figure(html_in(staff_client, DASHBOARD), "progress")
    assert trace(fig, "Disbursed")["x"] == [0.0]
    assert trace(fig, "Committed, not yet disbursed")["x"] == [130_000_000.0]
    assert trace(fig, "Pending (requested)")["x"] == [70_000_000.0]
    assert trace(fig, "Not covered")["x"] == [0.0]
    assert fig["layout"]["shapes"][0]["x0"] == 200_000_000.0
    assert trace(fig, "Pending (requested)")["customdata"] == ["€70,000,000"]


def test_progress_chart_labels_its_target_line(staff_client, aifabriek):
    [label] = figure(html_in(staff_client, DASHBOARD), "progress")["layout"]["annotations"]
    assert (label["text"], label["x"], label["xref"]) == ("Target €200M", 200_000_000.0, "x")
    [label] = figure(html_in(staff_client, DASHBOARD, "nl"), "progress")["layout"]["annotations"]
    assert label["text"].endswith("€ 200 mln")


def test_money_axis_labels_are_never_rotated(staff_client, aifabriek):
    html = html_in(staff_client, DASHBOARD)
    for name, axis in [("progress", "xaxis"), ("by-funder", "xaxis"), ("over-time", "yaxis")]:
        layout = figure(html, name)["layout"]
        # charts.js thins out the ticks of this axis on a phone instead.
        assert layout["meta"] == {"money_axis": axis}
        assert layout[axis]["tickangle"] == 0


def test_by_funder_chart_carries_each_funders_money(staff_client, aifabriek):
    fig = figure(html_in(staff_client, DASHBOARD), "by-funder")
    committed = trace(fig, "Committed, not yet disbursed")
    pending = trace(fig, "Pending (requested)")
    # In English, with the funders' English names.
    assert committed["y"] == [
        "European Union",
        "Government of the Netherlands",
        "Groningen/Noord-Drenthe region",
    ]
    assert committed["x"] == [0.0, 70_000_000.0, 60_000_000.0]
    assert pending["x"] == [70_000_000.0, 0.0, 0.0]
    assert sum(committed["x"]) == 130_000_000.0
    assert sum(trace(fig, "Disbursed")["x"]) == 0.0
    assert fig["layout"]["barmode"] == "stack"


def test_over_time_chart_ends_with_todays_totals(staff_client, aifabriek):
    fig = figure(html_in(staff_client, DASHBOARD), "over-time")
    assert trace(fig, "Committed")["y"][-1] == 130_000_000.0
    assert trace(fig, "Pending (requested)")["y"][-1] == 70_000_000.0
    assert trace(fig, "Disbursed")["y"][-1] == 0.0
    # No source dates the data set's status changes: the chart shows the current standing.
    assert "No source gives dates for these contributions" in html_in(staff_client, DASHBOARD)


def test_over_time_chart_ends_with_a_decision_dated_before_the_undated_request(
    staff_client, aifabriek
):
    # The request was recorded undated (placed on the day it was recorded); the decision that
    # followed took effect earlier than that day. The series must still end with it.
    eu = aifabriek.contributions.get(key="eu-cofinanciering")
    eu.status = ContributionStatus.COMMITTED
    eu.status_change = StatusChange(effective_on=date(2025, 6, 1))
    eu.save()
    fig = figure(html_in(staff_client, DASHBOARD), "over-time")
    assert trace(fig, "Committed")["y"][-1] == 200_000_000.0
    assert trace(fig, "Pending (requested)")["y"][-1] == 0.0


def test_charts_are_drawn_by_static_script_only(staff_client, aifabriek):
    html = html_in(staff_client, DASHBOARD)
    scripts = re.findall(r"<script([^>]*)>", html)
    for attributes in scripts:
        assert 'type="application/json"' in attributes or "src=" in attributes
    assert "vendor/plotly/plotly-basic.min.js" in html
    assert "js/charts.js" in html
    assert " style=" not in html


def test_every_chart_has_a_sentence_and_a_table(staff_client, aifabriek):
    html = html_in(staff_client, DASHBOARD)
    for name in ["progress", "by-funder", "over-time"]:
        assert f'aria-labelledby="{name}-heading {name}-summary"' in html
        assert f'<p class="utrecht-paragraph" id="{name}-summary">' in html
    assert html.count('<details class="chart__data">') == 3


def test_dashboard_lists_both_supercomputer_estimates_with_sources(staff_client, aifabriek):
    html = html_in(staff_client, DASHBOARD, "nl")
    row = html[html.index("Supercomputer draait op volle kracht") :]
    row = row[: row.index("</tr>")]
    assert "eind 2026" in row and "begin 2027" in row
    assert "Defensie investeert in AI-fabriek in Groningen" in row
    assert "De bronnen verschillen over deze datum" in row


def test_dashboard_includes_records_that_are_not_public(staff_client):
    programme = ProgrammeFactory(slug="hidden", is_public=False, target=Decimal("1000.00"))
    ContributionFactory(programme=programme, amount=Decimal("400.00"), is_public=False)
    MilestoneFactory(programme=programme, title="Secret step", is_public=False)
    html = html_in(staff_client, "/dashboard/hidden/")
    assert "€400" in html
    assert "Secret step" in html
    assert "<strong>not public</strong>" in html
    assert "This programme is not public" in html


def test_funding_by_funder_splits_paid_from_committed():
    programme = ProgrammeFactory(target=Decimal("1000.00"))
    contribution = ContributionFactory(programme=programme, amount=Decimal("600.00"))
    PaymentFactory(contribution=contribution, amount=Decimal("250.00"))
    ContributionFactory(
        programme=programme, amount=Decimal("300.00"), status=ContributionStatus.WITHDRAWN
    )
    dashboard = programme_dashboard(programme.slug)
    [row] = [r for r in dashboard.by_funder if r.committed]
    assert (row.disbursed, row.committed_unpaid, row.pending) == (
        Decimal("250.00"),
        Decimal("350.00"),
        Decimal("0.00"),
    )
    assert len(dashboard.by_funder) == 1  # the withdrawn funder is left out


def test_overdue_milestone_is_flagged_on_the_dashboard(staff_client):
    programme = ProgrammeFactory(slug="late")
    milestone = MilestoneFactory(programme=programme, status=MilestoneStatus.PLANNED)
    DateEstimateFactory(milestone=milestone, year=2020)
    html = html_in(staff_client, "/dashboard/late/")
    assert "This expected date has passed" in html


def test_portfolio_lists_every_programme_with_its_totals(staff_client, aifabriek):
    ProgrammeFactory(name="Zeta hidden", slug="zeta", is_public=False)
    html = html_in(staff_client, "/dashboard/")
    assert '<a class="utrecht-link" href="/en/dashboard/ai-fabriek-groningen/">' in html
    assert "Zeta hidden" in html and "not public" in html
    row = html[html.index("AI Factory Groningen</a>") :]
    row = row[: row.index("</tr>")]
    # The amounts link to the rows behind them (tests/dashboards/test_drilldown.py); compare
    # their text.
    cells = re.findall(r'<td class="number">(.*?)</td>', row)
    assert [re.sub(r"<[^>]+>", "", cell) for cell in cells] == [
        "€200,000,000",
        "€130,000,000",
        "€70,000,000",
        "€0",
        "65%",
    ]
    fig = figure(html, "comparison")
    assert trace(fig, "Committed, not yet disbursed")["y"][0] == "AI Factory Groningen"
    assert trace(fig, "Committed, not yet disbursed")["x"][0] == 130_000_000.0


def test_portfolio_chart_and_its_table_show_what_is_disbursed(staff_client, aifabriek):
    rijk = aifabriek.contributions.get(key="rijk")
    PaymentFactory(contribution=rijk, amount=Decimal("20000000.00"), paid_on=date(2026, 2, 1))
    html = html_in(staff_client, "/dashboard/")
    fig = figure(html, "comparison")
    parts = {t["name"]: t["x"][0] for t in fig["data"]}
    assert parts == {
        "Disbursed": 20_000_000.0,
        "Committed, not yet disbursed": 110_000_000.0,
        "Pending (requested)": 70_000_000.0,
        "Not covered": 0.0,
    }
    assert trace(fig, "Disbursed")["customdata"] == ["€20,000,000"]
    # The dotted pattern has the colour behind its dots, so the segment never reads as white.
    assert trace(fig, "Disbursed")["marker"]["pattern"]["bgcolor"] == "#166534"
    data = html[html.index('<details class="chart__data">') :]
    row = data[data.index("AI Factory Groningen</th>") :]
    row = row[: row.index("</tr>")]
    # The amounts link to the rows behind them (tests/dashboards/test_drilldown.py); compare
    # their text.
    cells = re.findall(r'<td class="number">(.*?)</td>', row)
    assert [re.sub(r"<[^>]+>", "", cell) for cell in cells] == [
        "€200,000,000",
        "€130,000,000",
        "€70,000,000",
        "€20,000,000",
        "65%",
    ]


def test_portfolio_chart_compares_the_ten_largest_targets(staff_client):
    for n in range(15):
        ProgrammeFactory(name=f"P{n:02}", target=Decimal(1000 * (n + 1)))
    fig = figure(html_in(staff_client, "/dashboard/"), "comparison")
    names = [f"P{n:02}" for n in range(14, 4, -1)]
    assert trace(fig, "Committed, not yet disbursed")["y"] == names


def test_chart_labels_follow_the_language(staff_client, aifabriek):
    fig = figure(html_in(staff_client, DASHBOARD, "nl"), "progress")
    assert fig["layout"]["separators"] == ",."
    assert trace(fig, "In afwachting (aangevraagd)")["customdata"] == ["€ 70.000.000"]
    assert fig["layout"]["xaxis"]["ticktext"][0] == "€ 0"
    assert fig["layout"]["xaxis"]["ticktext"][1].endswith(" mln")


def test_dashboard_is_served_under_the_strict_csp(staff_client, aifabriek):
    response = staff_client.get(DASHBOARD)
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "style-src 'self'" in policy
    assert "unsafe-inline" not in policy
    # plotly.js finds its styles in our static file and adds no inline <style> of its own.
    assert 'id="plotly.js-style-global" class="no-inline-styles"' in response.content.decode()


@pytest.mark.parametrize("url", [DASHBOARD, "/dashboard/"])
def test_a_saved_change_shows_at_once_though_dashboards_are_cached(staff_client, aifabriek, url):
    assert "€130,000,000" in html_in(staff_client, url)
    eu = aifabriek.contributions.get(key="eu-cofinanciering")
    eu.status = ContributionStatus.COMMITTED
    eu.status_change = StatusChange(effective_on=date(2025, 6, 1))
    eu.save()
    html = html_in(staff_client, url)
    assert "€200,000,000" in html and "€130,000,000" not in html


@pytest.mark.parametrize("url", [DASHBOARD, "/dashboard/"])
def test_a_warm_dashboard_reads_nothing_from_the_database(
    staff_client, aifabriek, django_assert_num_queries, url
):
    html_in(staff_client, url)
    # The session, the user with their rights, and the figures come from the cache.
    with django_assert_num_queries(0):
        html_in(staff_client, url)


def test_portfolio_sorts_by_committed_share_with_programmes_without_a_target_last(staff_client):
    for name, target, amount in [("Half", "100.00", "50.00"), ("None", "0.00", "5.00")]:
        programme = ProgrammeFactory(name=name, target=Decimal(target))
        ContributionFactory(programme=programme, amount=Decimal(amount))
    ProgrammeFactory(name="all", target=Decimal("10.00"))
    html = html_in(staff_client, "/dashboard/?sort=committed_share")
    # Names without an English version are marked as Dutch on the English page.
    names = re.findall(r'lang="nl" href="/en/dashboard/[^/]+/">(.*?)</a>', html)
    assert names == ["all", "Half", "None"]
    html = html_in(staff_client, "/dashboard/?sort=-name")
    assert re.findall(r'href="/en/dashboard/[^/]+/">(.*?)</a>', html) == ["None", "Half", "all"]


def test_portfolio_says_it_is_sorted_by_name_by_default(staff_client, aifabriek):
    html = html_in(staff_client, "/dashboard/")
    [sorted_by] = re.findall(r'aria-sort="ascending">\s*<a[^>]*>(\w+)', html)
    assert sorted_by == "Programme"
