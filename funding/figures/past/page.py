"""The public programme page as it stood at the end of a past day: the same `ProgrammePage` as
today's page (funding/figures/summaries.py), rebuilt from the history rows.

The publication rule is the one of the change log and the feed, applied on that day: only what
was public then (the programme in its version of that day, each record in its own version, a
share, payment or estimate only while its parent was). The sums are made in the database, over
the history rows, with the same expressions as today's totals (`with_totals_of`, `totals_of`,
`pending_rows`), so the figures of a day are the ones the page showed that day. A contribution's
citations are read as they stood too; organisations and sources (their names and titles) are
shown as they are now: they are shared by every programme (docs/decisions.md).

A bounded number of queries, however long the history: the programme with its totals, the
totals per funder and status, a page of contributions with their shares and citations, the
partners, the milestones with their estimates, the scenarios.
"""

from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import date

from django.core.paginator import Paginator
from django.db.models import Max, Min, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils import timezone

from funding.figures.listings import CONTRIBUTIONS_PAGE_SIZE, PageOf, of_funder, totals_of
from funding.figures.past.days import end_of
from funding.figures.past.versions import record_of, versions_at, with_prefetched
from funding.figures.scenarios import SCENARIOS_SHOWN, pending_rows, scenarios_of
from funding.figures.summaries import FundingSummary, MilestoneView, ProgrammePage, cited_sources
from funding.history.registry import KINDS, STATUS
from funding.models import ContributionStatus, Programme
from funding.models.contributions import COUNTED_AS_COMMITTED
from funding.models.milestones import TIMELINE_ORDER
from funding.models.money import ZERO
from funding.models.programmes import MONEY_OUTPUT, with_totals_of


@dataclass(frozen=True)
class NotPublicThen:
    """The programme had no public page at the end of that day (not yet, or not then)."""

    programme: Programme  # as it is now: its name and address
    on: date


def _total(rows, field: str = "amount"):
    """The sum of `field` over the rows, as a subquery; 0 when there are none."""
    total = (
        rows.order_by()
        .annotate(one=Value(1))
        .values("one")
        .annotate(total=Sum(field, output_field=MONEY_OUTPUT))
        .values("total")
    )
    return Coalesce(Subquery(total, output_field=MONEY_OUTPUT), Value(ZERO))


def _newest(rows, field: str = "history_date"):
    """The newest moment among the rows, as a subquery (the page's "as of")."""
    return Subquery(
        rows.order_by().annotate(one=Value(1)).values("one").annotate(m=Max(field)).values("m")
    )


class _Day:
    """The programme's public records as they stood at the end of the day, as querysets."""

    def __init__(self, programme: Programme, on: date):
        self.programme, self.on, self.moment = programme, on, end_of(on)
        self.public = self.versions("contribution", programme_id=programme.pk).filter(
            is_public=True
        )
        self.milestones = self.versions("milestone", programme_id=programme.pk).filter(
            is_public=True
        )

    def versions(self, kind: str, **where):
        return versions_at(KINDS[kind], self.moment, **where)

    def children(self, kind: str):
        """A share's or payment's versions, of contributions public that day."""
        return self.versions(kind, contribution_id__in=self.public.values("id"))


def past_programme_page(
    slug: str,
    *,
    on: date,
    funder: str = "",
    page=None,
    page_size: int = CONTRIBUTIONS_PAGE_SIZE,
    scenarios: bool = True,
    decision_dates: bool = False,
) -> ProgrammePage | NotPublicThen:
    """The page as it stood at the end of `on`; NotPublicThen when the programme was not public
    then; 404 for a slug that is not a public programme now (its address answers nothing)."""
    live = get_object_or_404(Programme.objects.public(), slug=slug)
    day = _Day(live, on)
    version = _programme_version(day)
    if version is None:
        return NotPublicThen(live, on)
    programme = record_of(version, ("target_source",))
    programme.slug = live.slug  # the address it has now, which every link uses
    totals = totals_of(day.public)
    shown = _contribution_page(day, funder, page, page_size, totals.contributions)
    partners = [
        record_of(row, ("organisation", "source"))
        for row in day.versions("partner", programme_id=live.pk)
        .filter(is_public=True)
        .select_related("organisation", "source")
        .order_by("role", "organisation__name")
    ]
    milestones = _timeline(day)
    return ProgrammePage(
        programme=programme,
        summary=FundingSummary.of(version),
        contributions=shown.items,
        partners=partners,
        milestones=milestones,
        sources=cited_sources(
            programme, shown.items, partners, [view.milestone for view in milestones]
        ),
        totals=totals,
        contribution_page=shown,
        funder_search=funder,
        as_of=version.as_of,
        scenarios=_scenarios(day, version, decision_dates) if scenarios else None,
        on=on,
    )


