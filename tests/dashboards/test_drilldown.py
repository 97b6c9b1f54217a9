"""Drill-down: every dashboard figure links to exactly the rows behind it.

Each link is followed as a person would: the table it opens says how many of the programme's
contributions it shows, and the rows (all of them, through the table's CSV export of the same
filters) add up to the figure on the card.
"""

import csv
import html as html_module
import io
import re
from decimal import Decimal

import pytest

from funding.dashboards.builders import programme_dashboard
from funding.models import ContributionStatus, Programme
from tests.support.factories import ContributionFactory, PaymentFactory, ProgrammeFactory
from tests.support.generated import programme_with_history
from tests.support.pages import address_in

pytestmark = pytest.mark.django_db
HUNDRED = Decimal(100)


def get_html(client, url, language="en"):
    response = client.get(address_in(url, language))
    assert response.status_code == 200, url
    return response.content.decode()


def card_links(html) -> dict[str, str]:
    """Each KPI card's link to its rows, by the figure's name."""
    found = re.findall(
        r'<a class="utrecht-link kpi__rows" href="([^"]+)" data-figure="(\w+)">', html
    )
    return {name: html_module.unescape(href) for href, name in found}


def rows_behind(client, href) -> list[dict]:
    """Every row the link selects, read from the table's CSV export of the same filters."""
    response = client.get(address_in(f"{href}&export=csv", "en"))
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def total(rows, column) -> Decimal:
    return sum((Decimal(row[column]) for row in rows), Decimal("0.00"))


@pytest.fixture
def generated(db):
    """A programme with every status, payments, withdrawn and non-public contributions."""
    programme = ProgrammeFactory(slug="generated", target=Decimal("50000000.00"))
    return programme_with_history(programme, size=60, seed=3)


@pytest.mark.parametrize("slug", ["ai-fabriek-groningen", "generated"])
def test_every_card_link_leads_to_rows_that_add_up_to_the_card(
    staff_client, aifabriek, generated, slug
):
    dashboard = programme_dashboard(slug)
    summary = dashboard.summary
    links = card_links(get_html(staff_client, f"/dashboard/{slug}/"))
    assert set(links) == {"committed", "pending", "disbursed", "gap", "committed_share"}
    committed = total(rows_behind(staff_client, links["committed"]), "Amount")
    assert committed == summary.committed
    assert total(rows_behind(staff_client, links["pending"]), "Amount") == summary.pending
    assert total(rows_behind(staff_client, links["disbursed"]), "Disbursed") == summary.disbursed
    gap_rows = total(rows_behind(staff_client, links["gap"]), "Amount")
    assert max(summary.target - gap_rows, Decimal("0.00")) == summary.gap
    share_rows = total(rows_behind(staff_client, links["committed_share"]), "Amount")
    share = (share_rows * HUNDRED / summary.target).quantize(Decimal("0.01"))
    assert share == summary.committed_share


@pytest.mark.parametrize("slug", ["ai-fabriek-groningen", "generated"])
def test_every_card_link_says_how_many_of_all_rows_it_shows(
    staff_client, aifabriek, generated, slug
):
    programme = Programme.objects.get(slug=slug)
    everything = programme.contributions.count()
    html = get_html(staff_client, f"/dashboard/{slug}/")
    for name, href in card_links(html).items():
        rows = rows_behind(staff_client, href)
        label = f"{len(rows)} of {everything} contributions"
        assert label in html, name
        table = get_html(staff_client, href)
        assert f'<strong class="filtered-rows__count">{label}</strong>' in table, name


def test_the_shipped_cards_read_two_of_three(staff_client, aifabriek):
    html = get_html(staff_client, "/dashboard/ai-fabriek-groningen/")
    assert "2 of 3 contributions</a>" in html  # committed
    assert "1 of 3 contributions</a>" in html  # pending
    assert "0 of 3 contributions</a>" in html  # disbursed: nothing paid yet
    dutch = get_html(staff_client, "/dashboard/ai-fabriek-groningen/", "nl")
    assert "2 van 3 bijdragen</a>" in dutch


