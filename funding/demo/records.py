"""Random but repeatable demo records: what `funding.demo.data` inserts in bulk.

Every function takes the seeded `random.Random` and draws from it in a fixed order, so the same
seed gives the same records. Names say plainly that the records are fake ("Demo programme 0001")
and every key or slug starts with `demo-`, which is how the demo data is found and removed.
Records follow the model's rules: a contribution's status events follow the allowed
transitions, payments exist only on committed and disbursed contributions and never exceed the
amount, a disbursed contribution is paid in full and its last event is dated on the last payment.
"""

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from itertools import accumulate

from funding.fuzzydate import FuzzyDate, Precision
from funding.models import (
    ContributionStatus,
    DateEstimate,
    Milestone,
    MilestoneStatus,
    Organisation,
    OrganisationKind,
    PartnerRole,
    Programme,
    Role,
    Source,
)

DEMO_PREFIX = "demo-"
# Fixed dates, not today: the same seed gives the same data whenever it runs, and no decision
# is dated in the future.
FIRST_DAY = date(2021, 1, 1)
LAST_DAY = date(2025, 12, 31)
FUNDERS = 40
PARTNERS = 30
SOURCES = 24
BIG_FUNDERS = 12
# The average amount a contribution is drawn with (uniform 10,000 to 5,000,000 euros), used to
# give a programme a target near what its contributions add up to.
AVERAGE_AMOUNT = Decimal("2505000")
STATUS_WEIGHTS = {
    ContributionStatus.REQUESTED: 25,
    ContributionStatus.COMMITTED: 35,
    ContributionStatus.DISBURSED: 30,
    ContributionStatus.WITHDRAWN: 10,
}
FUNDER_KINDS = [
    ("ministerie", OrganisationKind.MINISTRY),
    ("regio", OrganisationKind.REGION),
    ("EU-fonds", OrganisationKind.EU),
    ("fonds", OrganisationKind.OTHER),
]
PARTNER_KINDS = [
    ("kennisinstelling", OrganisationKind.INSTITUTE),
    ("bedrijf", OrganisationKind.COMPANY),
    ("netwerk", OrganisationKind.CONSORTIUM),
]
PRECISIONS = [Precision.PART, Precision.QUARTER, Precision.HALF, Precision.YEAR, Precision.MONTH]


def chance(rng: random.Random, probability: float) -> bool:
    return rng.random() < probability


def random_day(rng: random.Random, start: date, end: date) -> date:
    """A day from `start` to `end` inclusive (`start` when the range is empty)."""
    return start + timedelta(days=rng.randint(0, max((end - start).days, 0)))


def cents(amount: int) -> Decimal:
    return Decimal(amount).scaleb(-2)


def split_evenly(total: int, weights: list[float]) -> list[int]:
    """`total` shared out in proportion to `weights` (largest remainders get the rest)."""
    whole = sum(weights) or 1
    exact = [total * weight / whole for weight in weights]
    counts = [int(share) for share in exact]
    by_remainder = sorted(range(len(weights)), key=lambda i: (counts[i] - exact[i], i))
    for index in by_remainder[: total - sum(counts)]:
        counts[index] += 1
    return counts


def uneven_counts(rng: random.Random, total: int, programmes: int) -> list[int]:
    """`total` contributions over `programmes`, unevenly: a few large, many small."""
    return split_evenly(total, [rng.lognormvariate(0, 0.8) for _ in range(programmes)])


def sources(rng: random.Random) -> list[Source]:
    return [
        Source(
            key=f"{DEMO_PREFIX}source-{number:03}",
            title=f"Demo source {number:03}",
            publisher=f"Demo publisher {rng.randint(1, 6)}",
            url=f"https://example.org/demo/source-{number:03}",
            published_on=random_day(rng, FIRST_DAY, LAST_DAY) if chance(rng, 0.8) else None,
            language=rng.choice(["nl", "en"]),
        )
        for number in range(1, SOURCES + 1)
    ]


def government() -> Organisation:
    return Organisation(
        key=f"{DEMO_PREFIX}government",
        name="Demo government",
        kind=OrganisationKind.GOVERNMENT,
    )


def funders(rng: random.Random, parent: Organisation) -> list[Organisation]:
    """Funders of several kinds; the ministries are part of the demo government."""
    made = []
    for number in range(1, FUNDERS + 1):
        word, kind = FUNDER_KINDS[number % len(FUNDER_KINDS)]
        made.append(
            Organisation(
                key=f"{DEMO_PREFIX}funder-{number:03}",
                name=f"Demo {word} {number:03}",
                kind=kind,
                parent=parent if kind == OrganisationKind.MINISTRY else None,
                url=f"https://example.org/demo/funder-{number:03}" if chance(rng, 0.5) else "",
            )
        )
    return made


def partners() -> list[Organisation]:
    made = []
    for number in range(1, PARTNERS + 1):
        word, kind = PARTNER_KINDS[number % len(PARTNER_KINDS)]
        made.append(
            Organisation(
                key=f"{DEMO_PREFIX}partner-{number:03}", name=f"Demo {word} {number:03}", kind=kind
            )
        )
    return made