def _programme_version(day: _Day):
    """The programme's public version that day, with its totals and the newest moment of the
    records behind them; None when it was not public."""
    versions = day.versions("programme", id=day.programme.pk).filter(is_public=True)
    committed = day.public.filter(status__in=COUNTED_AS_COMMITTED)
    payments = day.versions("payment", contribution_id__in=committed.values("id"))
    events = KINDS[STATUS].rows.filter(
        contribution_id__in=day.public.values("id"), recorded_at__lt=day.moment
    )
    estimates = day.versions("estimate", milestone_id__in=day.milestones.values("id"))
    newest = {
        "newest_contribution": _newest(day.public),
        "newest_event": _newest(events, "recorded_at"),
        "newest_share": _newest(day.children("share")),
        "newest_payment": _newest(day.children("payment")),
        "newest_milestone": _newest(day.milestones),
        "newest_estimate": _newest(estimates),
        "newest_partner": _newest(
            day.versions("partner", programme_id=day.programme.pk).filter(is_public=True)
        ),
    }
    version = (
        with_totals_of(
            versions,
            committed=_total(committed),
            pending=_total(day.public.filter(status=ContributionStatus.REQUESTED)),
            disbursed=_total(payments),
        )
        .annotate(**newest)
        .select_related("target_source")
        .first()
    )
    if version is not None:
        moments = [version.history_date, *(getattr(version, name) for name in newest)]
        version.as_of = _day_of(max(moment for moment in moments if moment is not None))
    return version


def _day_of(moment) -> date:
    return timezone.localtime(moment).date()


def _contribution_page(day: _Day, funder: str, page, page_size: int, count: int) -> PageOf:
    """One page of the day's public contributions, largest first, with their shares (as they
    stood) and citations."""
    rows = (
        of_funder(day.public, funder)
        .select_related("funder", "funder__parent")
        .order_by("-amount", "key")
    )
    paginator = Paginator(rows, page_size)
    if not funder:
        paginator.count = count
    shown = PageOf.of(paginator, page)
    ids = [row.id for row in shown.items]
    shares, citations = defaultdict(list), defaultdict(list)
    for share in (
        day.versions("share", contribution_id__in=ids)
        .select_related("organisation")
        .order_by("organisation__name")
    ):
        shares[share.contribution_id].append(record_of(share, ("organisation",)))
    for citation in (
        day.versions("citation", contribution_id__in=ids).select_related("source").order_by("id")
    ):
        citations[citation.contribution_id].append(record_of(citation, ("source",)))
    contributions = [
        with_prefetched(
            record_of(row, ("funder",)), shares=shares[row.id], citations=citations[row.id]
        )
        for row in shown.items
    ]
    return replace(shown, items=contributions)


def _per_milestone(estimates, function, field: str):
    return Subquery(
        estimates.filter(milestone_id=OuterRef("id"))
        .order_by()
        .values("milestone_id")
        .annotate(value=function(field))
        .values("value")
    )


def _timeline(day: _Day) -> list[MilestoneView]:
    """The day's public milestones in timeline order, each with its estimates as they stood."""
    estimates = day.versions("estimate", milestone_id__in=day.milestones.values("id"))
    rows = list(
        day.milestones.annotate(
            expected_from=_per_milestone(estimates, Min, "earliest"),
            expected_until=_per_milestone(estimates, Max, "latest"),
        )
        .select_related("source")
        .order_by(*TIMELINE_ORDER)
    )
    per_milestone = defaultdict(list)
    for estimate in estimates.select_related("source").order_by(
        "milestone_id", "earliest", "latest", "id"
    ):
        per_milestone[estimate.milestone_id].append(record_of(estimate, ("source",)))
    views = []
    for row in rows:
        milestone = with_prefetched(record_of(row, ("source",)), estimates=per_milestone[row.id])
        milestone.expected_until = row.expected_until
        views.append(MilestoneView.of(milestone, day.on))
    return views


def _scenarios(day: _Day, version, decision_dates: bool):
    """The day's scenarios, from the same expressions as today's (`pending_rows`)."""
    counted = day.public.filter(programme=OuterRef("programme"))
    rows = pending_rows(
        day.public.select_related("funder"),
        counted,
        target=Value(version.target, output_field=MONEY_OUTPUT),
        limit=SCENARIOS_SHOWN,
    )
    expected = defaultdict(list)
    if decision_dates and rows:
        estimates = day.versions("decision estimate", contribution_id__in=[r.id for r in rows])
        for estimate in estimates.select_related("source").order_by(
            "contribution_id", "earliest", "latest", "id"
        ):
            expected[estimate.contribution_id].append(record_of(estimate, ("source",)))
    return scenarios_of(version, rows, estimates=lambda row: expected[row.id])
