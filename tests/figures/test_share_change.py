"""Committed shares that fell: today's share against the share the history kept a week ago."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from funding.figures.share_change import fallen_shares
from funding.models import ContributionStatus
from tests.support.cockpit import recorded_days_ago
from tests.support.factories import ContributionFactory, ProgrammeFactory

pytestmark = pytest.mark.django_db


def fallen(programme_ids=None):
    """What fell since seven days ago."""
    since = timezone.now() - timedelta(days=7)
    return fallen_shares(programme_ids, since=since, offset=0, limit=10)


def test_it_lists_a_programme_whose_committed_share_fell_since_last_week():
    falling = ProgrammeFactory(name="Falling", target=Decimal("1000000.00"))
    rising = ProgrammeFactory(name="Rising", target=Decimal("1000000.00"))
    withdrawn = ContributionFactory(programme=falling, amount=Decimal("100000.00"))
    kept = ContributionFactory(programme=falling, amount=Decimal("100000.00"))
    requested = ContributionFactory(
        programme=rising, amount=Decimal("300000.00"), status=ContributionStatus.REQUESTED
    )
    recorded_days_ago(8, programmes=[falling, rising], contributions=[withdrawn, kept, requested])
    withdrawn.status = ContributionStatus.WITHDRAWN
    withdrawn.save()
    requested.status = ContributionStatus.COMMITTED
    requested.save()
    count, rows = fallen()
    assert count == 1
    row = rows[0]
    assert (row.name, row.share_then, row.share_now) == (
        "Falling",
        Decimal("20.00"),
        Decimal("10.00"),
    )


def test_a_raised_target_lowers_the_share_and_a_new_programme_has_no_share_then():
    raised = ProgrammeFactory(name="Raised", target=Decimal("1000000.00"))
    contribution = ContributionFactory(programme=raised, amount=Decimal("500000.00"))
    recorded_days_ago(8, programmes=[raised], contributions=[contribution])
    raised.target = Decimal("2000000.00")
    raised.save()
    # Recorded today only: it did not exist a week ago, so nothing fell.
    ContributionFactory(programme=ProgrammeFactory(name="New"), amount=Decimal("1.00"))
    _count, rows = fallen()
    assert [(row.name, row.share_then, row.share_now) for row in rows] == [
        ("Raised", Decimal("50.00"), Decimal("25.00"))
    ]


def test_a_change_within_the_week_that_was_undone_is_not_a_fall():
    programme = ProgrammeFactory(target=Decimal("1000000.00"))
    contribution = ContributionFactory(programme=programme, amount=Decimal("100000.00"))
    recorded_days_ago(8, programmes=[programme], contributions=[contribution])
    contribution.amount = Decimal("50000.00")
    contribution.save()
    contribution.amount = Decimal("100000.00")
    contribution.save()
    assert fallen() == (0, [])


def test_only_the_programmes_asked_for_are_compared():
    programme = ProgrammeFactory(target=Decimal("1000000.00"))
    contribution = ContributionFactory(programme=programme, amount=Decimal("100000.00"))
    recorded_days_ago(8, programmes=[programme], contributions=[contribution])
    contribution.delete()
    assert fallen(frozenset({programme.pk}))[0] == 1
    assert fallen(frozenset({programme.pk + 1})) == (0, [])
