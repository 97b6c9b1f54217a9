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
from funding.governance.proposals import propose, status_change_extra
from funding.governance.rules import GuardedChange, to_json
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


def update_contributions(contributions: list[Contribution], fields=IMPORTED_FIELDS) -> None:
    if not contributions:
        return
    for contribution in contributions:
        contribution.version += 1
    Contribution.objects.bulk_update(contributions, [*fields, "version"], batch_size=BATCH_SIZE)
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


GUARDED_IMPORT_FIELDS = ["amount", "status", "is_public"]
FREE_IMPORT_FIELDS = ["funder", "instrument", "notes"]


def programme_guarded(programme) -> bool:
    return bool(programme.is_public and programme.four_eyes)


def write_updates(contributions: list[Contribution], resource) -> None:
    """The rows as the rule lets them be written: in full where nobody outside sees them, only
    their free fields where the public does (the rest is proposed, `hold_back_guarded`)."""
    if not programme_guarded(resource.programme):
        update_contributions(contributions)
        return
    full, free_only = hold_back_guarded(contributions, resource)
    update_contributions(full)
    update_contributions(free_only, FREE_IMPORT_FIELDS)


def hold_back_guarded(contributions: list[Contribution], resource):
    """Under the four-eyes rule, the guarded part of each updated row the public sees (or would
    see) becomes a proposal of the import's batch and the row keeps its stored amount, status
    and publication. Returns the rows to write in full (hidden, staying so) and those to write
    with their free fields only (funder, instrument, notes), if any changed. One query a batch.
    """
    fields = [Contribution._meta.get_field(name) for name in GUARDED_IMPORT_FIELDS]
    free = [Contribution._meta.get_field(name) for name in FREE_IMPORT_FIELDS]
    stored = {
        row["pk"]: row
        for row in Contribution.objects.filter(pk__in=[c.pk for c in contributions]).values(
            "pk", *(f.attname for f in fields + free)
        )
    }
    full, free_only = [], []
    for contribution in contributions:
        row = stored[contribution.pk]
        before = {f.name: to_json(f, row[f.attname]) for f in fields}
        after = {f.name: to_json(f, getattr(contribution, f.attname)) for f in fields}
        changed = [name for name in before if before[name] != after[name]]
        visible = row["is_public"] or contribution.is_public
        if changed and visible:
            extra = status_change_extra(contribution.status_change) if "status" in changed else {}
            for f in fields:
                setattr(contribution, f.attname, row[f.attname])
            contribution.status_change = None
            resource.held_back.append(
                propose(
                    contribution,
                    GuardedChange(
                        "change",
                        resource.programme.pk,
                        {name: before[name] for name in changed},
                        {name: after[name] for name in changed},
                    ),
                    proposer=resource.user,
                    note=contribution._change_reason,
                    batch=resource.batch,
                    extra=extra,
                    notify=False,
                )
            )
        if not visible:
            full.append(contribution)
        elif any(row[f.attname] != getattr(contribution, f.attname) for f in free):
            free_only.append(contribution)
    return full, free_only


def hide_new_public(contributions: list[Contribution], resource) -> list[Contribution]:
    """New rows that would be public at once are created hidden; their publication is proposed
    (after they are written, `propose_publication`)."""
    if not programme_guarded(resource.programme):
        return []
    hidden = [c for c in contributions if c.is_public]
    for contribution in hidden:
        contribution.is_public = False
    return hidden


def propose_publication(contributions: list[Contribution], resource) -> None:
    for contribution in contributions:
        resource.held_back.append(
            propose(
                contribution,
                GuardedChange(
                    "change", resource.programme.pk, {"is_public": False}, {"is_public": True}
                ),
                proposer=resource.user,
                note=contribution._change_reason,
                batch=resource.batch,
                notify=False,
            )
        )
