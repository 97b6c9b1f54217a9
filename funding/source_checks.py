"""Sources archived and quotes checked: which records quote a source, recording a check, and
what the check found, for the admin, the dashboard and the public page.

Every record that quotes a source is named once, in QUOTING: a new model with a source and a
quoted passage is added there and is checked from then on. A check run writes snapshots and
quote checks only, never a funding record (so it needs no approval), and retires the public
pages' cache once, when it ends (`funding.cache.bump_generation`).
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from funding.models import (
    ContributionSource,
    DateEstimate,
    DecisionEstimate,
    Milestone,
    PartnerRole,
    Payment,
    Programme,
    QuoteCheck,
    QuoteState,
    QuotingKind,
    SnapshotOutcome,
    Source,
    SourceSnapshot,
    StatusEvent,
)
from funding.source_archive import Archived
from funding.source_text import passage_found


@dataclass(frozen=True)
class Quoting:
    """A kind of record that quotes a source: its model, fields, and the way to its programme."""

    kind: str
    model: type
    programme: str
    source: str = "source"
    quote: str = "quote"


QUOTING = (
    Quoting(
        QuotingKind.PROGRAMME_TARGET, Programme, "pk", source="target_source", quote="target_quote"
    ),
    Quoting(QuotingKind.CONTRIBUTION, ContributionSource, "contribution__programme"),
    Quoting(QuotingKind.STATUS_EVENT, StatusEvent, "contribution__programme"),
    Quoting(QuotingKind.DECISION_ESTIMATE, DecisionEstimate, "contribution__programme"),
    Quoting(QuotingKind.PAYMENT, Payment, "contribution__programme"),
    Quoting(QuotingKind.PARTNER, PartnerRole, "programme"),
    Quoting(QuotingKind.MILESTONE, Milestone, "programme"),
    Quoting(QuotingKind.DATE_ESTIMATE, DateEstimate, "milestone__programme"),
)


@dataclass(frozen=True)
class Passage:
    """A quoted passage: which record quotes it, from which source, for which programme."""

    kind: str
    record_id: int
    programme_id: int
    source_id: int
    quote: str


def passages_citing(source_ids) -> list[Passage]:
    """Every non-empty quoted passage citing one of these sources: one query per kind."""
    passages = []
    for quoting in QUOTING:
        rows = (
            quoting.model.objects.filter(**{f"{quoting.source}_id__in": source_ids})
            .exclude(**{quoting.quote: ""})
            .order_by("pk")
            .values_list("pk", quoting.programme, f"{quoting.source}_id", quoting.quote)
        )
        passages.extend(Passage(quoting.kind, *row) for row in rows)
    return passages


def sources_to_check(programme: Programme | None = None):
    """The sources to check: all of them, or those the programme's records cite."""
    if programme is None:
        return Source.objects.order_by("pk")
    cited = Q()
    for quoting in QUOTING:
        ids = quoting.model.objects.filter(**{quoting.programme: programme.pk}).values(
            f"{quoting.source}_id"
        )
        cited |= Q(pk__in=ids)
    return Source.objects.filter(cited).order_by("pk")


@dataclass
class Recorded:
    """One source's check: its snapshot and how many of its passages each state has."""

    snapshot: SourceSnapshot
    states: dict[str, int] = field(default_factory=lambda: defaultdict(int))


