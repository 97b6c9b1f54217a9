"""The entries of one page of the change log, read from the history rows its keys name.

Each entry says what changed (a record, in words), how (first published, changed, removed),
each public field before and after (labels from the fields' verbose names, money in the site's
format, statuses by their label), when it took effect where a source gives the date, when the
tracker recorded it, and the sources. One query per kind of row on the page, whatever the page.
"""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from django.utils.formats import date_format
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from funding.changes.index import TRACKED, EntryKey
from funding.formatting import format_money
from funding.fuzzydate import FuzzyDate
from funding.languages import Text, in_language, original
from funding.models import Contribution, ContributionSource, Programme, StatusEvent


@dataclass(frozen=True)
class FieldChange:
    label: str
    before: str | None  # None: the record had no such value yet (or has none any more)
    after: str | None


@dataclass(frozen=True)
class Citation:
    key: str
    title: str
    publisher: str
    url: str
    language: str
    quote: str

    @classmethod
    def of(cls, source, quote: str = "") -> "Citation | None":
        if source is None:
            return None
        return cls(source.key, source.title, source.publisher, source.url, source.language, quote)


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

    @property
    def action_label(self) -> str:
        return {
            "first": _("first published"),
            "published": _("published"),
            "changed": _("changed"),
            "removed": _("removed"),
        }[self.action]


def _label(model, name: str) -> str:
    return capfirst(model._meta.get_field(name.removesuffix("_id")).verbose_name)


def _day(value) -> str | None:
    return None if value is None else date_format(value, "j F Y")


def _funder_label(row) -> str:
    return f"{row.funder} ({row.instrument})" if row.instrument else str(row.funder)


# A field naming the record's source: listed when it changes; a new record's source is already
# given with the entry.
SOURCE = "source"


class Shown:
    """How a kind's fields read: one (label, value of a row) pair per field, in order."""

    def __init__(self, programme: Programme):
        self.currency = programme.currency

    def money(self, amount, *, empty: str | None = None) -> str | None:
        return empty if amount is None else format_money(amount, self.currency)

    def fields(self, kind: str, row) -> list[tuple]:
        """(label, value) per field, or (label, value, SOURCE) for a field naming a source."""
        model = TRACKED[kind].model
        if kind == "programme":
            return [
                (_label(model, "name"), original(row, "name").marked),
                (_label(model, "target"), self.money(row.target)),
                (_label(model, "currency"), row.currency),
                (_label(model, "location"), row.location or None),
                (_label(model, "target_source"), _title(row.target_source), SOURCE),
            ]
        if kind == "contribution":
            return [
                (_label(model, "funder"), str(row.funder)),
                (_label(model, "instrument"), row.instrument or None),
                (_label(model, "amount"), self.money(row.amount)),
            ]
        if kind == "share":
            return [
                (_label(model, "organisation"), str(row.organisation)),
                (_label(model, "amount"), self.money(row.amount, empty=_("not published"))),
            ]
        if kind == "payment":
            return [
                (_label(model, "amount"), self.money(row.amount)),
                (_label(model, "paid_on"), _day(row.paid_on)),
            ]
        if kind == "milestone":
            return [
                (_label(model, "title"), original(row, "title").marked),
                (_label(model, "status"), row.get_status_display()),
                (_label(model, "reached_on"), _day(row.reached_on)),
            ]
        if kind == "estimate":
            fuzzy = FuzzyDate(row.precision, row.year, row.period, row.day)
            return [
                (_("Expected"), fuzzy.label()),
                (_label(model, "source"), _title(row.source), SOURCE),
            ]
        return [  # partner
            (_label(model, "organisation"), str(row.organisation)),
            (_label(model, "role"), row.get_role_display()),
        ]


def _title(source) -> str | None:
    return None if source is None else source.title


def _with_text(template: str, **texts: Text) -> SafeString:
    """A translated phrase around records' texts, each marked with its language if foreign."""
    return mark_safe(conditional_escape(template) % {k: t.marked for k, t in texts.items()})


