"""Context builders for the staff dashboards: plain functions that tests call without HTTP.

Staff see every record, public or not. Every query a dashboard makes is here, grouped and summed
in the database, so a page costs the same number of queries however many contributions it has.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import NamedTuple

from django.db.models import F, Q, Sum, Value
from django.db.models.functions import Greatest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone

from funding.cache import cached
from funding.dashboards.drilldown import (
    FunderLinks,
    PortfolioLinks,
    RowCounts,
    RowsLink,
    funder_links,
    kpi_links,
    portfolio_links,
    row_count_annotations,
)
from funding.figures.as_of import programme_as_of
from funding.figures.over_time import FundsOverTime, funds_over_time
from funding.figures.scenarios import Forecast, Scenarios, programme_scenarios
from funding.figures.summaries import FundingSummary, MilestoneView, milestone_timeline
from funding.models import (
    ContributionStatus,
    Payment,
    Programme,
)
from funding.models.contributions import COUNTED_AS_COMMITTED
from funding.models.money import ZERO
from funding.models.programmes import MONEY_OUTPUT, committed_share

CENT = Decimal("0.01")
# The portfolio chart compares this many programmes, the largest targets first; the table has all.
PORTFOLIO_CHART_SIZE = 10


@dataclass(frozen=True)
class FunderFunding:
    """One funder's money in a programme: paid out, committed and not yet paid, and pending."""

    funder: str
    disbursed: Decimal
    committed_unpaid: Decimal
    pending: Decimal
    funder_en: str = ""
    funder_id: int | None = None

    @property
    def committed(self) -> Decimal:
        return self.disbursed + self.committed_unpaid


@dataclass
class ProgrammeDashboard:
    programme: Programme
    summary: FundingSummary
    by_funder: list[FunderFunding]
    over_time: FundsOverTime
    milestones: list[MilestoneView]
    charts: dict = field(default_factory=dict)
    as_of: date | None = None  # the day the figures hold as of (funding/figures/as_of.py)
    scenarios: Scenarios | None = None
    counts: RowCounts | None = None

    @property
    def links(self) -> dict[str, RowsLink]:
        """The rows behind each figure, by the figure's name (`funding.dashboards.drilldown`)."""
        return kpi_links(self.programme.slug, self.counts)

    @property
    def funders_with_links(self) -> list[tuple[FunderFunding, FunderLinks]]:
        slug = self.programme.slug
        return [(row, funder_links(slug, row.funder_id)) for row in self.by_funder]

    @property
    def forecast(self) -> Forecast:
        return Forecast.of(self.scenarios)

    @property
    def committed_unpaid(self) -> Decimal:
        return self.summary.committed - self.summary.disbursed


class PortfolioRow(NamedTuple):
    """A programme and its totals over all its records, as the portfolio lists it.

    Amounts are kept in cents (the share in hundredths of a percent) and read as Decimal: the
    cache hands back a thousand rows per request, and a tuple of integers unpickles several times
    faster than one of Decimals.
    """

    pk: int
    name: str
    slug: str
    currency: str
    is_public: bool
    target_cents: int
    committed_cents: int
    pending_cents: int
    disbursed_cents: int
    gap_cents: int
    share_hundredths: int | None
    name_en: str = ""

    @property
    def target(self) -> Decimal:
        return _from_cents(self.target_cents)

    @property
    def committed(self) -> Decimal:
        return _from_cents(self.committed_cents)

    @property
    def pending(self) -> Decimal:
        return _from_cents(self.pending_cents)

    @property
    def disbursed(self) -> Decimal:
        return _from_cents(self.disbursed_cents)

    @property
    def gap(self) -> Decimal:
        return _from_cents(self.gap_cents)

    @property
    def committed_share(self) -> Decimal | None:
        return None if self.share_hundredths is None else _from_cents(self.share_hundredths)

    def get_absolute_url(self) -> str:
        return reverse("funding:programme", kwargs={"slug": self.slug})

    @property
    def links(self) -> PortfolioLinks:
        """The rows behind the programme's committed, pending and disbursed figures."""
        return portfolio_links(self.slug)


def _cents(amount: Decimal) -> int:
    # Rounded to two decimals as FundingSummary does: SQLite hands back shares unrounded.
    return int(Decimal(amount).quantize(CENT).scaleb(2))


def _from_cents(cents: int) -> Decimal:
    return Decimal(cents).scaleb(-2)


