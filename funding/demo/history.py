"""A demo programme with a long history: for the pages as they stood (`?on=`) at scale.

Its contributions are recorded over two years from 2024, each first as a request and then
changed again and again (the amount, the status along the allowed transitions, the public
flag), so the history holds `rows` versions of them; the live rows are their last versions. The
rows go in with bulk inserts (funding/demo/bulk_insert.py), the programme, its milestones and
partners through the models with their history dated on the first day. The same seed gives the
same history.
"""

import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db import connection, transaction
from django.utils import timezone

from funding.cache import bump_generation
from funding.demo.bulk_insert import insert_rows
from funding.governance.context import seeding
from funding.models import (
    Contribution,
    ContributionStatus,
    DateEstimate,
    Milestone,
    Organisation,
    PartnerRole,
    Programme,
    Role,
    Source,
)
from funding.models.contributions import ALLOWED_TRANSITIONS

HISTORY_SLUG = "demo-geschiedenis"
FIRST_DAY = date(2024, 1, 1)
DAYS = 730
VERSIONS = 10  # history rows per contribution
FUNDERS = 12


class HistoryExists(Exception):
    """The demo programme with a long history is there already."""


def _recorded_at(day: date, rng: random.Random) -> datetime:
    clock = time(rng.randrange(24), rng.randrange(60))
    return timezone.make_aware(datetime.combine(day, clock))


def _dated(record, moment: datetime):
    record._history_date = moment
    record.save()
    return record


def _versions(rng: random.Random, n: int, funders: list[int], programme: int) -> list[dict]:
    """One contribution's versions, oldest first, each with the day it was recorded."""
    day = FIRST_DAY + timedelta(days=rng.randrange(DAYS // 4))
    values = {
        "programme_id": programme,
        "key": f"demo-geschiedenis-{n:05}",
        "funder_id": funders[n % len(funders)],
        "instrument": f"Regeling {n % 7}",
        "amount": Decimal(rng.randrange(1_000_000, 500_000_000)) / 100,
        "status": ContributionStatus.REQUESTED,
        "is_public": rng.random() < 0.9,
        "version": 1,
    }
    versions = [{**values, "history_date": _recorded_at(day, rng), "history_type": "+"}]
    for version in range(2, VERSIONS + 1):
        day += timedelta(days=rng.randrange(1, (DAYS - DAYS // 4) // VERSIONS))
        change = rng.random()
        if change < 0.4:
            allowed = sorted(ALLOWED_TRANSITIONS[values["status"]] - {ContributionStatus.DISBURSED})
            values["status"] = rng.choice(allowed) if allowed else values["status"]
        elif change < 0.5:
            values["is_public"] = not values["is_public"]
        else:
            values["amount"] = Decimal(rng.randrange(1_000_000, 500_000_000)) / 100
        values["version"] = version
        versions.append({**values, "history_date": _recorded_at(day, rng), "history_type": "~"})
    return versions


@transaction.atomic
def generate_history_programme(*, rows: int = 30_000, seed: int = 1) -> Programme:
    """The public programme "Demo geschiedenis" whose contributions have `rows` history rows.

    Created as the loader creates the shipped programme (`seeding`): a programme the database
    never held changes no public figure, so the four-eyes rule has nothing to hold back."""
    with seeding():
        return _generate_history_programme(rows=rows, seed=seed)


def _generate_history_programme(*, rows: int, seed: int) -> Programme:
    if Programme.objects.filter(slug=HISTORY_SLUG).exists():
        raise HistoryExists(f"/programmes/{HISTORY_SLUG}/ exists already")
    rng = random.Random(seed)
    first = timezone.make_aware(datetime.combine(FIRST_DAY, time(9)))
    plan = _dated(Source(key="demo-geschiedenis-plan", title="Demo: plan", publisher="Demo"), first)
    programme = _dated(
        Programme(
            name="Demo geschiedenis",
            slug=HISTORY_SLUG,
            target=Decimal("5000000000.00"),
            target_source=plan,
            target_quote="Demo",
            is_public=True,
        ),
        first,
    )
    funders = [
        _dated(Organisation(key=f"demo-geschiedenis-{n:02}", name=f"Demo fonds {n:02}"), first)
        for n in range(FUNDERS)
    ]
    _dated(PartnerRole(programme=programme, organisation=funders[0], role=Role.HOST), first)
    for position, year in enumerate([2025, 2026, 2027]):
        milestone = _dated(
            Milestone(
                programme=programme,
                key=f"demo-mijlpaal-{year}",
                title=f"Mijlpaal {year}",
                position=position,
            ),
            first,
        )
        _dated(DateEstimate(milestone=milestone, precision="year", year=year, source=plan), first)
    histories = [
        _versions(rng, n, [funder.pk for funder in funders], programme.pk)
        for n in range(max(rows // VERSIONS, 1))
    ]
    live = [
        {k: v for k, v in versions[-1].items() if not k.startswith("history_")}
        for versions in histories
    ]
    ids = insert_rows(Contribution, live)
    insert_rows(
        Contribution.history.model,
        [
            {**version, "id": pk}
            for pk, versions in zip(ids, histories, strict=True)
            for version in versions
        ],
    )
    _refresh_statistics()
    bump_generation()
    return programme


def _refresh_statistics() -> None:
    """Tell PostgreSQL what the history table now holds (funding/demo/data.py says why)."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        table = Contribution.history.model._meta.db_table
        cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")
