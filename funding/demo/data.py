"""A generated demo portfolio for load and scale tests: many programmes, one very large one.

`generate_demo_data()` inserts the records of `funding.demo.records` with `bulk_create` in
batches, in one transaction: all of them or none. Bulk inserts skip `save()` and the signals, so
no simple-history rows are written for generated records (see docs/decisions.md) and the public
cache is retired once at the end instead of once a row. Demo records are found by their keys and
slugs, which all start with `demo-`; nothing else in the database is read or changed, the
shipped AI-fabriek records included.
"""

import random
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from django.apps import apps
from django.db import IntegrityError, connection, transaction

from funding.cache import bump_generation
from funding.demo import records as demo_records
from funding.demo.bulk_insert import insert_rows
from funding.demo.records import DEMO_PREFIX, ContributionRecords
from funding.governance.context import seeding
from funding.models import (
    Contribution,
    ContributionShare,
    ContributionSource,
    ContributionStatus,
    DateEstimate,
    DecisionEstimate,
    Milestone,
    Organisation,
    PartnerRole,
    Payment,
    Programme,
    Source,
    StatusEvent,
)
from funding.models.contributions import COUNTED_AS_COMMITTED

BATCH_SIZE = 2000
BIG_SLUG = f"{DEMO_PREFIX}subsidieregeling"


class DemoDataError(Exception):
    """Demo data that cannot be generated or removed as asked; nothing was changed."""


@dataclass
class DemoReport:
    """What was generated: rows per model class and the totals over all contributions."""

    created: Counter = field(default_factory=Counter)
    committed: Decimal = Decimal("0.00")
    pending: Decimal = Decimal("0.00")
    disbursed: Decimal = Decimal("0.00")
    big_slug: str | None = None

    def count(self, model, rows: int) -> None:
        self.created[model] += rows

    def add_totals(self, records: ContributionRecords) -> None:
        """Add a contribution to the totals the way the database sums them."""
        status, amount = records.contribution["status"], records.contribution["amount"]
        if status in COUNTED_AS_COMMITTED:
            self.committed += amount
            self.disbursed += records.paid
        elif status == ContributionStatus.REQUESTED:
            self.pending += amount


def demo_programmes():
    return Programme.objects.filter(slug__startswith=DEMO_PREFIX)


def demo_data_exists() -> bool:
    return (
        demo_programmes().exists()
        or Organisation.objects.filter(key__startswith=DEMO_PREFIX).exists()
        or Source.objects.filter(key__startswith=DEMO_PREFIX).exists()
    )


def check_sizes(*, programmes: int, contributions: int, big: int) -> None:
    """Refuse sizes that make no portfolio, with a sentence saying why."""
    for name, value in (("programmes", programmes), ("contributions", contributions), ("big", big)):
        if value < 0:
            raise DemoDataError(f"--{name} cannot be negative (got {value}).")
    if contributions and not programmes:
        raise DemoDataError("--contributions needs at least one programme to share them.")
    if not programmes and not big:
        raise DemoDataError("Nothing to generate: give --programmes or --big.")


def generate_demo_data(
    *, programmes: int, contributions: int, big: int, seed: int, replace: bool = False
) -> DemoReport:
    """Generate `programmes` demo programmes sharing `contributions`, plus one with `big`.

    Refuses when demo data exists, unless `replace`, which removes the demo data first.
    """
    check_sizes(programmes=programmes, contributions=contributions, big=big)
    rng = random.Random(seed)
    report = DemoReport()
    # Demo programmes are generated and removed whole, never edited: the four-eyes rule
    # guards changes to figures someone published, which a demo generation is not.
    with transaction.atomic(), seeding():
        if demo_data_exists():
            if not replace:
                raise DemoDataError(
                    "Demo data exists already; add --replace to remove it and generate anew."
                )
            _remove()
        _generate(rng, report, programmes=programmes, contributions=contributions, big=big)
        # Bulk inserts send no signals: retire the public pages' cache once, for all of it.
        bump_generation()
    refresh_planner_statistics()
    return report


def refresh_planner_statistics() -> None:
    """Tell PostgreSQL what the tables now hold, as the PostgreSQL manual advises after a bulk load.

    Until autovacuum gets round to it (and where it is off), the planner takes a table of
    100,000 rows for an empty one and picks plans, such as sorting every matching row for an
    admin page of 50, that cost a hundred times more.
    """
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {', '.join(map(connection.ops.quote_name, _funding_tables()))}")


def remove_demo_data() -> None:
    """Remove every demo record, and nothing else."""
    # Demo programmes are generated and removed whole, never edited: the four-eyes rule
    # guards changes to figures someone published, which a demo generation is not.
    with transaction.atomic(), seeding():
        _remove()
        bump_generation()


def _insert(report: DemoReport, model, rows: list) -> list:
    model.objects.bulk_create(rows, batch_size=BATCH_SIZE)
    report.count(model, len(rows))
    return rows


