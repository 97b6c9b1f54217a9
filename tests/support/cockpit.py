"""Records that the cockpit lists: overdue milestones and decisions, and history as it stood."""

from datetime import date, timedelta

from django.utils import timezone

from funding.models import (
    Contribution,
    ContributionSource,
    ContributionStatus,
    Programme,
    SnapshotOrigin,
    SnapshotOutcome,
)
from funding.models.teams import ProgrammeMembership
from funding.source_archive import Archived
from funding.source_checks import record_check
from tests.support.factories import (
    ContributionFactory,
    DateEstimateFactory,
    DecisionEstimateFactory,
    MilestoneFactory,
    SourceFactory,
)


def last_year() -> int:
    return timezone.localdate().year - 1


def overdue_milestone(programme, **fields):
    """A planned milestone that a source expected late last year (its last day has passed)."""
    milestone = MilestoneFactory(programme=programme, **fields)
    DateEstimateFactory(milestone=milestone, precision="part", year=last_year(), period=3)
    return milestone


def overdue_decision(programme, **fields):
    """A requested contribution whose decision a source expected in Q1 of last year."""
    contribution = ContributionFactory(
        programme=programme, status=ContributionStatus.REQUESTED, **fields
    )
    DecisionEstimateFactory(
        contribution=contribution, precision="quarter", year=last_year(), period=1
    )
    return contribution


def recorded_days_ago(days: int, *, programmes=(), contributions=()) -> None:
    """Moves the history already kept of these records back by `days`: as if recorded then."""
    moment = timezone.now() - timedelta(days=days)
    Programme.history.filter(id__in=[p.pk for p in programmes]).update(history_date=moment)
    Contribution.history.filter(id__in=[c.pk for c in contributions]).update(history_date=moment)


def member(user, programme, role="viewer"):
    return ProgrammeMembership.objects.create(user=user, programme=programme, role=role)


def today() -> date:
    return timezone.localdate()


def checked_source(programme, *, title: str, text: str, quote: str = "Het kabinet draagt bij."):
    """A source quoted by a contribution of `programme`, checked against `text` (None: the
    source could not be fetched)."""
    source = SourceFactory(title=title, url=f"https://example.org/{title}")
    contribution = ContributionFactory(programme=programme)
    ContributionSource.objects.create(contribution=contribution, source=source, quote=quote)
    outcome = SnapshotOutcome.OK if text is not None else SnapshotOutcome.UNAVAILABLE
    archived = Archived(origin=SnapshotOrigin.ADDRESS, outcome=outcome, text=text or "")
    record_check(source, archived)
    return source
