"""Long public lists, read a page at a time: a programme's contributions, with their totals.

Each list costs a fixed number of queries however long it is: a count, one page of rows (with
their related rows fetched up front) and, for a programme, its totals grouped in the database.
Query-string values are read leniently: what does not fit is ignored, never an error.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.core.paginator import Paginator
from django.db.models import Count, F, Prefetch, Q, Sum

from funding.models import (
    ContributionShare,
    ContributionSource,
    ContributionStatus,
    Programme,
)
from funding.models.contributions import COUNTED_AS_COMMITTED
from funding.models.money import ZERO

CONTRIBUTIONS_PAGE_SIZE = 25
# The largest funders shown in a programme's totals; the rest are found with the funder search.
FUNDERS_SHOWN = 20
# Longer searches are not applied: no name is that long, and a long pattern costs a long scan.
SEARCH_MAX_LENGTH = 100


@dataclass(frozen=True)
class PageOf:
    """One page of a list: its items and where it stands. Plain data, so it caches small (a
    paginator's page holds its query, and pickling that would fetch the whole list)."""

    items: list
    number: int
    pages: int
    count: int

    @classmethod
    def of(cls, paginator: Paginator, number) -> "PageOf":
        # A page number that is not a number, or beyond the end, gives the nearest page.
        page = paginator.get_page(number)
        return cls(list(page.object_list), page.number, paginator.num_pages, paginator.count)

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.pages

    @property
    def previous_page_number(self) -> int:
        return self.number - 1

    @property
    def next_page_number(self) -> int:
        return self.number + 1


def search_text(value: str | None) -> str:
    """The search as typed, trimmed; empty when absent, too long to apply, or holding a NUL
    (which PostgreSQL refuses in text)."""
    value = (value or "").strip()
    return "" if len(value) > SEARCH_MAX_LENGTH or "\x00" in value else value


@dataclass(frozen=True)
class FunderTotal:
    name: str
    contributions: int
    committed: Decimal
    pending: Decimal
    name_en: str = ""


@dataclass(frozen=True)
class StatusTotal:
    status: str
    label: str
    contributions: int
    amount: Decimal


@dataclass(frozen=True)
class ContributionTotals:
    """A programme's public contributions summed per funder (the largest) and per status."""

    by_funder: list[FunderTotal]
    funders: int
    by_status: list[StatusTotal]

    @property
    def contributions(self) -> int:
        return sum(row.contributions for row in self.by_status)

    @property
    def funders_not_shown(self) -> int:
        return self.funders - len(self.by_funder)


def contribution_totals(programme: Programme) -> ContributionTotals:
    """Totals per funder and per status of the public contributions, grouped in the database."""
    return totals_of(programme.contributions.public())


def totals_of(public) -> ContributionTotals:
    """Totals per funder and per status of these contributions (live rows, or history rows as
    they stood on a day), grouped in the database."""
    public = public.order_by()
    committed = Sum("amount", filter=Q(status__in=COUNTED_AS_COMMITTED), default=ZERO)
    pending = Sum("amount", filter=Q(status=ContributionStatus.REQUESTED), default=ZERO)
    per_funder = (
        public.values("funder_id", "funder__name", "funder__name_en")
        .annotate(contributions=Count("pk"), committed=committed, pending=pending)
        .order_by((F("committed") + F("pending")).desc(), "funder__name")
    )
    by_funder = [
        FunderTotal(
            row["funder__name"],
            row["contributions"],
            row["committed"],
            row["pending"],
            name_en=row["funder__name_en"],
        )
        for row in per_funder[:FUNDERS_SHOWN]
    ]
    funders = len(by_funder)
    if funders == FUNDERS_SHOWN:
        funders = public.values("funder_id").distinct().count()
    per_status = {
        row["status"]: row
        for row in public.values("status").annotate(
            contributions=Count("pk"), amount=Sum("amount", default=ZERO)
        )
    }
    by_status = [
        StatusTotal(
            status,
            label,
            per_status.get(status, {}).get("contributions", 0),
            per_status.get(status, {}).get("amount", ZERO),
        )
        for status, label in ContributionStatus.choices
    ]
    return ContributionTotals(by_funder, funders, by_status)


def of_funder(contributions, funder: str):
    """The contributions from funders whose name (or English name) holds `funder`, if given."""
    if not funder:
        return contributions
    return contributions.filter(
        Q(funder__name__icontains=funder) | Q(funder__name_en__icontains=funder)
    )


def public_contributions(programme: Programme, *, funder: str = ""):
    """The programme's public contributions, largest first, with what a row shows fetched."""
    contributions = of_funder(programme.contributions.public(), funder)
    return (
        contributions.select_related("funder", "funder__parent")
        .prefetch_related(
            Prefetch("shares", ContributionShare.objects.select_related("organisation")),
            Prefetch("citations", ContributionSource.objects.select_related("source")),
        )
        .order_by("-amount", "key")
    )


def contribution_page(
    programme: Programme,
    *,
    funder: str = "",
    page=None,
    page_size=CONTRIBUTIONS_PAGE_SIZE,
    count: int | None = None,
) -> PageOf:
    """One page of the public contributions (largest first); the nearest page when out of range.

    `count`, when the caller knows how many there are, spares the count query.
    """
    paginator = Paginator(public_contributions(programme, funder=funder), page_size)
    if count is not None:
        paginator.count = count
    return PageOf.of(paginator, page)
