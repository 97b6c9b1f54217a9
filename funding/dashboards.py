"""Context builders for the staff dashboards: plain functions that tests call without HTTP.

Staff see every record, public or not. Every query a dashboard makes is here, grouped and summed
in the database, so a page costs the same number of queries however many contributions it has.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Sum
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils import timezone

from funding.models import (
    ContributionStatus,
    Payment,
    Programme,
    StatusEvent,
)
from funding.models.contributions import COUNTED_AS_COMMITTED
from funding.models.money import ZERO
from funding.summaries import FundingSummary, MilestoneView, milestone_timeline

# The portfolio chart compares this many programmes, the largest targets first; the table has all.
PORTFOLIO_CHART_SIZE = 10


@dataclass(frozen=True)
class FunderFunding:
    """One funder's money in a programme: paid out, committed and not yet paid, and pending."""

    funder: str
    disbursed: Decimal
    committed_unpaid: Decimal
    pending: Decimal

    @property
    def committed(self) -> Decimal:
        return self.disbursed + self.committed_unpaid


@dataclass(frozen=True)
class FundsOnDate:
    """The programme's totals as they stood at the end of a day."""

    day: date
    committed: Decimal
    pending: Decimal
    disbursed: Decimal


@dataclass
class ProgrammeDashboard:
    programme: Programme
    summary: FundingSummary
    by_funder: list[FunderFunding]
    over_time: list[FundsOnDate]
    milestones: list[MilestoneView]
    undated_events: int = 0
    charts: dict = field(default_factory=dict)

    @property
    def committed_unpaid(self) -> Decimal:
        return self.summary.committed - self.summary.disbursed


def portfolio_programmes():
    """Every programme with its totals over all its records, public or not, ordered by name."""
    return Programme.objects.with_totals(public_only=False).order_by("name")


def portfolio_chart_programmes(limit: int = PORTFOLIO_CHART_SIZE) -> list[Programme]:
    """The programmes with the largest targets, for the comparison chart."""
    return list(portfolio_programmes().order_by("-target", "name")[:limit])


def programme_dashboard(slug: str, *, today: date | None = None) -> ProgrammeDashboard:
    """Everything the programme dashboard shows, non-public records included. 404 when unknown."""
    today = today or timezone.localdate()
    programme = get_object_or_404(Programme.objects.with_totals(public_only=False), slug=slug)
    events, undated = _status_history(programme)
    return ProgrammeDashboard(
        programme=programme,
        summary=FundingSummary.of(programme),
        by_funder=funding_by_funder(programme),
        over_time=funds_over_time(events, _payments(programme), today=today),
        milestones=milestone_timeline(programme.milestones.all(), today),
        undated_events=undated,
    )


def funding_by_funder(programme: Programme) -> list[FunderFunding]:
    """Per funder: disbursed, committed but not yet paid, and pending; withdrawn money left out."""
    amounts = (
        programme.contributions.counted()
        .values("funder__name", "status")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    paid = (
        Payment.objects.filter(
            contribution__programme=programme, contribution__status__in=COUNTED_AS_COMMITTED
        )
        .values("contribution__funder__name")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    committed, pending = defaultdict(lambda: ZERO), defaultdict(lambda: ZERO)
    for row in amounts:
        into = pending if row["status"] == ContributionStatus.REQUESTED else committed
        into[row["funder__name"]] += row["total"]
    disbursed = {row["contribution__funder__name"]: row["total"] for row in paid}
    funders = sorted(
        set(committed) | set(pending),
        key=lambda name: (-(committed[name] + pending[name]), name),
    )
    return [
        FunderFunding(
            funder=name,
            disbursed=disbursed.get(name, ZERO),
            committed_unpaid=committed[name] - disbursed.get(name, ZERO),
            pending=pending[name],
        )
        for name in funders
    ]


@dataclass(frozen=True)
class StatusOnDate:
    """A contribution entering a status on a day (plain data for `funds_over_time`)."""

    day: date
    contribution: int
    status: str
    amount: Decimal


def _status_history(programme: Programme) -> tuple[list[StatusOnDate], int]:
    """Status events in order, each dated when it took effect, else when its source was
    published, else when it was recorded; with the number that had no date of their own."""
    rows = (
        StatusEvent.objects.filter(contribution__programme=programme)
        .values(
            "contribution_id",
            "status",
            "effective_on",
            "source__published_on",
            "recorded_at",
            "contribution__amount",
        )
        .order_by("recorded_at", "pk")
    )
    events, undated = [], 0
    last_day_of: dict[int, date] = {}
    for row in rows:
        day = row["effective_on"] or row["source__published_on"]
        if day is None:
            undated += 1
            day = timezone.localtime(row["recorded_at"]).date()
        # A contribution's events keep the order they were recorded in: a decision dated before
        # an undated earlier event is placed on that event's day, never before it, so the last
        # point of the series is always the contribution's current status.
        day = max(day, last_day_of.get(row["contribution_id"], day))
        last_day_of[row["contribution_id"]] = day
        events.append(
            StatusOnDate(day, row["contribution_id"], row["status"], row["contribution__amount"])
        )
    return events, undated


def _payments(programme: Programme) -> list[tuple[date, Decimal]]:
    """Payments out per day, on contributions that count as committed."""
    return list(
        Payment.objects.filter(
            contribution__programme=programme, contribution__status__in=COUNTED_AS_COMMITTED
        )
        .values_list("paid_on")
        .annotate(total=Coalesce(Sum("amount"), ZERO))
        .order_by("paid_on")
    )


def funds_over_time(
    events: list[StatusOnDate], payments: list[tuple[date, Decimal]], *, today: date
) -> list[FundsOnDate]:
    """Committed, pending and disbursed at the end of each day that something changed.

    A contribution counts at its current amount from the day it entered a status; the series
    ends today, so the last step shows where things stand now.
    """
    changes: dict[date, list] = defaultdict(list)
    for event in sorted(events, key=lambda e: e.day):
        changes[event.day].append(event)
    paid_by_day = dict(payments)
    status_of: dict[int, tuple[str, Decimal]] = {}
    paid_so_far = ZERO
    series = []
    for day in sorted(set(changes) | set(paid_by_day) | {today}):
        for event in changes.get(day, []):
            status_of[event.contribution] = (event.status, event.amount)
        paid_so_far += paid_by_day.get(day, ZERO)
        committed = sum(
            (amount for status, amount in status_of.values() if status in COUNTED_AS_COMMITTED),
            ZERO,
        )
        pending = sum(
            (
                amount
                for status, amount in status_of.values()
                if status == ContributionStatus.REQUESTED
            ),
            ZERO,
        )
        series.append(FundsOnDate(day, committed, pending, paid_so_far))
    return series