def programme(
    rng: random.Random, *, number: int | None, contributions: int, sources: list[Source]
) -> Programme:
    """A demo programme; `number` None makes the big subsidy scheme."""
    if number is None:
        name, slug = "Demo subsidieregeling", f"{DEMO_PREFIX}subsidieregeling"
    else:
        name, slug = f"Demo programme {number:04}", f"{DEMO_PREFIX}programme-{number:04}"
    expected = AVERAGE_AMOUNT * max(contributions, 1) * Decimal(rng.uniform(0.8, 1.5))
    return Programme(
        name=name,
        slug=slug,
        description=f"{name}: generated for load and scale tests. Not real data.",
        purpose="Demo purpose: no real application areas.",
        location=f"Demo location {rng.randint(1, 12)}",
        target=expected.quantize(Decimal("100000")).quantize(Decimal("0.01")),
        target_source=rng.choice(sources),
        target_quote="Demo passage giving the target.",
        # The big scheme is always public: it is what the public pages are measured on.
        is_public=number is None or chance(rng, 0.9),
    )


def partner_roles(
    rng: random.Random, programme: Programme, organisations: list[Organisation], sources
) -> list[PartnerRole]:
    chosen = rng.sample(organisations, rng.randint(1, 3))
    return [
        PartnerRole(
            programme=programme,
            organisation=organisation,
            role=rng.choice(list(Role)),
            description="Demo partner role.",
            source=rng.choice(sources),
            quote="Demo passage naming the partner.",
            is_public=chance(rng, 0.9),
        )
        for organisation in chosen
    ]


def milestones(rng: random.Random, programme: Programme) -> list[Milestone]:
    made = []
    for position in range(rng.randint(1, 4)):
        status = rng.choices(list(MilestoneStatus), weights=[50, 25, 20, 5])[0]
        if position == 0:
            status = MilestoneStatus.PLANNED  # every programme has a step with its estimates
        done = status == MilestoneStatus.DONE
        made.append(
            Milestone(
                programme=programme,
                key=f"{DEMO_PREFIX}milestone-{position + 1}",
                title=f"Demo milestone {position + 1} of {programme.name}",
                description="A generated step.",
                status=status,
                reached_on=random_day(rng, FIRST_DAY, LAST_DAY)
                if done and chance(rng, 0.5)
                else None,
                position=position,
                is_public=chance(rng, 0.9),
            )
        )
    return made


def fuzzy_date(rng: random.Random) -> FuzzyDate:
    precision = rng.choice(PRECISIONS)
    year = rng.randint(2026, 2029)
    if precision == Precision.YEAR:
        return FuzzyDate(precision, year)
    periods = {Precision.PART: 3, Precision.QUARTER: 4, Precision.HALF: 2, Precision.MONTH: 12}
    return FuzzyDate(precision, year, rng.randint(1, periods[precision]))


def estimates(rng: random.Random, milestone: Milestone, sources) -> list[DateEstimate]:
    """One estimate for a step still to come, sometimes two from sources that disagree."""
    if milestone.status == MilestoneStatus.DONE:
        return []
    made = []
    for source in rng.sample(sources, 2 if chance(rng, 0.2) else 1):
        fuzzy = fuzzy_date(rng)
        made.append(
            DateEstimate(
                milestone=milestone,
                precision=fuzzy.precision,
                year=fuzzy.year,
                period=fuzzy.period,
                # save() derives these; bulk_create does not call save().
                earliest=fuzzy.earliest,
                latest=fuzzy.latest,
                source=source,
                quote="Demo passage giving the date.",
            )
        )
    return made


@dataclass
class ContributionRecords:
    """A contribution and the rows that belong to it, before any of them is saved.

    The rows are plain dicts of column values: a portfolio has half a million of them, and
    building a model instance for each would take most of the generation's time.
    """

    contribution: dict
    events: list[dict] = field(default_factory=list)
    payments: list[dict] = field(default_factory=list)
    citations: list[dict] = field(default_factory=list)
    shares: list[dict] = field(default_factory=list)
    decisions: list[dict] = field(default_factory=list)

    @property
    def paid(self) -> Decimal:
        return sum((payment["amount"] for payment in self.payments), Decimal("0.00"))

    def rows(self, attribute: str, contribution_id: int) -> list[dict]:
        """The rows of one kind, each pointing at the contribution, saved under this key."""
        rows = getattr(self, attribute)
        for row in rows:
            row["contribution_id"] = contribution_id
        return rows


STATUSES = list(STATUS_WEIGHTS)
STATUS_CUMULATIVE_WEIGHTS = list(accumulate(STATUS_WEIGHTS.values()))


