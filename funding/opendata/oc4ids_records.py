"""The public records an OC4IDS project is made of, read for a page of programmes at once.

A fixed number of queries for any number of programmes and contributions: each kind of record is
read in one query for all the programmes (joined to them, not listed by id, so a programme with
ten thousand contributions sends no ten-thousand-item IN list) and grouped here. What is public is
decided by the models' `public()` querysets, as everywhere else (partners by their `is_public`,
as on the public page).
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from django.core.paginator import Paginator
from django.db.models import Q

from funding.figures.as_of import newest_changes
from funding.figures.listings import PageOf
from funding.models import (
    Contribution,
    ContributionShare,
    ContributionSource,
    DateEstimate,
    Milestone,
    PartnerRole,
    Payment,
    Programme,
    StatusEvent,
)


@dataclass
class ContributionRecords:
    contribution: Contribution
    shares: list[ContributionShare] = field(default_factory=list)
    citations: list[ContributionSource] = field(default_factory=list)
    events: list[StatusEvent] = field(default_factory=list)
    payments: list[Payment] = field(default_factory=list)


@dataclass
class MilestoneRecords:
    milestone: Milestone
    estimates: list[DateEstimate] = field(default_factory=list)


@dataclass
class ProjectRecords:
    """A public programme (with its public totals) and its public records."""

    programme: Programme
    contributions: list[ContributionRecords] = field(default_factory=list)
    partners: list[PartnerRole] = field(default_factory=list)
    milestones: list[MilestoneRecords] = field(default_factory=list)
    # The newest recorded change to its public records ("as of", funding/figures/as_of.py).
    updated: datetime | None = None


def public_projects():
    """The public programmes with their public totals, by name."""
    return (
        Programme.objects.public()
        .with_totals(public_only=True)
        .select_related("target_source")
        .order_by("name", "pk")
    )


def public_projects_page(number: int, page_size: int) -> tuple[PageOf, list[Programme]]:
    """Page `number` of the public programmes (the nearest page when out of range), and its
    programmes with their totals.

    Paged by id first, so that the totals are summed for this page's programmes only: paging
    the programmes with their totals made PostgreSQL sum them for every programme before the
    page too (0.7 s for the last page of a thousand).
    """
    ids = Programme.objects.public().order_by("name", "pk").values_list("pk", flat=True)
    page = PageOf.of(Paginator(ids, page_size), number)
    return page, list(public_projects().filter(pk__in=page.items))


def _grouped(rows, key: str) -> dict[int, list]:
    groups = defaultdict(list)
    for row in rows:
        groups[getattr(row, key)].append(row)
    return groups


def project_records(programmes: list[Programme]) -> list[ProjectRecords]:
    """The records of these programmes (as `public_projects()` gives them), in their order."""
    ids = [programme.pk for programme in programmes]
    contributions = Contribution.objects.public().filter(programme_id__in=ids)
    milestones = Milestone.objects.public().filter(programme_id__in=ids)

    def of_contributions(model, related: str, *order):
        rows = model.objects.filter(contribution__in=contributions).select_related(related)
        return _grouped(rows.order_by(*order), "contribution_id")

    shares = of_contributions(ContributionShare, "organisation", "organisation__name", "pk")
    citations = of_contributions(ContributionSource, "source", "pk")
    events = of_contributions(StatusEvent, "source", "recorded_at", "pk")
    payments = of_contributions(Payment, "source", "paid_on", "pk")
    contributions = _grouped(
        contributions.select_related("funder").order_by("programme_id", "-amount", "key"),
        "programme_id",
    )
    estimates = _grouped(
        DateEstimate.objects.filter(milestone__in=milestones).select_related("source"),
        "milestone_id",
    )
    milestones = _grouped(milestones.in_timeline_order().select_related("source"), "programme_id")
    partners = _grouped(
        PartnerRole.objects.filter(programme_id__in=ids, is_public=True).select_related(
            "organisation", "source"
        ),
        "programme_id",
    )
    updated = newest_changes(public_only=True, programmes=Q(pk__in=ids))
    return [
        ProjectRecords(
            programme=programme,
            contributions=[
                ContributionRecords(
                    contribution,
                    shares=shares.get(contribution.pk, []),
                    citations=citations.get(contribution.pk, []),
                    events=events.get(contribution.pk, []),
                    payments=payments.get(contribution.pk, []),
                )
                for contribution in contributions.get(programme.pk, [])
            ],
            partners=partners.get(programme.pk, []),
            milestones=[
                MilestoneRecords(milestone, estimates.get(milestone.pk, []))
                for milestone in milestones.get(programme.pk, [])
            ],
            updated=updated.get(programme.pk),
        )
        for programme in programmes
    ]
