"""Context builders for the public pages: plain functions that tests call without HTTP.

Every query a public page makes is here, with the related rows it needs fetched up front, so the
templates never query and a page's cost does not grow with its data.
"""

from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.http import urlencode

from funding.figures.as_of import programme_as_of
from funding.figures.listings import (
    CONTRIBUTIONS_PAGE_SIZE,
    ContributionTotals,
    PageOf,
    contribution_page,
    contribution_totals,
)
from funding.figures.scenarios import Scenarios, programme_scenarios
from funding.models import (
    Contribution,
    DateEstimate,
    Milestone,
    MilestoneStatus,
    PartnerRole,
    Programme,
    Source,
)
from funding.models.money import ZERO
from funding.source_checks import quotes_checked_on


@dataclass(frozen=True)
class FundingSummary:
    """A programme's totals, as computed by `Programme.objects.with_totals()`."""

    target: Decimal
    committed: Decimal
    pending: Decimal
    disbursed: Decimal
    gap: Decimal
    committed_share: Decimal | None
    currency: str

    @classmethod
    def of(cls, programme: Programme) -> "FundingSummary":
        return cls(
            target=programme.target,
            committed=programme.committed,
            pending=programme.pending,
            disbursed=programme.disbursed,
            gap=programme.gap,
            # SQLite hands back the share unrounded; every database gives two decimals here.
            committed_share=None
            if programme.committed_share is None
            else Decimal(programme.committed_share).quantize(Decimal("0.01")),
            currency=programme.currency,
        )

    @property
    def pending_share(self) -> Decimal | None:
        if not self.target:
            return None
        return (self.pending * 100 / self.target).quantize(Decimal("0.01"))

    @property
    def committed_unpaid(self) -> Decimal:
        """Committed and not yet paid out."""
        return self.committed - self.disbursed

    @property
    def uncovered(self) -> Decimal:
        """What neither a commitment nor a pending request covers."""
        return max(self.target - self.committed - self.pending, ZERO)


@dataclass
class CitedPassage:
    what: str
    quote: str


@dataclass
class CitedSource:
    source: Source
    passages: list[CitedPassage] = field(default_factory=list)
    # The day the latest source check found every passage here (funding/source_checks.py).
    checked_on: date | None = None


@dataclass
class MilestoneView:
    milestone: Milestone
    estimates: list[DateEstimate]
    overdue: bool

    @classmethod
    def of(cls, milestone: Milestone, today: date) -> "MilestoneView":
        """A milestone with its prefetched estimates; overdue when its latest date has passed."""
        return cls(
            milestone=milestone,
            estimates=list(milestone.estimates.all()),
            overdue=milestone.status in (MilestoneStatus.PLANNED, MilestoneStatus.DELAYED)
            and bool(milestone.expected_until)
            and milestone.expected_until < today,
        )

    @property
    def sources_differ(self) -> bool:
        return len({(e.earliest, e.latest) for e in self.estimates}) > 1


def milestone_timeline(milestones, today: date) -> list[MilestoneView]:
    """The milestones in timeline order, each with its estimates and their sources fetched."""
    milestones = (
        milestones.in_timeline_order()
        .select_related("source")
        .prefetch_related(Prefetch("estimates", DateEstimate.objects.select_related("source")))
    )
    return [MilestoneView.of(milestone, today) for milestone in milestones]


@dataclass
class ProgrammePage:
    programme: Programme
    summary: FundingSummary
    contributions: list[Contribution]  # the shown page of them
    partners: list[PartnerRole]
    milestones: list[MilestoneView]
    sources: list[CitedSource]
    totals: ContributionTotals
    contribution_page: PageOf
    funder_search: str = ""
    as_of: date | None = None  # the day the public figures hold as of (funding/figures/as_of.py)
    scenarios: Scenarios | None = None
    # The past day the page stands for (funding/figures/past/); None for today's page.
    on: date | None = None

    @property
    def contributions_paged(self) -> bool:
        """More public contributions than one page, or a search: totals and search are shown."""
        return self.contribution_page.pages > 1 or bool(self.funder_search)

    @property
    def page_query(self) -> str:
        """The day and the funder search for the page links: "on=…&funder=…&", or empty."""
        query = {"on": self.on.isoformat()} if self.on else {}
        if self.funder_search:
            query["funder"] = self.funder_search
        return urlencode(query) + "&" if query else ""


def public_programmes() -> list[tuple[Programme, FundingSummary]]:
    """The public programmes with their public totals, for the open data's list."""
    programmes = Programme.objects.public().with_totals(public_only=True).order_by("name")
    return [(programme, FundingSummary.of(programme)) for programme in programmes]


def public_programme_page(
    slug: str,
    *,
    today: date | None = None,
    funder: str = "",
    page=None,
    page_size: int = CONTRIBUTIONS_PAGE_SIZE,
    scenarios: bool = True,
    decision_dates: bool = False,
    quote_checks: bool = False,
) -> ProgrammePage:
    """Everything the public programme page shows: public records only. 404 for unknown slugs.

    The contributions are one page of them, largest first (searched by funder name); the totals
    per funder and status cover them all. The sources are those the shown records cite.
    `scenarios` (what granting or refusing the pending requests makes of the total) can be left
    out, and the expected decision dates are fetched only when asked for (`decision_dates`), as
    is the day each source's passages were last checked against it (`quote_checks`).
    """
    today = today or timezone.localdate()
    programme = get_object_or_404(
        Programme.objects.public().with_totals(public_only=True).select_related("target_source"),
        slug=slug,
    )
    totals = contribution_totals(programme)
    shown = contribution_page(
        programme,
        funder=funder,
        page=page,
        page_size=page_size,
        count=None if funder else totals.contributions,
    )
    contributions = shown.items
    partners = list(
        programme.partners.filter(is_public=True).select_related("organisation", "source")
    )
    milestone_views = milestone_timeline(programme.milestones.public(), today)
    milestones = [view.milestone for view in milestone_views]
    sources = cited_sources(programme, contributions, partners, milestones)
    if quote_checks:
        checked = quotes_checked_on(
            {entry.source.pk: {passage.quote for passage in entry.passages} for entry in sources}
        )
        for entry in sources:
            entry.checked_on = checked.get(entry.source.pk)
    return ProgrammePage(
        programme=programme,
        summary=FundingSummary.of(programme),
        contributions=contributions,
        partners=partners,
        milestones=milestone_views,
        sources=sources,
        totals=totals,
        contribution_page=shown,
        funder_search=funder,
        as_of=programme_as_of(programme, public_only=True),
        scenarios=programme_scenarios(programme, public_only=True, decision_dates=decision_dates)
        if scenarios
        else None,
    )


def cited_sources(programme, contributions, partners, milestones) -> list[CitedSource]:
    """Every source the page's records cite, each with the passages quoted from it."""
    cited: OrderedDict[int, CitedSource] = OrderedDict()

    def cite(source, what, quote):
        if source is None:
            return
        entry = cited.setdefault(source.pk, CitedSource(source))
        if quote and all(p.quote != quote for p in entry.passages):
            entry.passages.append(CitedPassage(str(what), quote))

    cite(programme.target_source, programme.name, programme.target_quote)
    for contribution in contributions:
        for citation in contribution.citations.all():
            cite(citation.source, contribution.funder, citation.quote)
    for partner in partners:
        cite(partner.source, partner.organisation, partner.quote)
    for milestone in milestones:
        cite(milestone.source, milestone.title, milestone.quote)
        for estimate in milestone.estimates.all():
            cite(estimate.source, milestone.title, estimate.quote)
    return sorted(cited.values(), key=lambda entry: entry.source.title)
