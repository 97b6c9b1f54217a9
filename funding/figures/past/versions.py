"""Each funding record as it stood at a moment, from django-simple-history's rows.

A record's state at a moment is its newest history row recorded before it; a record whose newest
row there is a deletion ("-") no longer existed. Found in the database with one window (the
newest row per record), so the rows, and everything summed over them, stay queries however long
the history is. What was public is decided on these states, as it stood: the record's own flag
in that version, its parent's in the parent's version, the programme's in its version.
"""

from datetime import datetime

from django.db import connection
from django.db.models import BooleanField, F, Func, QuerySet, Value, Window
from django.db.models.functions import RowNumber

from funding.history.kinds import HistoryKind

DELETED = "-"
# Up to this many records, a day's versions are found once and named by their history ids in
# the queries that follow (`found_once`); beyond it each query finds them again with the window.
# SQLite takes at most 32,766 values in one statement.
IDS_AT_MOST = 10_000


def versions_at(kind: HistoryKind, moment: datetime, **where) -> QuerySet:
    """The kind's history rows that were their records' newest before `moment`, of records
    that existed then; `where` narrows the rows looked at (a programme's, a parent's)."""
    rows = kind.rows.filter(history_date__lt=moment, **where)
    newest = (
        rows.order_by()
        .annotate(
            newest=Window(
                RowNumber(),
                partition_by=[F("id")],
                order_by=[F("history_date").desc(), F("history_id").desc()],
            )
        )
        .filter(newest=1)
        .values("history_id")
    )
    return kind.rows.filter(history_id__in=newest).exclude(history_type=DELETED)


def record_of(row, related: tuple[str, ...] = ()):
    """The record (an instance of the live model, never saved) as the history row holds it,
    with the related records the row was read with (`related`, select_related names)."""
    model = row.instance_type
    # A field kept out of the history (the programme's four-eyes switch) keeps its default.
    kept = {field.attname for field in row._meta.concrete_fields}
    record = model(
        **{
            field.attname: getattr(row, field.attname)
            for field in _fields(model)
            if field.attname in kept
        }
    )
    record._state.adding = False
    record._state.db = row._state.db
    for name in related:
        setattr(record, name, getattr(row, name))
    return record


def _fields(model):
    return [field for field in model._meta.concrete_fields if not field.many_to_many]


def with_prefetched(record, **lists):
    """Give the record its related lists as prefetch_related would (`record.estimates.all()`
    answers from them, with no query)."""
    cache = record.__dict__.setdefault("_prefetched_objects_cache", {})
    for name, items in lists.items():
        manager = getattr(record, name)
        queryset = manager.model.objects.none()
        queryset._result_cache = list(items)
        queryset._prefetch_done = True
        cache[manager.field.remote_field.cache_name] = queryset
    return record


def found_once(versions: QuerySet) -> QuerySet:
    """The same rows, found now (one query) and named by their history ids, so that the queries
    built on them do not make the window over the history again; the query as it is when there
    are more than IDS_AT_MOST of them."""
    ids = list(versions.order_by().values_list("history_id", flat=True)[: IDS_AT_MOST + 1])
    if len(ids) > IDS_AT_MOST:
        return versions
    if connection.vendor == "postgresql":
        # One array parameter: a list of thousands costs Django far more to compile as
        # `IN (%s, %s, …)` than the database takes to read it.
        return versions.model.objects.filter(AnyOf(F("history_id"), Value(ids)))
    return versions.model.objects.filter(history_id__in=ids)


class AnyOf(Func):
    """`column = ANY(array)`, PostgreSQL's test against a list given as one array."""

    template = "%(expressions)s"
    arg_joiner = " = ANY("
    output_field = BooleanField()

    def as_sql(self, compiler, connection, **extra):
        sql, params = super().as_sql(compiler, connection, **extra)
        return f"({sql}))", params
