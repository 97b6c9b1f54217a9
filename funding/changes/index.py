"""Which changes a programme's public change log lists, in order, found in the database.

The change log is read from the history the app already keeps: django-simple-history's rows of
the programme, its contributions, co-funder shares, payments, milestones, date estimates and
partners, and the contributions' status events. Nothing is recorded twice.

Per table, one query with window functions pairs each history row with the version before it
(LAG over the record's rows in the order they were written) and keeps the rows that change a
public field, or that publish, add or remove a record. The tables are stacked with UNION ALL,
ordered newest first, and a page of keys (kind, row, previous row) is read with the number of
entries in the same query. Reading the rows of one page is the caller's part
(`funding.changes.entries`), so a page costs the same however long the history is. The Atom feed
reads its newest entries here too (`newest_entry_keys`), so it never shows what the log hides.

What is public (docs/decisions.md, "The public change log"):
- only records that are public now, of a programme that is public now;
- only what was recorded after the record (and the programme) last became public: a record made
  public later shows from that moment, as "published", never with the values it had before;
- a child row (share, payment, estimate) only while its parent was public;
- only the fields the public page and the open data show (no staff notes).
The kinds, the fields each follows and whose public flag gates its rows are the registry's
(funding/history/registry.py); this module writes the rule in SQL.
"""

from dataclasses import dataclass

from django.db import connection
from django.db.models import F, Window
from django.db.models.functions import Lag

from funding.history.kinds import HistoryKind
from funding.history.registry import GATES, KINDS, LOGGED, STATUS, gate_model, kind_of_anchor
from funding.models import Programme

# The kinds of the log (in funding/history/registry.py, with their fields, anchors and wording).
LOG_KINDS = [kind.name for kind in LOGGED]


@dataclass(frozen=True)
class EntryKey:
    """One entry of the log: the kind of row, the row, and the version before it (if any)."""

    kind: str
    pk: int
    previous: int | None

    @property
    def anchor(self) -> str:
        return f"{KINDS[self.kind].anchor}-{self.pk}"


def entry_of_anchor(anchor: str) -> tuple[str, int] | None:
    """The (kind, row) an entry's anchor names, or None for anything else."""
    prefix, _, number = (anchor or "").rpartition("-")
    kind = kind_of_anchor(prefix)
    if kind is None or not (number.isascii() and number.isdigit()) or len(number) > 18:
        return None
    return kind.name, int(number)


def _since_sql(parent: str, programme: Programme) -> tuple[str, list]:
    """Per record of the programme that was ever not public: when it last became public (its
    first public version after the last one that was not). Records that were always public
    are not in it, so the window runs over the history of the few that were not.
    """
    gate = GATES[parent]
    table = connection.ops.quote_name(gate.rows.model._meta.db_table)
    column = gate.programme
    sql = f"""
        SELECT id AS record, MIN(history_date) AS since FROM (
            SELECT id, history_date, is_public,
                   MAX(CASE WHEN is_public THEN NULL ELSE history_date END)
                       OVER (PARTITION BY id) AS last_private
            FROM {table}
            WHERE {column} = %s
              AND id IN (SELECT id FROM {table} WHERE {column} = %s AND NOT is_public)
        ) AS versions
        WHERE is_public AND history_date > last_private
        GROUP BY id
    """
    return sql, [programme.pk, programme.pk]


def _history_rows(kind: HistoryKind, programme: Programme):
    """The table's rows of this programme's public records, each with the version before it,
    and the SQL condition that lists a row."""
    in_order = {
        "partition_by": [F("id")],
        "order_by": [F("history_date").asc(), F("history_id").asc()],
    }
    columns = {
        "entry": F("history_id"),
        "moment": F("history_date"),
        "change": F("history_type"),
        "previous": Window(Lag("history_id"), **in_order),
        "parent": F(kind.parent_column),
    }
    if kind.own_flag:
        columns["now_public"] = F("is_public")
        columns["was_public"] = Window(Lag("is_public"), **in_order)
    for name in kind.fields:
        columns[f"now_{name}"] = F(name)
        columns[f"was_{name}"] = Window(Lag(name), **in_order)
    public = kind.public_in(programme, gate_model(kind))
    rows = kind.rows.filter(public).order_by().values(**columns)
    distinct = "IS DISTINCT FROM" if connection.vendor == "postgresql" else "IS NOT"
    changed = " OR ".join(f"now_{name} {distinct} was_{name}" for name in kind.fields)
    if kind.own_flag:
        # Deleted records are no longer public; a version that publishes the record is listed.
        listed = (
            f"now_public AND change <> '-' AND (previous IS NULL OR NOT was_public OR {changed})"
        )
        if kind.published_by_status:
            # A new contribution's first status event is its "first published" entry.
            listed += " AND change <> '+'"
    else:
        listed = f"(change <> '~' OR {changed})"
    return rows, listed