def test_the_table_sums_what_its_filters_select(staff_client, aifabriek):
    url = "/dashboard/ai-fabriek-groningen/contributions/?status=committed&status=disbursed"
    html = get_html(staff_client, url)
    assert '<strong class="filtered-rows__count">2 of 3 contributions</strong>' in html
    assert ", together €130,000,000, of which €0 disbursed." in html
    assert "(rows 1 to 2 of 2)" in html


def test_status_sets_select_every_status_named(staff_client, aifabriek):
    base = "/dashboard/ai-fabriek-groningen/contributions/"
    assert "(rows 1 to 1 of 1)" in get_html(staff_client, base + "?status=requested")
    both = get_html(staff_client, base + "?status=requested&status=committed")
    assert "(rows 1 to 3 of 3)" in both
    # The form shows both as chosen, so the next filter keeps them.
    assert both.count("selected") >= 2


def test_the_payments_filter_keeps_rows_with_or_without_payments(staff_client, aifabriek):
    rijk = aifabriek.contributions.get(key="rijk")
    PaymentFactory(contribution=rijk, amount=Decimal("1000.00"))
    base = "/dashboard/ai-fabriek-groningen/contributions/"
    paid = get_html(staff_client, base + "?paid=yes")
    rows = paid.split("<tbody", 1)[1].split("</tbody>", 1)[0]  # not the filter's funder list
    assert "(rows 1 to 1 of 1)" in paid and "Government of the Netherlands" in rows
    assert "(rows 1 to 2 of 2)" in get_html(staff_client, base + "?paid=no")


def test_a_key_selects_one_row(staff_client, aifabriek):
    html = get_html(
        staff_client, "/dashboard/ai-fabriek-groningen/contributions/?key=eu-cofinanciering"
    )
    assert '<strong class="filtered-rows__count">1 of 3 contributions</strong>' in html


def test_each_funder_row_and_part_links_to_its_rows(staff_client, aifabriek):
    html = get_html(staff_client, "/dashboard/ai-fabriek-groningen/")
    table = html[html.index("by-funder-heading") : html.index("over-time-heading")]
    # English pages and their downloads name the funders in English.
    for funder in (
        "European Union",
        "Government of the Netherlands",
        "Groningen/Noord-Drenthe region",
    ):
        [href] = re.findall(
            rf'<th scope="row"><a class="utrecht-link" href="([^"]+)">{funder}[^<]*<', table
        )
        rows = rows_behind(staff_client, html_module.unescape(href))
        assert {row["Funder"].split(" (")[0] for row in rows} == {funder}
    pending_links = re.findall(r'href="([^"]+status=requested)">€70,000,000</a>', table)
    [eu_pending] = [html_module.unescape(href) for href in pending_links]
    assert total(rows_behind(staff_client, eu_pending), "Amount") == Decimal("70000000.00")


def test_the_portfolio_links_each_programme_figure_to_its_rows(staff_client, aifabriek):
    other = ProgrammeFactory(slug="other", name="Other programme")
    ContributionFactory(programme=other, amount=Decimal("10.00"))
    ContributionFactory(
        programme=other, amount=Decimal("5.00"), status=ContributionStatus.REQUESTED
    )
    html = get_html(staff_client, "/dashboard/")
    links = re.findall(r'href="(/en/dashboard/other/contributions/\?[^"]+)">(€[\d,.]+)</a>', html)
    assert links, "no links to the other programme's rows"
    for href, amount in links:
        rows = rows_behind(staff_client, html_module.unescape(href))
        column = "Disbursed" if "paid=yes" in href else "Amount"
        assert total(rows, column) == Decimal(amount.strip("€").replace(",", ""))


def test_series_links_under_the_charts_lead_to_todays_rows(staff_client, aifabriek):
    html = get_html(staff_client, "/dashboard/ai-fabriek-groningen/")
    assert html.count("The contributions behind today") == 2
    assert "Pending (requested): 1 of 3 contributions</a>" in html