def _subject(kind: str, row) -> str:
    if kind == "programme":
        return _with_text(_("Programme “%(name)s”"), name=in_language(row, "name"))
    if kind in ("contribution", "status"):
        return _("Contribution from %(funder)s") % {"funder": _funder_label(row)}
    if kind == "share":
        return _("Share of %(organisation)s in the contribution from %(funder)s") % {
            "organisation": row.organisation,
            "funder": row.contribution.funder_label,
        }
    if kind == "payment":
        return _("Payment on the contribution from %(funder)s") % {
            "funder": row.contribution.funder_label
        }
    if kind == "milestone":
        return _with_text(_("Milestone “%(title)s”"), title=in_language(row, "title"))
    if kind == "estimate":
        milestone = in_language(row.milestone, "title")
        return _with_text(_("Expected date of “%(milestone)s”"), milestone=milestone)
    return _("Partner %(organisation)s") % {"organisation": row.organisation}


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
            return [FieldChange(label, value, None) for label, value in values]
        return [FieldChange(label, None, value) for label, value in values]
    return [
        FieldChange(new[0], old[1], new[1])
        for new, old in zip(now, before, strict=True)
        if new[1] != old[1]
    ]


FETCH: dict[str, Callable] = {
    "programme": lambda h: h.select_related("target_source"),
    "contribution": lambda h: h.select_related("funder"),
    "share": lambda h: h.select_related("organisation", "contribution__funder"),
    "payment": lambda h: h.select_related("source", "contribution__funder"),
    "milestone": lambda h: h.select_related("source"),
    "estimate": lambda h: h.select_related("source", "milestone"),
    "partner": lambda h: h.select_related("organisation", "source"),
}


def entry_rows(keys: list[EntryKey], *, previous: bool = True) -> dict[tuple[str, int], object]:
    """The rows the keys name (and the versions before them): one query per kind of key."""
    wanted = defaultdict(set)
    for key in keys:
        wanted[key.kind] |= {key.pk} | ({key.previous} if previous and key.previous else set())
    rows = {}
    for kind, ids in wanted.items():
        if kind == "status":
            found = StatusEvent.objects.filter(pk__in=ids).select_related(
                "contribution__funder", "source"
            )
        else:
            history = TRACKED[kind].model.history.model.objects
            found = FETCH[kind](history.filter(history_id__in=ids))
        rows |= {(kind, row.pk): row for row in found}
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
        rows[("status", key.pk)] for key in keys if key.kind == "status" and key.previous is None
    ]
    versions = _versions_at_first_events(first_events)
    cited_contributions = {
        rows[(key.kind, key.pk)].contribution_id
        if key.kind == "share"
        else rows[(key.kind, key.pk)].id
        for key in keys
        if key.kind in ("contribution", "share")
    }
    citations = _citations_of(cited_contributions) if cited_contributions else {}
    entries = []
    for key in keys:
        row = rows[(key.kind, key.pk)]
        previous = rows.get((key.kind, key.previous)) if key.previous else None
        if key.kind == "status":
            entries.append(_status_entry(key, row, previous, versions.get(row.pk), shown))
            continue
        action = _action(key, row, previous)
        entries.append(
            ChangeEntry(
                anchor=key.anchor,
                subject=_subject(key.kind, row),
                action=action,
                fields=_field_changes(
                    action,
                    shown.fields(key.kind, row),
                    shown.fields(key.kind, previous) if previous is not None else None,
                ),
                recorded=row.history_date,
                effective=_effective(key.kind, row),
                citations=_entry_citations(key.kind, row, citations),
            )
        )
    return entries


def _effective(kind: str, row) -> date | None:
    if kind == "payment":
        return row.paid_on
    if kind == "milestone":
        return row.reached_on
    return None


def _entry_citations(kind: str, row, citations) -> list[Citation]:
    if kind == "contribution":
        return citations.get(row.id, [])
    if kind == "share":
        return citations.get(row.contribution_id, [])
    if kind == "programme":
        cited = Citation.of(row.target_source, row.target_quote)
    else:
        cited = Citation.of(row.source, row.quote)
    return [cited] if cited else []


def _status_entry(key: EntryKey, event, previous, version, shown: Shown) -> ChangeEntry:
    status = _label(StatusEvent, "status")
    if previous is None:
        # The contribution's first status: it was published then, with this amount.
        fields = [
            FieldChange(_label(Contribution, "amount"), None, shown.money(version.amount)),
            FieldChange(status, None, event.get_status_display()),
        ]
        subject, action = _subject("status", version), "first"
    else:
        fields = [FieldChange(status, previous.get_status_display(), event.get_status_display())]
        subject, action = _subject("status", event.contribution), "changed"
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
    )
