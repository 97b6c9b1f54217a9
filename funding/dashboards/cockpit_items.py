"""The cockpit's own items: what is overdue or fell, as rows the cockpit lists.

Each function answers for a set of programmes (None: every one) with how many it found and one
page of them, in one query however many programmes there are: the count rides along with the
rows (a window over the whole result).

When a fuzzy date has passed (docs/decisions.md, "The cockpit"): when its last day has passed,
so "eind 2026" is overdue from 1 January 2027, not on 1 September 2026. A record with several
estimates (sources disagree) is overdue when the last of them has passed: the latest estimate
is its expected date, as the most lenient source gives it, so the cockpit never calls
something late that a source still expects.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q, Window
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from funding.figures.share_change import fallen_shares
from funding.fuzzydate import FuzzyDate
from funding.models import (
    ContributionStatus,
    DateEstimate,
    DecisionEstimate,
    MilestoneStatus,
    Programme,
)
from funding.source_checks import sources_needing_attention

# Milestones nobody has reported on: neither reached nor called off. A delayed milestone whose
# every estimate has passed still needs a new date, so it counts.
OPEN_MILESTONES = [MilestoneStatus.PLANNED, MilestoneStatus.DELAYED]
# "Since last week": the share as it stood at the end of the day seven days ago.
SHARE_DAYS = 7


@dataclass(frozen=True)
class ProgrammeRef:
    """The programme a row belongs to, as much of it as a link and its name need."""

    pk: int
    slug: str
    name: str
    name_en: str = ""


@dataclass(frozen=True)
class Row:
    """One record that needs attention, with what the cockpit says about it.

    `admin` names the record's change page in the admin (with `pk`), for those who may edit
    the programme; `fallback` is the dashboard page, and the part of it, for everyone else.
    """

    programme: ProgrammeRef
    title: str
    title_en: str = ""
    admin: str = ""
    pk: int | None = None
    fallback: tuple[str, str] = ("funding:dashboard_programme", "")
    when: FuzzyDate | None = None
    note: str | Promise = ""
    share_then: Decimal | None = None
    share_now: Decimal | None = None

    @property
    def is_programme(self) -> bool:
        """Whether the record is the programme itself (its name is then the row's title)."""
        return self.admin == "admin:funding_programme_change"


@dataclass(frozen=True)
class Found:
    """How many records an item found, and the page of them asked for."""

    count: int
    rows: list[Row]


def _latest_estimate(model, parent: str):
    """Keeps, of each parent's estimates, the one that ends last (the highest pk on a tie)."""
    later = model.objects.filter(**{parent: OuterRef(parent)}).filter(
        Q(latest__gt=OuterRef("latest")) | Q(latest=OuterRef("latest"), pk__gt=OuterRef("pk"))
    )
    return ~Exists(later)


def _fuzzy(estimate) -> FuzzyDate:
    return FuzzyDate(estimate.precision, estimate.year, estimate.period, estimate.day)


def _programme(programme) -> ProgrammeRef:
    return ProgrammeRef(programme.pk, programme.slug, programme.name, programme.name_en)


def _page(queryset, offset: int, limit: int) -> tuple[int, list]:
    found = list(queryset.annotate(found=Window(Count("pk")))[offset : offset + limit])
    if found:
        return found[0].found, found
    # Past the last page: still say how many there are.
    return (queryset.count() if offset else 0), []


def overdue_milestones(programme_ids, *, today: date, offset: int, limit: int) -> Found:
    """Milestones not reported done or cancelled whose latest expected date ended before today,
    the longest overdue first."""
    estimates = DateEstimate.objects.filter(
        latest__lt=today, milestone__status__in=OPEN_MILESTONES
    ).filter(_latest_estimate(DateEstimate, "milestone"))
    if programme_ids is not None:
        estimates = estimates.filter(milestone__programme_id__in=programme_ids)
    estimates = estimates.select_related("milestone__programme").order_by(
        "latest", "milestone__programme__name", "milestone__position", "milestone__pk"
    )
    count, page = _page(estimates, offset, limit)
    return Found(
        count,
        [
            Row(
                programme=_programme(estimate.milestone.programme),
                title=estimate.milestone.title,
                title_en=estimate.milestone.title_en,
                admin="admin:funding_milestone_change",
                pk=estimate.milestone.pk,
                fallback=("funding:dashboard_programme", "#milestones-heading"),
                when=_fuzzy(estimate),
                note=MilestoneStatus(estimate.milestone.status).label,
            )
            for estimate in page
        ],
    )


def overdue_decisions(programme_ids, *, today: date, offset: int, limit: int) -> Found:
    """Requested contributions whose latest expected decision ended before today, the longest
    overdue first."""
    estimates = DecisionEstimate.objects.filter(
        latest__lt=today, contribution__status=ContributionStatus.REQUESTED
    ).filter(_latest_estimate(DecisionEstimate, "contribution"))
    if programme_ids is not None:
        estimates = estimates.filter(contribution__programme_id__in=programme_ids)
    estimates = estimates.select_related(
        "contribution__programme", "contribution__funder"
    ).order_by("latest", "contribution__programme__name", "contribution__pk")
    count, page = _page(estimates, offset, limit)
    return Found(
        count,
        [
            Row(
                programme=_programme(estimate.contribution.programme),
                title=estimate.contribution.funder_label,
                title_en=_english_label(estimate.contribution),
                admin="admin:funding_contribution_change",
                pk=estimate.contribution.pk,
                fallback=("funding:dashboard_contributions", "?status=requested"),
                when=_fuzzy(estimate),
            )
            for estimate in page
        ],
    )


def _english_label(contribution) -> str:
    """The funder label in English where an admin gave the funder or instrument in English;
    empty otherwise, so the Dutch label is shown and marked as Dutch."""
    funder, instrument = contribution.funder, contribution.instrument
    if not (funder.name_en or contribution.instrument_en):
        return ""
    name = funder.name_en or funder.name
    instrument = contribution.instrument_en or instrument
    return f"{name} ({instrument})" if instrument else name


def week_ago(today: date) -> datetime:
    """The moment the share is compared with: the end of the day `SHARE_DAYS` days ago."""
    return timezone.make_aware(datetime.combine(today - timedelta(days=SHARE_DAYS - 1), time.min))


def fallen_committed_shares(programme_ids, *, today: date, offset: int, limit: int) -> Found:
    """Programmes whose committed share is lower now than at the end of the day a week ago."""
    count, fallen = fallen_shares(programme_ids, since=week_ago(today), offset=offset, limit=limit)
    return Found(
        count,
        [
            Row(
                programme=ProgrammeRef(row.pk, row.slug, row.name, row.name_en),
                title=row.name,
                title_en=row.name_en,
                admin="admin:funding_programme_change",
                pk=row.pk,
                fallback=("funding:dashboard_programme", "#kpi-heading"),
                share_then=row.share_then,
                share_now=row.share_now,
            )
            for row in fallen
        ],
    )


def failed_source_checks(programme_ids, *, today: date, offset: int, limit: int) -> Found:
    """Per programme, the sources whose latest check could not archive them, found their text
    changed, or missed a quoted passage (the rule is `sources_needing_attention`'s), ordered by
    programme and source.

    Every failing check is read (no cap), so the count is the whole count: the entries are
    cached until the next change or check run.
    """
    attention = sources_needing_attention(programme_ids, limit=None)
    programmes = {
        row["pk"]: ProgrammeRef(row["pk"], row["slug"], row["name"], row["name_en"])
        for row in Programme.objects.filter(pk__in=list(attention)).values(
            "pk", "slug", "name", "name_en"
        )
    }
    rows = [
        Row(
            programme=programmes[programme_id],
            title=entry.source.title,
            title_en=entry.source.title_en,
            admin="admin:funding_source_change",
            pk=entry.source.pk,
            note=_source_reason(entry),
        )
        for programme_id in sorted(attention, key=lambda pk: (programmes[pk].name, pk))
        for entry in attention[programme_id]
    ]
    return Found(len(rows), rows[offset : offset + limit])


def _source_reason(entry) -> Promise:
    # The admin's words for the same findings (funding/admin/source_checks.py).
    if entry.broken:
        return _("source could not be archived")
    if entry.missing:
        return _("a quoted passage was not found")
    return _("text changed since first archived")
