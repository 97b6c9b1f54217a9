"""Writing an import's contributions a batch at a time, with everything a save would record.

A contribution saved on its own writes its row, a history record, a status event when its
status is new or changed, the citation of the file's source, and clears the public pages'
cache: five statements and a cache write per row. Here each of those is one statement per
batch. The rows being updated were locked when the import read them (`select_for_update`),
so their version numbers can be raised without the per-row check that `Versioned.save` does.
"""

from django.db.models import (
    Count,
    DecimalField,
    IntegerField,
    OuterRef,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce

from funding.cache import bump_generation
from funding.models import Contribution, ContributionSource, Payment, StatusEvent
from funding.models.money import MONEY_DIGITS, ZERO

# The columns an import may change; the key and programme identify the row.
IMPORTED_FIELDS = ["funder", "instrument", "amount", "status", "notes", "is_public"]
BATCH_SIZE = 500


def contributions_for_update(programme):
    """The programme's contributions, locked until the import ends, with their payments' sum
    and count, which `Contribution.clean` checks against the new amount and status."""
    payments = Payment.objects.filter(contribution=OuterRef("pk")).order_by().values("contribution")
    paid = payments.annotate(total=Sum("amount")).values("total")
    count = payments.annotate(count=Count("pk")).values("count")
    return (
        Contribution.objects.filter(programme=programme)
        .select_related("funder")
        .select_for_update(of=("self",))
        .annotate(
            paid_loaded=Coalesce(
                Subquery(paid, output_field=DecimalField(**MONEY_DIGITS)), Value(ZERO)
            ),
            payment_count_loaded=Coalesce(Subquery(count, output_field=IntegerField()), Value(0)),
        )
    )


def create_contributions(contributions: list[Contribution]) -> None:
    Contribution.objects.bulk_create(contributions, batch_size=BATCH_SIZE)
    Contribution.history.bulk_history_create(contributions, batch_size=BATCH_SIZE)
    record_consequences(contributions)


def update_contributions(contributions: list[Contribution]) -> None:
    for contribution in contributions:
        contribution.version += 1
    Contribution.objects.bulk_update(
        contributions, [*IMPORTED_FIELDS, "version"], batch_size=BATCH_SIZE
    )
    Contribution.history.bulk_history_create(contributions, update=True, batch_size=BATCH_SIZE)
    record_consequences(contributions)


def _stored_citations(citations: list[ContributionSource]) -> list[ContributionSource]:
    """The stored citations of these contributions (one query)."""
    contributions = {citation.contribution_id for citation in citations}
    if not contributions:
        return []
    return list(ContributionSource.objects.filter(contribution_id__in=contributions))


def record_consequences(contributions: list[Contribution]) -> None:
    """The status events, the citations of the file's source, and a fresh public cache."""
    events = [
        event
        for event in (contribution.pending_status_event() for contribution in contributions)
        if event is not None
    ]
    StatusEvent.objects.bulk_create(events, batch_size=BATCH_SIZE)
    citations = [
        ContributionSource(
            contribution=contribution,
            source=contribution.import_source,
            quote=getattr(contribution, "import_quote", "") or "",
        )
        for contribution in contributions
        if getattr(contribution, "import_source", None) is not None
    ]
    # A citation the contribution already has stays as it was, quote included.
    cited = _stored_citations(citations)
    ContributionSource.objects.bulk_create(citations, batch_size=BATCH_SIZE, ignore_conflicts=True)
    # The history of the citations added (the ones already there did not change): the page as
    # it stood on a day cites what it cited then (funding/figures/past/).
    before = {citation.pk for citation in cited}
    added = [row for row in _stored_citations(citations) if row.pk not in before]
    ContributionSource.history.bulk_history_create(added, batch_size=BATCH_SIZE)
    for contribution in contributions:
        contribution.status_recorded()
    bump_generation()