def record_check(source: Source, archived: Archived, *, now: datetime | None = None) -> Recorded:
    """Keep the snapshot and check every passage citing the source against it, all or nothing."""
    now = now or timezone.now()
    sha = archived.sha256
    with transaction.atomic():
        # The source's row is locked so that two checks at once cannot both be its latest.
        list(Source.objects.select_for_update().filter(pk=source.pk).values_list("pk"))
        earlier = SourceSnapshot.objects.filter(source=source, outcome=SnapshotOutcome.OK)
        first = earlier.order_by("fetched_at", "pk").first()
        holder = earlier.filter(sha256=sha, text_in=None).first() if sha else None
        SourceSnapshot.objects.filter(source=source, is_latest=True).update(is_latest=False)
        snapshot = SourceSnapshot(
            source=source,
            fetched_at=now,
            origin=archived.origin,
            url=archived.url,
            final_url=archived.final_url,
            redirects=archived.redirects,
            http_status=archived.http_status,
            content_type=archived.content_type,
            outcome=archived.outcome,
            detail=archived.detail,
            text="" if holder else archived.text,
            text_in=holder,
            sha256=sha,
            changed=bool(sha and first and first.sha256 != sha),
            is_latest=True,
        )
        # bulk_create sends no save signal: the run retires the cache once, when it ends.
        SourceSnapshot.objects.bulk_create([snapshot])
        recorded = Recorded(snapshot)
        checks = []
        for passage in passages_citing([source.pk]):
            state = _state(passage.quote, archived)
            recorded.states[state] += 1
            checks.append(
                QuoteCheck(
                    snapshot=snapshot,
                    kind=passage.kind,
                    record_id=passage.record_id,
                    programme_id=passage.programme_id,
                    quote=passage.quote,
                    state=state,
                    checked_at=now,
                )
            )
        QuoteCheck.objects.bulk_create(checks, batch_size=500)
    return recorded


def _state(quote: str, archived: Archived) -> str:
    if archived.outcome != SnapshotOutcome.OK:
        return QuoteState.SOURCE_UNAVAILABLE
    return QuoteState.FOUND if passage_found(quote, archived.text) else QuoteState.NOT_FOUND


@dataclass
class SourceAttention:
    """A source that needs a look for one programme: broken, changed, or with passages missing."""

    snapshot: SourceSnapshot
    missing: list[QuoteCheck] = field(default_factory=list)

    @property
    def source(self) -> Source:
        return self.snapshot.source

    @property
    def broken(self) -> bool:
        return self.snapshot.broken

    @property
    def changed(self) -> bool:
        return self.snapshot.changed


def sources_needing_attention(
    programme_ids: frozenset | None = None, *, limit: int = 500
) -> dict[int, list[SourceAttention]]:
    """Per programme id, the sources whose latest check failed, whose text changed since it was
    first archived, or in which a quoted passage was not found. One query; at most `limit`
    quote checks are read (None as `programme_ids` means every programme)."""
    checks = (
        QuoteCheck.objects.filter(snapshot__is_latest=True)
        .filter(~Q(state=QuoteState.FOUND) | Q(snapshot__changed=True))
        .select_related("snapshot__source")
        .defer("snapshot__text")
        .order_by("programme_id", "snapshot__source__title", "snapshot_id", "pk")
    )
    if programme_ids is not None:
        checks = checks.filter(programme_id__in=programme_ids)
    found: dict[int, dict[int, SourceAttention]] = defaultdict(dict)
    for check in checks[:limit]:
        entry = found[check.programme_id].setdefault(
            check.snapshot_id, SourceAttention(check.snapshot)
        )
        if check.state == QuoteState.NOT_FOUND:
            entry.missing.append(check)
    return {programme: list(entries.values()) for programme, entries in found.items()}


def quotes_checked_on(cited: dict[int, set[str]]) -> dict[int, date]:
    """For each source id whose latest check found every given passage, the day of that check.

    `cited` maps a source id to the passages a page quotes from it. One query.
    """
    if not cited:
        return {}
    states: dict[int, dict[str, str]] = defaultdict(dict)
    moments: dict[int, datetime] = {}
    rows = QuoteCheck.objects.filter(
        snapshot__is_latest=True, snapshot__source_id__in=list(cited)
    ).values_list("snapshot__source_id", "quote", "state", "snapshot__fetched_at")
    for source_id, quote, state, fetched_at in rows:
        # A passage quoted by two records has one state per record: found only if found in all.
        if states[source_id].get(quote) != QuoteState.NOT_FOUND:
            states[source_id][quote] = state
        moments[source_id] = fetched_at
    return {
        source_id: timezone.localdate(moments[source_id])
        for source_id, quotes in cited.items()
        if quotes
        and source_id in moments
        and all(states[source_id].get(quote) == QuoteState.FOUND for quote in quotes)
    }
