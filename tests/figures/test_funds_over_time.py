"""Funds over time, summed per day in the database: the same series as replaying every event,
ending on the KPI cards' totals, thinned to at most 200 points with the table showing the same."""

import re
from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from funding.figures.over_time import MAX_POINTS, FundsOnDate, downsample, funds_over_time
from funding.figures.summaries import FundingSummary
from funding.models import ContributionStatus, Payment, Programme, StatusChange, StatusEvent
from funding.models.contributions import COUNTED_AS_COMMITTED
from tests.support.factories import ContributionFactory, PaymentFactory, ProgrammeFactory
from tests.support.generated import programme_with_history
from tests.support.pages import figure, html_in, trace

pytestmark = pytest.mark.django_db


def with_events(programme, amount, *events):
    """A contribution whose status history is exactly `events`: (status, effective_on) pairs."""
    contribution = ContributionFactory(
        programme=programme, amount=Decimal(amount), status=events[-1][0]
    )
    contribution.status_events.all().delete()
    for status, effective_on in events:
        StatusEvent.objects.create(
            contribution=contribution, status=status, effective_on=effective_on
        )
    return contribution


def as_rows(points):
    return [(p.day.isoformat(), p.committed, p.pending, p.disbursed) for p in points]


def replay(programme, *, today):
    """The series by replaying every event in Python, one day at a time (the reference)."""
    last_day, status_of, changes = {}, {}, defaultdict(list)
    for event in (
        StatusEvent.objects.filter(contribution__programme=programme)
        .select_related("contribution", "source")
        .order_by("recorded_at", "pk")
    ):
        day = event.effective_on or (event.source and event.source.published_on)
        day = day or timezone.localtime(event.recorded_at).date()
        day = max(day, last_day.get(event.contribution_id, day))
        last_day[event.contribution_id] = day
        changes[day].append(event)
    paid = defaultdict(Decimal)
    for payment in Payment.objects.filter(
        contribution__programme=programme, contribution__status__in=COUNTED_AS_COMMITTED
    ):
        paid[payment.paid_on] += payment.amount
    series, paid_so_far, amounts = [], Decimal(0), defaultdict(Decimal)
    for day in sorted(set(changes) | set(paid) | {today}):
        for event in changes[day]:
            if previous := status_of.get(event.contribution_id):
                amounts[previous] -= event.contribution.amount
            status_of[event.contribution_id] = event.status
            amounts[event.status] += event.contribution.amount
        paid_so_far += paid[day]
        committed = amounts[ContributionStatus.COMMITTED] + amounts[ContributionStatus.DISBURSED]
        pending = amounts[ContributionStatus.REQUESTED]
        series.append(FundsOnDate(day, committed, pending, paid_so_far))
    return series


def test_funds_over_time_follows_each_status_change():
    programme = ProgrammeFactory()
    with_events(
        programme, "70.00", ("requested", date(2025, 1, 10)), ("committed", date(2025, 3, 1))
    )
    paid = with_events(programme, "60.00", ("committed", date(2025, 2, 1)))
    PaymentFactory(contribution=paid, amount=Decimal("20.00"), paid_on=date(2025, 4, 1))
    result = funds_over_time(programme, today=date(2025, 5, 1))
    assert as_rows(result.points) == [
        ("2025-01-10", Decimal("0.00"), Decimal("70.00"), Decimal("0.00")),
        ("2025-02-01", Decimal("60.00"), Decimal("70.00"), Decimal("0.00")),
        ("2025-03-01", Decimal("130.00"), Decimal("0.00"), Decimal("0.00")),
        ("2025-04-01", Decimal("130.00"), Decimal("0.00"), Decimal("20.00")),
        ("2025-05-01", Decimal("130.00"), Decimal("0.00"), Decimal("20.00")),
    ]
    assert (result.period, result.undated_events) == ("day", 0)


def test_withdrawn_contribution_leaves_the_over_time_totals():
    programme = ProgrammeFactory()
    with_events(
        programme, "50.00", ("committed", date(2025, 1, 1)), ("withdrawn", date(2025, 2, 1))
    )
    points = funds_over_time(programme, today=date(2025, 3, 1)).points
    assert [p.committed for p in points] == [Decimal("50.00"), Decimal("0.00"), Decimal("0.00")]


def test_a_decision_dated_before_the_event_recorded_ahead_of_it_lands_on_that_events_day():
    programme = ProgrammeFactory()
    with_events(
        programme, "10.00", ("requested", date(2025, 3, 1)), ("committed", date(2025, 1, 1))
    )
    result = funds_over_time(programme, today=date(2025, 4, 1))
    assert as_rows(result.points) == [
        ("2025-03-01", Decimal("10.00"), Decimal("0.00"), Decimal("0.00")),
        ("2025-04-01", Decimal("10.00"), Decimal("0.00"), Decimal("0.00")),
    ]


def test_undated_events_are_counted_and_placed_on_the_day_they_were_recorded():
    programme = ProgrammeFactory()
    with_events(programme, "10.00", ("requested", None))
    with_events(programme, "5.00", ("committed", date(2025, 1, 1)))
    result = funds_over_time(programme, today=date(2099, 1, 1))
    assert result.undated_events == 1
    assert timezone.localdate() in [point.day for point in result.points[:-1]]