def contribution(
    rng: random.Random,
    *,
    programme: Programme,
    key: str,
    funders: list[Organisation],
    co_funders: list[Organisation],
    sources: list[Source],
    grant: bool,
    complete: bool = False,
) -> ContributionRecords:
    """A contribution with its status events, payments, citation and co-funder shares.

    `complete` gives it a citation and co-funder shares for sure, so that every programme has
    each kind of row (a page's queries then do not depend on the luck of the draw).
    """
    amount = rng.randint(1_000, 50_000) * 100 if grant else rng.randint(10, 5_000) * 100_000
    if chance(rng, 0.2):
        amount += rng.randint(1, 99)  # a few amounts in cents
    status = rng.choices(STATUSES, cum_weights=STATUS_CUMULATIVE_WEIGHTS)[0]
    records = ContributionRecords(
        {
            "programme_id": programme.pk,
            "key": key,
            "funder_id": rng.choice(funders).pk,
            "instrument": f"Demo regeling {rng.randint(1, 9)}" if chance(rng, 0.8) else "",
            "amount": cents(amount),
            "status": status,
            "notes": "Generated demo record." if chance(rng, 0.1) else "",
            "is_public": chance(rng, 0.95),
        }
    )
    _add_history(rng, records, amount, sources)
    if chance(rng, 0.4) or complete:
        records.citations.append(
            {"source_id": rng.choice(sources).pk, "quote": "Demo passage giving the amount."}
        )
    if chance(rng, 0.01) or complete:
        # Co-funders sharing the amount in a split no source has published.
        for organisation in rng.sample(co_funders, 2):
            records.shares.append({"organisation_id": organisation.pk, "amount": None})
    if status == ContributionStatus.REQUESTED:
        _add_expected_decision(records, sources)
    return records


def _add_expected_decision(records: ContributionRecords, sources) -> None:
    """Half the pending requests have a decision date from a source, some a second one.

    Drawn from a generator of their own, seeded by the key, so adding them changed none of the
    other generated records.
    """
    rng = random.Random(
        f"decision:{records.contribution['programme_id']}:{records.contribution['key']}"
    )
    if not chance(rng, 0.5):
        return
    for source in rng.sample(sources, 2 if chance(rng, 0.2) else 1):
        fuzzy = fuzzy_date(rng)
        records.decisions.append(
            {
                "precision": fuzzy.precision,
                "year": fuzzy.year,
                "period": fuzzy.period,
                "earliest": fuzzy.earliest,
                "latest": fuzzy.latest,
                "source_id": source.pk,
                "quote": "Demo passage giving the expected decision.",
            }
        )


def _add_history(rng, records: ContributionRecords, amount: int, sources) -> None:
    """Status events along the allowed transitions, with payments where the status has them."""
    status = records.contribution["status"]
    requested_on = random_day(rng, FIRST_DAY, LAST_DAY - timedelta(days=400))
    path = [(ContributionStatus.REQUESTED, requested_on)]
    decided_on = requested_on + timedelta(days=rng.randint(30, 300))
    if status == ContributionStatus.WITHDRAWN:
        if chance(rng, 0.5):
            path.append((ContributionStatus.COMMITTED, decided_on))
            decided_on = min(decided_on + timedelta(days=rng.randint(30, 300)), LAST_DAY)
        path.append((ContributionStatus.WITHDRAWN, decided_on))
    elif status in (ContributionStatus.COMMITTED, ContributionStatus.DISBURSED):
        path.append((ContributionStatus.COMMITTED, decided_on))
        paid = amount if status == ContributionStatus.DISBURSED else _partly(rng, amount)
        if paid:
            _add_payments(rng, records, paid, after=decided_on, sources=sources)
        if status == ContributionStatus.DISBURSED:
            # Dated on the last payment, as a payment reaching the amount does in the admin.
            path.append((ContributionStatus.DISBURSED, records.payments[-1]["paid_on"]))
    for event_status, day in path:
        source = rng.choice(sources) if chance(rng, 0.3) else None
        # A few events carry no date of their own, only a source with a publication date.
        undated = source is not None and source.published_on is not None and chance(rng, 0.05)
        records.events.append(
            {
                "status": event_status,
                "effective_on": None if undated else day,
                "source_id": source.pk if source else None,
                "quote": "Demo passage recording the decision." if source else "",
            }
        )


def _partly(rng: random.Random, amount: int) -> int:
    """What has been paid of a commitment that is not paid in full: nothing, or a part."""
    if amount < 2 or chance(rng, 0.5):
        return 0
    return rng.randint(1, amount - 1)


def _add_payments(rng, records: ContributionRecords, paid: int, *, after: date, sources) -> None:
    """Payments adding up to exactly `paid` cents, in one to three parts, after the decision."""
    parts = min(rng.randint(1, 3), paid)
    cuts = sorted(rng.sample(range(1, paid), parts - 1)) if parts > 1 else []
    bounds = [0, *cuts, paid]
    day = after
    for start, end in zip(bounds, bounds[1:], strict=False):
        day = min(day + timedelta(days=rng.randint(10, 200)), LAST_DAY)
        source = rng.choice(sources) if chance(rng, 0.3) else None
        records.payments.append(
            {
                "paid_on": day,
                "amount": cents(end - start),
                "source_id": source.pk if source else None,
                "quote": "Demo passage recording the payment." if source else "",
            }
        )
