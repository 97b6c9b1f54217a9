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
from functools import cached_property

from django.core.paginator import Paginator
from django.db.models import Max, Min, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils import timezone

from funding.figures.listings import CONTRIBUTIONS_PAGE_SIZE, PageOf, of_funder, totals_of
from funding.figures.past.days import end_of
from funding.figures.past.versions import found_once, record_of, versions_at, with_prefetched
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
        self.milestones = self.versions("milestone", programme_id=programme.pk).filter(
            is_public=True
        )

    @cached_property
    def public(self):
        """The public contributions' versions: read by most of the page's queries, found once."""
        contributions = self.versions("contribution", programme_id=self.programme.pk)
        return found_once(contributions.filter(is_public=True))

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
    """The programme's public version that day, with its totals and the day its figures held
    as of; None when it was not public.

    Four queries, two of them over the contributions' history (each a window over it): the
    sums and newest moments of the contributions, and the payments of the committed ones.
    """
    versions = day.versions("programme", id=day.programme.pk).filter(is_public=True)
    version = (
        versions.annotate(
            newest_milestone=_newest(day.milestones),
            newest_estimate=_newest(
                day.versions("estimate", milestone_id__in=day.milestones.values("id"))
            ),
            newest_partner=_newest(
                day.versions("partner", programme_id=day.programme.pk).filter(is_public=True)
            ),
        )
        .select_related("target_source")
        .first()
    )
    if version is None:
        return None
    contributions = _contribution_sums(day)
    committed = day.public.filter(status__in=COUNTED_AS_COMMITTED)
    payments = day.versions("payment", contribution_id__in=committed.values("id")).aggregate(
        disbursed=Sum("amount", default=ZERO, output_field=MONEY_OUTPUT),
        newest=Max("history_date"),
    )
    # The gap and the committed share: today's expressions, on the sums of that day.
    totals = with_totals_of(
        versions.filter(history_id=version.history_id),
        committed=Value(contributions["committed"], output_field=MONEY_OUTPUT),
        pending=Value(contributions["pending"], output_field=MONEY_OUTPUT),
        disbursed=Value(payments["disbursed"], output_field=MONEY_OUTPUT),
    ).values("committed", "pending", "disbursed", "gap", "committed_share")[0]
    for name, value in totals.items():
        setattr(version, name, value)
    moments = [
        version.history_date,
        version.newest_milestone,
        version.newest_estimate,
        version.newest_partner,
        payments["newest"],
        *(value for name, value in contributions.items() if name.startswith("newest")),
    ]
    version.as_of = _day_of(max(moment for moment in moments if moment is not None))
    return version


def _newest_child(kind: str, moment, field: str = "history_date"):
    """Per contribution (OuterRef "id"), the newest row of a kind that hangs on it, recorded
    before `moment`: looked up by the contribution's index, no window over the history."""
    return Subquery(
        KINDS[kind]
        .rows.filter(contribution_id=OuterRef("id"), **{f"{field}__lt": moment})
        .order_by()
        .values("contribution_id")
        .annotate(newest=Max(field))
        .values("newest")
    )


def _contribution_sums(day: _Day) -> dict:
    """The day's committed and pending sums, and the newest moments of its public
    contributions and of what hangs on them (status events, shares, citations)."""
    committed = Q(status__in=COUNTED_AS_COMMITTED)
    return day.public.annotate(
        event=_newest_child(STATUS, day.moment, "recorded_at"),
        share=_newest_child("share", day.moment),
        citation=_newest_child("citation", day.moment),
    ).aggregate(
        committed=Sum("amount", filter=committed, default=ZERO, output_field=MONEY_OUTPUT),
        pending=Sum(
            "amount",
            filter=Q(status=ContributionStatus.REQUESTED),
            default=ZERO,
            output_field=MONEY_OUTPUT,
        ),
        newest=Max("history_date"),
        newest_event=Max("event"),
        newest_share=Max("share"),
        newest_citation=Max("citation"),
    )


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
    # The day's totals, summed in the database with the programme's version: the window over
    # the history is not made again for every pending row.
    rows = pending_rows(
        day.public.select_related("funder"),
        committed=Value(version.committed, output_field=MONEY_OUTPUT),
        pending=Value(version.pending, output_field=MONEY_OUTPUT),
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
