"""From a figure to the rows behind it: links to the contributions table, filtered to exactly
the contributions a dashboard figure sums, and the counts that say how many of all they are.

The filters are those of the table (`funding.dashboards.filters.ContributionFilter`), so a link is
an ordinary query string that staff can change further.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import ngettext

from funding.models import Contribution, ContributionStatus, Payment, Programme
from funding.models.contributions import COUNTED_AS_COMMITTED
from funding.models.money import ZERO

# The filters behind each figure. Committed counts disbursed contributions too (they were
# committed first); disbursed is what was paid on them; withdrawn ones count in no total.
COMMITTED_ROWS = {"status": [str(status) for status in COUNTED_AS_COMMITTED]}
PENDING_ROWS = {"status": [ContributionStatus.REQUESTED.value]}
DISBURSED_ROWS = {**COMMITTED_ROWS, "paid": "yes"}
COUNTED_ROWS = {"status": PENDING_ROWS["status"] + COMMITTED_ROWS["status"]}


def rows_url(slug: str, **filters) -> str:
    """The programme's contributions table, filtered: `rows_url(slug, status=["requested"])`."""
    url = reverse("funding:dashboard_contributions", kwargs={"slug": slug})
    query = urlencode({name: value for name, value in filters.items() if value}, doseq=True)
    return f"{url}?{query}" if query else url


def of_contributions(shown: int, total: int) -> str:
    """ "2 of 3 contributions": how many rows a figure sums, of all the programme's rows."""
    return ngettext(
        "%(shown)s of %(total)s contribution",
        "%(shown)s of %(total)s contributions",
        total,
    ) % {"shown": shown, "total": total}


@dataclass(frozen=True)
class RowsLink:
    url: str
    shown: int
    total: int

    @property
    def label(self) -> str:
        return of_contributions(self.shown, self.total)


@dataclass(frozen=True)
class RowCounts:
    """How many of a programme's contributions each dashboard figure sums."""

    total: int
    committed: int
    pending: int
    paid: int

    @classmethod
    def of(cls, programme: Programme) -> "RowCounts":
        """Read from a programme annotated with `row_count_annotations()`."""
        return cls(
            total=programme.rows_total,
            committed=programme.rows_committed,
            pending=programme.rows_pending,
            paid=programme.rows_paid,
        )


def row_count_annotations() -> dict:
    """Counts per programme, as subqueries: the programme's own query counts its rows."""
    contributions = Contribution.objects.filter(programme=OuterRef("pk"))
    paid = Exists(Payment.objects.filter(contribution=OuterRef("pk")))

    def counted(rows):
        count = rows.order_by().values("programme").annotate(count=Count("pk")).values("count")
        return Coalesce(Subquery(count, output_field=IntegerField()), Value(0))

    return {
        "rows_total": counted(contributions),
        "rows_committed": counted(contributions.filter(status__in=COUNTED_AS_COMMITTED)),
        "rows_pending": counted(contributions.filter(status=ContributionStatus.REQUESTED)),
        "rows_paid": counted(contributions.filter(paid, status__in=COUNTED_AS_COMMITTED)),
    }


def kpi_links(slug: str, counts: RowCounts) -> dict[str, RowsLink]:
    """A link per figure on the programme dashboard, by the figure's name.

    The gap and the committed share are computed from the committed rows, so they link there.
    The target is the programme's own figure: no rows are behind it.
    """
    committed = RowsLink(rows_url(slug, **COMMITTED_ROWS), counts.committed, counts.total)
    return {
        "committed": committed,
        "pending": RowsLink(rows_url(slug, **PENDING_ROWS), counts.pending, counts.total),
        "disbursed": RowsLink(rows_url(slug, **DISBURSED_ROWS), counts.paid, counts.total),
        "gap": committed,
        "committed_share": committed,
    }


@dataclass(frozen=True)
class FunderLinks:
    """The rows behind one funder's bar, and behind each of its parts."""

    all: str
    disbursed: str
    committed: str
    pending: str


def funder_links(slug: str, funder_id: int) -> FunderLinks:
    return FunderLinks(
        all=rows_url(slug, funder=funder_id, **COUNTED_ROWS),
        disbursed=rows_url(slug, funder=funder_id, **DISBURSED_ROWS),
        committed=rows_url(slug, funder=funder_id, **COMMITTED_ROWS),
        pending=rows_url(slug, funder=funder_id, **PENDING_ROWS),
    )


@dataclass(frozen=True)
class PortfolioLinks:
    """The rows behind a programme's figures in the portfolio."""

    committed: str
    pending: str
    disbursed: str


def portfolio_links(slug: str) -> PortfolioLinks:
    return PortfolioLinks(
        committed=rows_url(slug, **COMMITTED_ROWS),
        pending=rows_url(slug, **PENDING_ROWS),
        disbursed=rows_url(slug, **DISBURSED_ROWS),
    )


@dataclass(frozen=True)
class FilteredRows:
    """What the table's filters select: how many of all rows, and their sums."""

    shown: int
    total: int
    amount: Decimal
    disbursed: Decimal

    @property
    def label(self) -> str:
        return of_contributions(self.shown, self.total)


def filtered_rows(programme: Programme, filtered) -> FilteredRows:
    """Counted and summed in the database: one query for the rows, one for their payments."""
    chosen = filtered.order_by().values("pk")
    sums = programme.contributions.order_by().aggregate(
        total=Count("pk"),
        shown=Count("pk", filter=Q(pk__in=chosen)),
        amount=Sum("amount", filter=Q(pk__in=chosen), default=ZERO),
    )
    # As the table's Disbursed column shows them: every payment on the chosen rows.
    disbursed = Payment.objects.filter(contribution__in=chosen).aggregate(
        total=Sum("amount", default=ZERO)
    )["total"]
    return FilteredRows(sums["shown"], sums["total"], sums["amount"], disbursed)