def _generate(rng, report: DemoReport, *, programmes: int, contributions: int, big: int) -> None:
    sources = _insert(report, Source, demo_records.sources(rng))
    government = _insert(report, Organisation, [demo_records.government()])[0]
    funders = _insert(report, Organisation, demo_records.funders(rng, government))
    partners = _insert(report, Organisation, demo_records.partners())
    counts = demo_records.uneven_counts(rng, contributions, programmes)
    planned = [
        demo_records.programme(rng, number=number, contributions=count, sources=sources)
        for number, count in enumerate(counts, start=1)
    ]
    if big:
        planned.append(demo_records.programme(rng, number=None, contributions=big, sources=sources))
        counts.append(big)
        report.big_slug = BIG_SLUG
    _insert(report, Programme, planned)
    _insert_programme_details(rng, report, planned, partners, sources)
    contribution_batch = _ContributionBatch(report)
    for programme, count in zip(planned, counts, strict=True):
        grant = programme.slug == BIG_SLUG
        # A subsidy scheme pays many grants from a few funders.
        its_funders = funders[: demo_records.BIG_FUNDERS] if grant else funders
        for number in range(1, count + 1):
            contribution_batch.add(
                demo_records.contribution(
                    rng,
                    programme=programme,
                    key=f"{DEMO_PREFIX}{number:06}",
                    funders=its_funders,
                    co_funders=partners,
                    sources=sources,
                    grant=grant,
                    complete=number == 1,
                )
            )
    contribution_batch.flush()


def _insert_programme_details(rng, report, programmes, partners, sources) -> None:
    roles, steps = [], []
    for programme in programmes:
        roles += demo_records.partner_roles(rng, programme, partners, sources)
        steps += demo_records.milestones(rng, programme)
    _insert(report, PartnerRole, roles)
    _insert(report, Milestone, steps)
    estimates = [
        estimate for step in steps for estimate in demo_records.estimates(rng, step, sources)
    ]
    _insert(report, DateEstimate, estimates)


class _ContributionBatch:
    """Contributions inserted a batch at a time with their rows, so memory stays bounded."""

    def __init__(self, report: DemoReport):
        self.report = report
        self.pending: list[ContributionRecords] = []

    def add(self, records: ContributionRecords) -> None:
        self.pending.append(records)
        if len(self.pending) >= BATCH_SIZE:
            self.flush()

    def flush(self) -> None:
        batch, self.pending = self.pending, []
        ids = insert_rows(Contribution, [records.contribution for records in batch])
        self.report.count(Contribution, len(ids))
        for model, attribute in (
            (StatusEvent, "events"),
            (Payment, "payments"),
            (ContributionSource, "citations"),
            (ContributionShare, "shares"),
            (DecisionEstimate, "decisions"),
        ):
            rows = [
                row
                for records, contribution_id in zip(batch, ids, strict=True)
                for row in records.rows(attribute, contribution_id)
            ]
            insert_rows(model, rows)
            self.report.count(model, len(rows))
        for records in batch:
            self.report.add_totals(records)


def _remove() -> None:
    """Delete the demo records in plain DELETE statements.

    A model-level delete would load every row, send a signal and write a history row for each
    (a million rows for a full portfolio); `_raw_delete` deletes in one statement per table.
    A record that is not demo data but refers to a demo organisation or source (an admin's
    doing) fails the foreign-key check, and nothing is removed.
    """
    programmes = demo_programmes()
    contributions = Contribution.objects.filter(programme__in=programmes)
    organisations = Organisation.objects.filter(key__startswith=DEMO_PREFIX)
    sources = Source.objects.filter(key__startswith=DEMO_PREFIX)
    doomed = [
        StatusEvent.objects.filter(contribution__in=contributions),
        Payment.objects.filter(contribution__in=contributions),
        ContributionSource.objects.filter(contribution__in=contributions),
        ContributionShare.objects.filter(contribution__in=contributions),
        DecisionEstimate.objects.filter(contribution__in=contributions),
        contributions,
        DateEstimate.objects.filter(milestone__programme__in=programmes),
        Milestone.objects.filter(programme__in=programmes),
        PartnerRole.objects.filter(programme__in=programmes),
        programmes,
    ]
    for queryset in doomed:
        queryset._raw_delete(queryset.db)
    # Ministries refer to the demo government: children first.
    organisations.filter(parent__isnull=False)._raw_delete(organisations.db)
    organisations._raw_delete(organisations.db)
    sources._raw_delete(sources.db)
    try:
        # PostgreSQL checks foreign keys at commit; check them now, while this can still explain.
        connection.check_constraints(table_names=_funding_tables())
    except IntegrityError as error:
        raise DemoDataError(
            "Records outside the demo data refer to demo organisations or sources; "
            "nothing was removed."
        ) from error


def _funding_tables() -> list[str]:
    models = apps.get_app_config("funding").get_models()
    return [model._meta.db_table for model in models if not model.__name__.startswith("Historical")]