def portfolio_programmes() -> list[PortfolioRow]:
    """Every programme, public or not, ordered by name, with its totals over all its records.

    Two grouped queries however many programmes there are: the programmes joined with their
    contributions, summed per programme, and the payments summed per programme. The rows are
    kept in the cache until a funding record changes; sorting and paging 1,000 of them in Python
    costs less than summing them again for every page.
    """
    # Staff data, so not under the public scope; the rows hold no language.
    return cached(("portfolio",), _portfolio_rows, scope="staff", language=False)


def _portfolio_rows() -> list[PortfolioRow]:
    counted = Q(contributions__status__in=COUNTED_AS_COMMITTED)
    programmes = (
        Programme.objects.annotate(
            committed=Sum("contributions__amount", filter=counted, default=ZERO),
            pending=Sum(
                "contributions__amount",
                filter=Q(contributions__status=ContributionStatus.REQUESTED),
                default=ZERO,
            ),
        )
        .annotate(
            gap=Greatest(F("target") - F("committed"), Value(ZERO), output_field=MONEY_OUTPUT),
            committed_share=committed_share(F("committed")),
        )
        .order_by("name")
        .values(
            "pk",
            "name",
            "name_en",
            "slug",
            "target",
            "currency",
            "is_public",
            "committed",
            "pending",
            "gap",
            "committed_share",
        )
    )
    paid = dict(
        Payment.objects.filter(contribution__status__in=COUNTED_AS_COMMITTED)
        .values_list("contribution__programme")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    return [
        PortfolioRow(
            pk=programme["pk"],
            name=programme["name"],
            slug=programme["slug"],
            currency=programme["currency"],
            is_public=programme["is_public"],
            target_cents=_cents(programme["target"]),
            committed_cents=_cents(programme["committed"]),
            pending_cents=_cents(programme["pending"]),
            disbursed_cents=_cents(paid.get(programme["pk"], ZERO)),
            gap_cents=_cents(programme["gap"]),
            share_hundredths=None
            if programme["committed_share"] is None
            else _cents(programme["committed_share"]),
            name_en=programme["name_en"],
        )
        for programme in programmes
    ]


def largest_targets(programmes, limit: int = PORTFOLIO_CHART_SIZE) -> list[PortfolioRow]:
    """The programmes with the largest targets, for the comparison chart."""
    return sorted(programmes, key=lambda row: (-row.target_cents, row.name))[:limit]


def programme_dashboard(slug: str, *, today: date | None = None) -> ProgrammeDashboard:
    """Everything the programme dashboard shows, non-public records included. 404 when unknown.

    Kept in the cache until a funding record changes or the day ends (the series ends today).
    """
    today = today or timezone.localdate()
    return cached(
        ("programme", slug),
        lambda: _dashboard(slug, today),
        scope="staff",
        language=False,
        day=today,
    )


def _dashboard(slug: str, today: date) -> ProgrammeDashboard:
    programmes = Programme.objects.with_totals(public_only=False).annotate(
        **row_count_annotations()
    )
    programme = get_object_or_404(programmes, slug=slug)
    return ProgrammeDashboard(
        programme=programme,
        summary=FundingSummary.of(programme),
        by_funder=funding_by_funder(programme),
        over_time=funds_over_time(programme, today=today),
        milestones=milestone_timeline(programme.milestones.all(), today),
        as_of=programme_as_of(programme, public_only=False),
        scenarios=programme_scenarios(programme, public_only=False),
        counts=RowCounts.of(programme),
    )


def funding_by_funder(programme: Programme) -> list[FunderFunding]:
    """Per funder: disbursed, committed but not yet paid, and pending; withdrawn money left out."""
    amounts = (
        programme.contributions.counted()
        .values("funder_id", "funder__name", "funder__name_en", "status")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    paid = (
        Payment.objects.filter(
            contribution__programme=programme, contribution__status__in=COUNTED_AS_COMMITTED
        )
        .values("contribution__funder_id")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    committed, pending = defaultdict(lambda: ZERO), defaultdict(lambda: ZERO)
    names, english = {}, {}
    for row in amounts:
        into = pending if row["status"] == ContributionStatus.REQUESTED else committed
        into[row["funder_id"]] += row["total"]
        names[row["funder_id"]] = row["funder__name"]
        english[row["funder_id"]] = row["funder__name_en"]
    disbursed = {row["contribution__funder_id"]: row["total"] for row in paid}
    funders = sorted(names, key=lambda pk: (-(committed[pk] + pending[pk]), names[pk], pk))
    return [
        FunderFunding(
            funder=names[pk],
            disbursed=disbursed.get(pk, ZERO),
            committed_unpaid=committed[pk] - disbursed.get(pk, ZERO),
            pending=pending[pk],
            funder_id=pk,
            funder_en=english[pk],
        )
        for pk in funders
    ]