def _status_rows(programme: Programme):
    """The status events of the programme's public contributions, each with the one before.
    Every event is listed; a contribution's first is its "first published" entry."""
    in_order = {
        "partition_by": [F("contribution_id")],
        "order_by": [F("recorded_at").asc(), F("pk").asc()],
    }
    status = KINDS[STATUS]
    rows = (
        status.rows.filter(status.public_in(programme, gate_model(status)))
        .order_by()
        .values(
            entry=F("pk"),
            moment=F("recorded_at"),
            previous=Window(Lag("pk"), **in_order),
            parent=F("contribution_id"),
        )
    )
    return rows, "1 = 1"


def _entries_sql(programme: Programme, kinds=LOG_KINDS) -> tuple[str, str, list]:
    """The WITH clauses and one SELECT of every entry (kind, entry, previous, moment) of these
    kinds, stacked with UNION ALL. A row is listed only from the moment its record (or parent)
    and the programme last became public: the rule the change log and the feed share."""
    clauses, params = [], []
    # The programme gates every row; the other parents only the kinds asked for.
    gates = {"programme"} | {KINDS[kind].gate for kind in kinds}
    for parent in [parent for parent in GATES if parent in gates]:
        sql, since_params = _since_sql(parent, programme)
        clauses.append(f"{parent}_since AS ({sql})")
        params += since_params
    parts = []
    for kind in kinds:
        if KINDS[kind].is_event:
            rows, listed = _status_rows(programme)
        else:
            rows, listed = _history_rows(KINDS[kind], programme)
        inner, inner_params = rows.query.sql_with_params()
        parent = KINDS[kind].gate
        parts.append(
            f"SELECT %s AS kind, rows_{kind}.entry, rows_{kind}.previous, rows_{kind}.moment "
            f"FROM ({inner}) AS rows_{kind} "
            f"LEFT JOIN {parent}_since AS parent_{kind} "
            f"ON parent_{kind}.record = rows_{kind}.parent "
            f"WHERE {listed} "
            f"AND (parent_{kind}.since IS NULL OR rows_{kind}.moment >= parent_{kind}.since) "
            f"AND NOT EXISTS (SELECT 1 FROM programme_since "
            f"WHERE programme_since.since > rows_{kind}.moment)"
        )
        params += [kind, *inner_params]
    return "WITH " + ", ".join(clauses), " UNION ALL ".join(parts), params


ORDER = "ORDER BY moment DESC, kind DESC, entry DESC"


def entry_keys(programme: Programme, *, offset: int, limit: int) -> tuple[list[EntryKey], int]:
    """One page of the log's keys, newest first, and how many entries there are in all.

    The count comes with the rows; a page past the end has no rows, so it is counted apart.
    """
    clauses, entries, params = _entries_sql(programme)
    sql = (
        f"{clauses} SELECT kind, entry, previous, COUNT(*) OVER () FROM ({entries}) AS entries "
        f"{ORDER} LIMIT %s OFFSET %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, limit, offset])
        rows = cursor.fetchall()
        if rows:
            count = rows[0][3]
        else:
            cursor.execute(f"{clauses} SELECT COUNT(*) FROM ({entries}) AS entries", params)
            count = cursor.fetchone()[0]
    return [EntryKey(kind, entry, previous) for kind, entry, previous, _count in rows], count


def newest_entry_keys(programme: Programme, *, kinds: list[str], limit: int) -> list[EntryKey]:
    """The newest entries of the log of these kinds, newest first, as the log orders them."""
    clauses, entries, params = _entries_sql(programme, kinds)
    sql = f"{clauses} SELECT kind, entry, previous FROM ({entries}) AS entries {ORDER} LIMIT %s"
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, limit])
        return [EntryKey(kind, entry, previous) for kind, entry, previous in cursor.fetchall()]


def entry_position(programme: Programme, *, kind: str, pk: int) -> int | None:
    """How many entries come before this one in the log (0 for the newest); None if unlisted."""
    clauses, entries, params = _entries_sql(programme)
    sql = f"""
        {clauses}, entries AS ({entries}),
             target AS (SELECT moment, kind, entry FROM entries WHERE kind = %s AND entry = %s)
        SELECT (SELECT COUNT(*) FROM target),
               (SELECT COUNT(*) FROM entries, target
                WHERE (entries.moment, entries.kind, entries.entry)
                      > (target.moment, target.kind, target.entry))
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, kind, pk])
        found, before = cursor.fetchone()
    return before if found else None
