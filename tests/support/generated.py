"""A programme with a generated history, inserted in bulk: for scale and query-count tests."""

import random
from datetime import date, timedelta
from decimal import Decimal

from funding.models import (
    Contribution,
    ContributionStatus,
    Organisation,
    Payment,
    Programme,
    Source,
    StatusEvent,
)
from funding.models.contributions import ALLOWED_TRANSITIONS, COUNTED_AS_COMMITTED

FIRST_DAY = date(2020, 1, 1)
LAST_DAY = date(2025, 12, 31)


def _some_day(rng: random.Random) -> date:
    return FIRST_DAY + timedelta(days=rng.randrange((LAST_DAY - FIRST_DAY).days))


def programme_with_history(programme: Programme, *, size: int, seed: int = 1) -> Programme:
    """`size` contributions, each with one to four status events along the allowed transitions.

    Events are dated at random, some before the event recorded ahead of them, some only through
    their source's publication date and some not at all; committed and disbursed contributions
    get partial payments.
    """
    rng = random.Random(seed)
    funders = Organisation.objects.bulk_create(
        Organisation(key=f"gen-{programme.pk}-{n}", name=f"Generated funder {n}") for n in range(7)
    )
    dated_source = Source.objects.create(
        key=f"gen-{programme.pk}-dated",
        title="Generated decision",
        publisher="Generated",
        published_on=date(2023, 6, 1),
    )
    histories = []
    for _ in range(size):
        statuses = [ContributionStatus.REQUESTED]
        for _step in range(rng.randrange(4)):
            statuses.append(rng.choice(sorted(ALLOWED_TRANSITIONS[statuses[-1]])))
        histories.append(statuses)
    contributions = Contribution.objects.bulk_create(
        Contribution(
            programme=programme,
            key=f"gen-{n}",
            funder=funders[n % len(funders)],
            instrument=f"Regeling {n % 5}",
            amount=Decimal(rng.randrange(1_000, 5_000_000)) / 100,
            status=statuses[-1],
            notes=f"Tranche {n}",
            is_public=n % 9 != 0,
        )
        for n, statuses in enumerate(histories)
    )
    events, payments = [], []
    for contribution, statuses in zip(contributions, histories, strict=True):
        for status in statuses:
            kind = rng.random()
            events.append(
                StatusEvent(
                    contribution=contribution,
                    status=status,
                    effective_on=_some_day(rng) if kind < 0.8 else None,
                    source=dated_source if 0.8 <= kind < 0.9 else None,
                )
            )
        if contribution.status in COUNTED_AS_COMMITTED and rng.random() < 0.6:
            payments.append(
                Payment(
                    contribution=contribution,
                    paid_on=_some_day(rng),
                    amount=(contribution.amount / 3).quantize(Decimal("0.01")),
                )
            )
    StatusEvent.objects.bulk_create(events)
    Payment.objects.bulk_create(payments)
    return programme