@pytest.mark.parametrize("size", [50, 1500])
def test_sql_series_matches_replaying_every_event_and_ends_on_the_kpis(size):
    programme = programme_with_history(ProgrammeFactory(), size=size, seed=size)
    # Undated events stand on the day they were recorded: today.
    today = timezone.localdate()
    full = replay(programme, today=today)
    result = funds_over_time(programme, today=today)
    assert as_rows(result.points) == as_rows(downsample(full)[0])
    summary = FundingSummary.of(Programme.objects.with_totals().get(pk=programme.pk))
    last = result.points[-1]
    assert (last.day, last.committed, last.pending, last.disbursed) == (
        today,
        summary.committed,
        summary.pending,
        summary.disbursed,
    )


def test_long_series_keep_the_last_point_of_each_week_then_month():
    days = [date(2020, 1, 1) + timedelta(days=n) for n in range(400)]
    series = [FundsOnDate(day, Decimal(n), Decimal(0), Decimal(0)) for n, day in enumerate(days)]
    weekly, period = downsample(series)
    assert period == "week" and len(weekly) <= MAX_POINTS
    assert weekly[-1] == series[-1]
    assert all(point.day.isoweekday() == 7 for point in weekly[1:-1])
    monthly, period = downsample(series, max_points=20)
    assert period == "month" and len(monthly) == 14
    assert [p.day for p in monthly[:2]] == [date(2020, 1, 31), date(2020, 2, 29)]


def test_short_series_keep_every_day():
    series = [FundsOnDate(date(2020, 1, n), Decimal(n), Decimal(0), Decimal(0)) for n in (1, 2)]
    assert downsample(series) == (series, "day")


def test_big_dashboard_chart_and_table_show_the_same_points_and_end_on_the_kpis(staff_client):
    programme = programme_with_history(ProgrammeFactory(slug="big"), size=1500, seed=3)
    html = html_in(staff_client, "/dashboard/big/")
    fig = figure(html, "over-time")
    committed = trace(fig, "Committed")
    table = html[html.index('id="over-time-summary"') :]
    table = table[table.index("<tbody") : table.index("</tbody>")]
    assert len(committed["x"]) == table.count("<tr") <= MAX_POINTS
    assert "last day in each month" in html
    summary = FundingSummary.of(Programme.objects.with_totals().get(pk=programme.pk))
    assert committed["y"][-1] == float(summary.committed)
    assert trace(fig, "Pending (requested)")["y"][-1] == float(summary.pending)
    assert trace(fig, "Disbursed")["y"][-1] == float(summary.disbursed)
    kpis = re.findall(r'<span class="kpi__value">(.*?)</span>', html)
    assert kpis[1] == committed["customdata"][-1]
    assert kpis[2] == trace(fig, "Pending (requested)")["customdata"][-1]
    assert kpis[3] == trace(fig, "Disbursed")["customdata"][-1]


def test_without_any_date_the_series_is_the_current_standing(aifabriek):
    # The shipped data set: no source dates a status change, nothing has been paid.
    today = timezone.localdate()
    result = funds_over_time(aifabriek, today=today)
    summary = FundingSummary.of(Programme.objects.with_totals().get(pk=aifabriek.pk))
    assert result.dated is False
    assert as_rows(result.points) == [
        (today.isoformat(), summary.committed, summary.pending, summary.disbursed)
    ]
    assert summary.committed == Decimal("130000000.00")


def test_one_dated_event_makes_a_series_again(aifabriek):
    eu = aifabriek.contributions.get(key="eu-cofinanciering")
    eu.status = ContributionStatus.COMMITTED
    eu.status_change = StatusChange(effective_on=date(2025, 6, 1))
    eu.save()
    assert funds_over_time(aifabriek, today=timezone.localdate()).dated is True


def test_a_programme_without_contributions_keeps_its_single_point():
    result = funds_over_time(ProgrammeFactory(), today=date(2026, 1, 15))
    assert result.dated is True
    assert as_rows(result.points) == [("2026-01-15", Decimal(0), Decimal(0), Decimal(0))]


@pytest.mark.parametrize(
    ("language", "caption", "now"),
    [
        ("en", "No source gives dates for these contributions; the chart shows the current", "Now"),
        ("nl", "Geen bron noemt datums voor deze bijdragen; de grafiek toont de stand van", "Nu"),
    ],
)
def test_the_dashboard_says_no_source_dates_and_shows_where_the_money_stands(
    staff_client, aifabriek, language, caption, now
):
    html = html_in(staff_client, f"/dashboard/{aifabriek.slug}/", language)
    assert caption in html
    fig = figure(html, "over-time")
    assert [t["type"] for t in fig["data"]] == ["bar", "bar", "bar"]
    assert fig["layout"]["barmode"] == "group"
    assert [t["x"] for t in fig["data"]] == [[now]] * 3
    # One bar per total, each equal to its KPI card.
    kpis = re.findall(r'<span class="kpi__value">(.*?)</span>', html)
    assert trace(fig, "Committed" if language == "en" else "Toegezegd")["customdata"] == [kpis[1]]
    table = html[html.index('id="over-time-summary"') :]
    table = table[table.index("<tbody") : table.index("</tbody>")]
    assert table.count("<tr") == 1 and f">{now}, " in table
