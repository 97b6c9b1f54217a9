"""The entries of one page of the change log, read from the history rows its keys name.

Each entry says what changed (a record, in words), how (first published, changed, removed),
each public field before and after (labels from the fields' verbose names, money in the site's
format, statuses by their label), when it took effect where a source gives the date, when the
tracker recorded it, and the sources. One query per kind of row on the page, whatever the page.
Each kind's wording is its own, in the registry (funding/history/registry.py).
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from funding.changes.index import EntryKey
from funding.governance.rules import APPROVED_REASON
from funding.history.kinds import Citation, Shown, label
from funding.history.registry import KINDS
from funding.models import Contribution, ContributionSource, Programme, StatusEvent


@dataclass(frozen=True)
class FieldChange:
    label: str
    before: str | None  # None: the record had no such value yet (or has none any more)
    after: str | None


@dataclass(frozen=True)
class ChangeEntry:
    anchor: str
    subject: str
    action: str  # "published", "changed" or "removed"
    fields: list[FieldChange]
    recorded: datetime
    effective: date | None
    citations: list[Citation]
    note: str = ""
    # Applied through an approval (the four-eyes rule): on the day recorded, a second person
    # (an approver) approved it. Roles, never names, on public pages.
    approved: bool = False

    @property
    def day(self) -> date:
        """The day it was recorded, in the site's time zone: the page as it stood at the end of
        it (`?on=`) shows the change."""
        return timezone.localtime(self.recorded).date()

    @property
    def day_before(self) -> date:
        """The day before: the page as it stood then does not show the change yet."""
        return self.day - timedelta(days=1)

    @property
    def action_label(self) -> str:
        return {
            "first": _("first published"),
            "published": _("published"),
            "changed": _("changed"),
            "removed": _("removed"),
        }[self.action]


def _action(key: EntryKey, row, previous) -> str:
    if row.history_type == "-":
        return "removed"
    if previous is None:
        return "first" if row.history_type == "+" else "published"
    if hasattr(previous, "is_public") and not previous.is_public:
        return "published"
    return "changed"


def _field_changes(action: str, now, before) -> list[FieldChange]:
    if action in ("first", "published", "removed"):
        values = [(field[0], field[1]) for field in now if field[1] is not None and len(field) == 2]
        if action == "removed":
            return [FieldChange(name, value, None) for name, value in values]
        return [FieldChange(name, None, value) for name, value in values]
    return [
        FieldChange(new[0], old[1], new[1])
        for new, old in zip(now, before, strict=True)
        if new[1] != old[1]
    ]


def entry_rows(keys: list[EntryKey], *, previous: bool = True) -> dict[tuple[str, int], object]:
    """The rows the keys name (and the versions before them): one query per kind of key."""
    wanted = defaultdict(set)
    for key in keys:
        wanted[key.kind] |= {key.pk} | ({key.previous} if previous and key.previous else set())
    rows = {}
    for name, ids in wanted.items():
        kind = KINDS[name]
        found = kind.rows.filter(**{f"{kind.key}__in": ids}).select_related(*kind.related)
        rows |= {(name, row.pk): row for row in found}
    return rows


def _citations_of(contribution_ids) -> dict[int, list[Citation]]:
    cited = defaultdict(list)
    citations = ContributionSource.objects.filter(contribution_id__in=contribution_ids)
    for citation in citations.select_related("source").order_by("source__title"):
        cited[citation.contribution_id].append(Citation.of(citation.source, citation.quote))
    return cited


def _versions_at_first_events(events) -> dict[int, object]:
    """Per first status event, the contribution as it was recorded then (its history row);
    contributions inserted without history are shown as they are now."""
    if not events:
        return {}
    versions = defaultdict(list)
    history = Contribution.history.model.objects.filter(
        id__in={event.contribution_id for event in events},
        history_date__lte=max(event.recorded_at for event in events),
    )
    for row in history.select_related("funder").order_by("history_date", "history_id"):
        versions[row.id].append(row)
    found = {}
    for event in events:
        earlier = [
            v for v in versions[event.contribution_id] if v.history_date <= event.recorded_at
        ]
        found[event.pk] = earlier[-1] if earlier else event.contribution
    return found


def change_entries(programme: Programme, keys: list[EntryKey]) -> list[ChangeEntry]:
    """The entries the keys name, in the keys' order."""
    rows = entry_rows(keys)
    shown = Shown(programme)
    first_events = [
        rows[(key.kind, key.pk)]
        for key in keys
        if KINDS[key.kind].is_event and key.previous is None
    ]
    versions = _versions_at_first_events(first_events)
    cited_contributions = {
        KINDS[key.kind].cited_contribution(rows[(key.kind, key.pk)]) for key in keys
    } - {None}
    citations = _citations_of(cited_contributions) if cited_contributions else {}
    entries = []
    for key in keys:
        kind, row = KINDS[key.kind], rows[(key.kind, key.pk)]
        previous = rows.get((key.kind, key.previous)) if key.previous else None
        if kind.is_event:
            entries.append(_status_entry(key, row, previous, versions.get(row.pk), shown))
            continue
        action = _action(key, row, previous)
        entries.append(
            ChangeEntry(
                anchor=key.anchor,
                subject=kind.subject(row),
                action=action,
                fields=_field_changes(
                    action,
                    kind.shown_fields(row, shown),
                    kind.shown_fields(previous, shown) if previous is not None else None,
                ),
                recorded=row.history_date,
                effective=kind.effective(row),
                citations=_entry_citations(kind, row, citations),
                approved=getattr(row, "history_change_reason", None) == APPROVED_REASON,
            )
        )
    return entries


def _entry_citations(kind, row, citations) -> list[Citation]:
    contribution = kind.cited_contribution(row)
    if contribution is not None:
        return citations.get(contribution, [])
    cited = kind.citation(row)
    return [cited] if cited else []


def _status_entry(key: EntryKey, event, previous, version, shown: Shown) -> ChangeEntry:
    status = label(StatusEvent, "status")
    if previous is None:
        # The contribution's first status: it was published then, with this amount.
        fields = [
            FieldChange(label(Contribution, "amount"), None, shown.money(version.amount)),
            FieldChange(status, None, event.get_status_display()),
        ]
        subject, action = KINDS[key.kind].subject(version), "first"
    else:
        fields = [FieldChange(status, previous.get_status_display(), event.get_status_display())]
        subject, action = KINDS[key.kind].subject(event.contribution), "changed"
    cited = Citation.of(event.source, event.quote)
    return ChangeEntry(
        anchor=key.anchor,
        subject=subject,
        action=action,
        fields=fields,
        recorded=event.recorded_at,
        effective=event.effective_on,
        citations=[cited] if cited else [],
        note=event.note,
        approved=event.approved,
    )
