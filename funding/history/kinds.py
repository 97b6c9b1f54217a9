"""What a history kind is: a table recording the funding records' history, with its rule of
what is public, its anchor in the change log and its wording. The kinds are registered in
`funding.history.registry`.

The publication rules (docs/decisions.md, "The public change log" and "As of") are written
here once, for every kind, from two facts the registry gives per kind: where its rows hang in a
programme (`programme`) and whose public flag gates them (`gate`: its own, or its parent's).
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import Q
from django.utils.formats import date_format
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import capfirst

from funding.formatting import format_money
from funding.languages import Text


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


class Shown:
    """How values read in a programme's change log: money in the programme's currency."""

    def __init__(self, programme):
        self.currency = programme.currency

    def money(self, amount, *, empty: str | None = None) -> str | None:
        return empty if amount is None else format_money(amount, self.currency)


# A field naming the record's source: listed when it changes; a new record's source is already
# given with the entry.
SOURCE = "source"


@dataclass(frozen=True)
class HistoryKind:
    """One kind of history row. Subclasses give the change log's wording of the kind."""

    name: str
    model: type  # the record; its history rows are django-simple-history's
    # The lookup from a history row to its programme's id ("contribution__programme_id"); None
    # for a record that is not one programme's, or not part of its figures' "as of".
    programme: str | None = None
    # The kind whose public flag gates these rows: its own name, or its parent's.
    gate: str | None = None
    fields: tuple[str, ...] = ()  # the public fields the change log follows (attnames)
    anchor: str | None = None  # the change log's entry id, f"{anchor}-{row}"; None: not listed
    related: tuple[str, ...] = ()  # what a page of entries reads with the rows (select_related)
    # A contribution's first status event is its "first published" entry, not its first version.
    published_by_status: bool = False
    moment: str = "history_date"  # when a row was recorded
    key: str = "history_id"  # a row's id

    @property
    def rows(self):
        """Every row of the kind's history, as a queryset."""
        return self.model.history.model.objects

    @property
    def own_flag(self) -> bool:
        """Whether the record has a public flag of its own (else its parent's gates it)."""
        return self.gate == self.name

    @property
    def parent_column(self) -> str:
        """The history row's column holding the id of the record whose flag gates it."""
        return "id" if self.own_flag else f"{self.gate}_id"

    @property
    def is_event(self) -> bool:
        """A status event: its own history, never changed; the log words it apart."""
        return False

    def public_in(self, programme, gate_model) -> Q:
        """The rows of the programme's records that are public now (the change log's scope);
        `gate_model` is the model whose flag gates them."""
        if self.programme == "id":
            return Q(id=programme.pk)
        public = gate_model.objects.filter(programme=programme, is_public=True).values("pk")
        if self.own_flag:
            return Q(programme=programme, id__in=public)
        return Q(**{f"{self.parent_column}__in": public})

    def as_of_rows(self, *, public_only: bool, gate_model):
        """The rows "as of" counts: on public pages, versions recorded while the record was
        public, of records (or parents) public now; the programme's own flag is its callers'."""
        rows = self.rows
        if not public_only:
            return rows
        if not self.own_flag:
            return rows.filter(**{f"{self.gate}__is_public": True})
        rows = rows.filter(is_public=True)
        if self.programme == "id":
            return rows
        return rows.filter(id__in=gate_model.objects.filter(is_public=True).values("pk"))

    # The change log's wording; see the kinds in funding.history.registry.

    def subject(self, row) -> str:
        """The record, in words: "Payment on the contribution from …"."""
        raise NotImplementedError

    def shown_fields(self, row, shown: Shown) -> list[tuple]:
        """(label, value) per field, or (label, value, SOURCE) for a field naming a source."""
        raise NotImplementedError

    def effective(self, row) -> date | None:
        """The day the change took effect, where the record gives it."""
        return None

    def cited_contribution(self, row) -> int | None:
        """The contribution whose sources the entry cites; None: it cites its own source."""
        return None

    def citation(self, row) -> Citation | None:
        return Citation.of(row.source, row.quote)


def label(model, name: str) -> str:
    """A field's label: its verbose name."""
    return capfirst(model._meta.get_field(name.removesuffix("_id")).verbose_name)


def long_date(value) -> str | None:
    return None if value is None else date_format(value, "j F Y")


def title_of(source) -> str | None:
    return None if source is None else source.title


def with_text(template: str, **texts: Text) -> SafeString:
    """A translated phrase around records' texts, each marked with its language if foreign."""
    return mark_safe(conditional_escape(template) % {k: t.marked for k, t in texts.items()})
