"""Funds over time: a programme's committed, pending and disbursed totals at the end of each day.

The database does the work per event: it dates each status event, replays each contribution's
events in the order they were recorded (a window over the contribution), turns each event into
the change it makes to the committed and pending totals, and sums those changes per day. Python
then only adds up the days, so the cost follows the number of points, not days times events.
A chart with more points than `MAX_POINTS` keeps the last point of each week, month or year.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import connection
from django.db.models import Case, F, IntegerField, Max, Sum, When, Window
from django.db.models.functions import Coalesce, Lag, TruncDate

from funding.models import ContributionStatus, Payment, Programme, StatusEvent
from funding.models.contributions import COUNTED_AS_COMMITTED
from funding.models.money import ZERO

# More points than this and the chart (and its table) show one point per week, month or year.
MAX_POINTS = 200
CENT = Decimal("0.01")


@dataclass(frozen=True)
class FundsOnDate:
    """The programme's totals as they stood at the end of a day."""

    day: date
    committed: Decimal
    pending: Decimal
    disbursed: Decimal


@dataclass(frozen=True)
class DayChange:
    """How much the committed and pending totals changed on a day (plain data for `cumulate`)."""

    day: date
    committed: Decimal
    pending: Decimal
    events: int = 0


@dataclass(frozen=True)
class FundsOverTime:
    """The series a chart draws, the period each point stands for, and the undated events."""

    points: list[FundsOnDate]
    period: str  # "day", "week", "month" or "year"
    undated_events: int
    # False when no source gives a date for any status change and nothing has been paid: the
    # series is then only the current standing (one point, today), not a history.
    dated: bool = True


def funds_over_time(programme: Programme, *, today: date) -> FundsOverTime:
    """Committed, pending and disbursed at the end of each day something changed, up to today,
    thinned to at most `MAX_POINTS` points. Two queries, whatever the number of contributions."""
    changes, undated = status_changes_per_day(programme)
    payments = payments_per_day(programme)
    points = cumulate(changes, payments, today=today)
    events = sum(change.events for change in changes)
    if events and undated == events and not payments:
        # Placing undated events on the day they were loaded would draw a history that no
        # source gives: show where the money stands today instead.
        return FundsOverTime(points=points[-1:], period="day", undated_events=undated, dated=False)
    points, period = downsample(points)
    return FundsOverTime(points=points, period=period, undated_events=undated)


def status_changes_per_day(programme: Programme) -> tuple[list[DayChange], int]:
    """Per day, the change in committed and pending money; with the number of events that had
    no date of their own.

    An event is dated when it took effect, else when its source was published, else on the day
    it was recorded. A contribution's events keep the order they were recorded in: an event is
    never placed before the one recorded ahead of it (a running maximum over the contribution),
    so a decision dated before an undated request lands on the request's day and the last point
    is always the contribution's current status. Each event adds the contribution's current
    amount to the total of the status it enters and takes it from the one it leaves.
    """
    own_day = Coalesce("effective_on", "source__published_on", TruncDate("recorded_at"))
    in_recorded_order = {
        "partition_by": [F("contribution_id")],
        "order_by": [F("recorded_at").asc(), F("pk").asc()],
    }
    events = (
        StatusEvent.objects.filter(contribution__programme=programme)
        .annotate(
            day=Window(Max(own_day), **in_recorded_order),
            entered=F("status"),
            left=Window(Lag("status"), **in_recorded_order),
            amount=F("contribution__amount"),
            undated=Case(
                When(effective_on__isnull=True, source__published_on__isnull=True, then=1),
                default=0,
                output_field=IntegerField(),
            ),
        )
        .values("day", "entered", "left", "amount", "undated")
        .order_by()
    )
    return _sum_per_day(events)


def _sum_per_day(events) -> tuple[list[DayChange], int]:
    # Django cannot aggregate over window functions, so the per-event query is wrapped in SQL
    # that both databases read the same way.
    inner, params = events.query.sql_with_params()
    committed = ", ".join(["%s"] * len(COUNTED_AS_COMMITTED))
    sql = f"""
        SELECT day,
               SUM(CASE WHEN entered IN ({committed}) THEN amount ELSE 0 END)
               - SUM(CASE WHEN "left" IN ({committed}) THEN amount ELSE 0 END),
               SUM(CASE WHEN entered = %s THEN amount ELSE 0 END)
               - SUM(CASE WHEN "left" = %s THEN amount ELSE 0 END),
               SUM(undated),
               COUNT(*)
        FROM ({inner}) AS events
        GROUP BY day
        ORDER BY day
    """
    requested = ContributionStatus.REQUESTED.value
    statuses = [str(status) for status in COUNTED_AS_COMMITTED]
    with connection.cursor() as cursor:
        cursor.execute(sql, [*statuses, *statuses, requested, requested, *params])
        rows = cursor.fetchall()
    changes = [
        DayChange(
            day=_as_date(day),
            committed=_as_money(committed),
            pending=_as_money(pending),
            events=int(events),
        )
        for day, committed, pending, _undated, events in rows
    ]
    return changes, sum(int(row[3]) for row in rows)


def _as_date(value) -> date:
    # SQLite hands dates back as text from raw SQL.
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def _as_money(value) -> Decimal:
    # SQLite sums decimals as integers or floats; PostgreSQL as Decimal.
    return Decimal(str(value)).quantize(CENT) if value is not None else ZERO


def payments_per_day(programme: Programme) -> list[tuple[date, Decimal]]:
    """Payments out per day, on contributions that count as committed."""
    return list(
        Payment.objects.filter(
            contribution__programme=programme, contribution__status__in=COUNTED_AS_COMMITTED
        )
        .values_list("paid_on")
        .annotate(total=Coalesce(Sum("amount"), ZERO))
        .order_by("paid_on")
    )


def cumulate(
    changes: list[DayChange], payments: list[tuple[date, Decimal]], *, today: date
) -> list[FundsOnDate]:
    """The running totals at the end of each day with a change or a payment, and today."""
    changes_on = {change.day: change for change in changes}
    paid_on = dict(payments)
    committed = pending = disbursed = ZERO
    series = []
    for day in sorted(set(changes_on) | set(paid_on) | {today}):
        if change := changes_on.get(day):
            committed += change.committed
            pending += change.pending
        disbursed += paid_on.get(day, ZERO)
        series.append(FundsOnDate(day, committed, pending, disbursed))
    return series


PERIODS: list[tuple[str, Callable[[date], object]]] = [
    ("day", lambda day: day),
    ("week", lambda day: day.isocalendar()[:2]),
    ("month", lambda day: (day.year, day.month)),
    ("year", lambda day: day.year),
]


def downsample(
    series: list[FundsOnDate], *, max_points: int = MAX_POINTS
) -> tuple[list[FundsOnDate], str]:
    """The last point of each day, week, month or year: the shortest period that gives at most
    `max_points` points. Each point kept is a true end-of-day total, and the last one stays."""
    for period, key in PERIODS:
        # Later points of a period replace earlier ones; the dict keeps the periods in order.
        last_of = {key(point.day): point for point in series}
        if len(last_of) <= max_points:
            return list(last_of.values()), period
    return list(last_of.values()), PERIODS[-1][0]
