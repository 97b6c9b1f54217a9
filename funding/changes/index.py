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
"""

from dataclasses import dataclass

from django.db import connection
from django.db.models import F, Q, Window
from django.db.models.functions import Lag

from funding.models import (
    Contribution,
    ContributionShare,
    DateEstimate,
    Milestone,
    PartnerRole,
    Payment,
    Programme,
    StatusEvent,
)


@dataclass(frozen=True)
class Tracked:
    """A history table in the change log: its kind, model and the public fields it follows."""

    kind: str
    model: type
    fields: tuple[str, ...]  # attnames: "amount", "funder_id"
    anchor: str  # the entry's id on the page: f"{anchor}-{history_id}"


# The fields each log follows are those the public page and the open data show; statuses of
# contributions come from their status events, with the date and source of each decision.
TRACKED = {
    tracked.kind: tracked
    for tracked in [
        Tracked(
            "programme",
            Programme,
            ("name", "target", "currency", "location", "target_source_id"),
            "programme-change",
        ),
        Tracked(
            "contribution",
            Contribution,
            ("funder_id", "instrument", "amount"),
            "contribution-change",
        ),
        Tracked("share", ContributionShare, ("organisation_id", "amount"), "share-change"),
        Tracked("payment", Payment, ("amount", "paid_on"), "payment-change"),
        Tracked("milestone", Milestone, ("title", "status", "reached_on"), "milestone-change"),
        Tracked(
            "estimate",
            DateEstimate,
            ("precision", "year", "period", "day", "source_id"),
            "estimate-change",
        ),
        Tracked("partner", PartnerRole, ("organisation_id", "role"), "partner-change"),
    ]
}
STATUS = "status"
STATUS_ANCHOR = "status-event"
KINDS = [STATUS, *TRACKED]


@dataclass(frozen=True)
class EntryKey:
    """One entry of the log: the kind of row, the row, and the version before it (if any)."""

    kind: str
    pk: int
    previous: int | None

    @property
    def anchor(self) -> str:
        prefix = STATUS_ANCHOR if self.kind == STATUS else TRACKED[self.kind].anchor
        return f"{prefix}-{self.pk}"


def entry_of_anchor(anchor: str) -> tuple[str, int] | None:
    """The (kind, row) an entry's anchor names, or None for anything else."""
    prefixes = {STATUS_ANCHOR: STATUS} | {t.anchor: kind for kind, t in TRACKED.items()}
    prefix, _, number = (anchor or "").rpartition("-")
    if prefix not in prefixes or not (number.isascii() and number.isdigit()) or len(number) > 18:
        return None
    return prefixes[prefix], int(number)


# The parents whose publication gates what the log shows, with the column that ties their
# history rows to the programme.
PARENTS = {
    "programme": (Programme, "id"),
    "contribution": (Contribution, "programme_id"),
    "milestone": (Milestone, "programme_id"),
    "partner": (PartnerRole, "programme_id"),
}
# Which parent's publication gates each kind of row; a record with its own public flag is its
# own parent.
PARENT_OF = {
    STATUS: "contribution",
    "programme": "programme",
    "contribution": "contribution",
    "share": "contribution",
    "payment": "contribution",
    "milestone": "milestone",
    "estimate": "milestone",
    "partner": "partner",
}


def _since_sql(parent: str, programme: Programme) -> tuple[str, list]:
    """Per record of the programme that was ever not public: when it last became public (its
    first public version after the last one that was not). Records that were always public
    are not in it, so the window runs over the history of the few that were not.
    """
    model, column = PARENTS[parent]
    table = connection.ops.quote_name(model.history.model._meta.db_table)
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


def _scope(kind: str, programme: Programme) -> Q:
    """The filter of a table's rows to the programme's records that are public now."""
    contributions = Contribution.objects.public().filter(programme=programme).values("pk")
    if kind == "programme":
        return Q(id=programme.pk)
    if kind == "contribution":
        return Q(programme=programme, id__in=contributions)
    if kind in ("milestone", "estimate"):
        milestones = Milestone.objects.public().filter(programme=programme).values("pk")
        return (
            Q(programme=programme, id__in=milestones)
            if kind == "milestone"
            else Q(milestone_id__in=milestones)
        )
    if kind == "partner":
        partners = PartnerRole.objects.filter(programme=programme, is_public=True)
        return Q(programme=programme, id__in=partners.values("pk"))
    # Co-funder shares and payments belong to a contribution.
    return Q(contribution_id__in=contributions)


def _history_rows(tracked: Tracked, programme: Programme):
    """The table's rows of this programme's public records, each with the version before it,
    and the SQL condition that lists a row."""
    history = tracked.model.history.model
    in_order = {
        "partition_by": [F("id")],
        "order_by": [F("history_date").asc(), F("history_id").asc()],
    }
    own_flag = tracked.kind in PARENTS
    columns = {
        "entry": F("history_id"),
        "moment": F("history_date"),
        "change": F("history_type"),
        "previous": Window(Lag("history_id"), **in_order),
        "parent": F("id") if own_flag else F(f"{PARENT_OF[tracked.kind]}_id"),
    }
    if own_flag:
        columns["now_public"] = F("is_public")
        columns["was_public"] = Window(Lag("is_public"), **in_order)
    for name in tracked.fields:
        columns[f"now_{name}"] = F(name)
        columns[f"was_{name}"] = Window(Lag(name), **in_order)
    rows = history.objects.filter(_scope(tracked.kind, programme)).order_by().values(**columns)
    distinct = "IS DISTINCT FROM" if connection.vendor == "postgresql" else "IS NOT"
    changed = " OR ".join(f"now_{name} {distinct} was_{name}" for name in tracked.fields)
    if own_flag:
        # Deleted records are no longer public; a version that publishes the record is listed.
        listed = (
            f"now_public AND change <> '-' AND (previous IS NULL OR NOT was_public OR {changed})"
        )
        if tracked.kind == "contribution":
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
    rows = (
        StatusEvent.objects.filter(contribution__programme=programme, contribution__is_public=True)
        .order_by()
        .values(
            entry=F("pk"),
            moment=F("recorded_at"),
            previous=Window(Lag("pk"), **in_order),
            parent=F("contribution_id"),
        )
    )
    return rows, "1 = 1"


def _entries_sql(programme: Programme, kinds=KINDS) -> tuple[str, str, list]:
    """The WITH clauses and one SELECT of every entry (kind, entry, previous, moment) of these
    kinds, stacked with UNION ALL. A row is listed only from the moment its record (or parent)
    and the programme last became public: the rule the change log and the feed share."""
    clauses, params = [], []
    # The programme gates every row; the other parents only the kinds asked for.
    gates = {"programme"} | {PARENT_OF[kind] for kind in kinds}
    for parent in [parent for parent in PARENTS if parent in gates]:
        sql, since_params = _since_sql(parent, programme)
        clauses.append(f"{parent}_since AS ({sql})")
        params += since_params
    parts = []
    for kind in kinds:
        if kind == STATUS:
            rows, listed = _status_rows(programme)
        else:
            rows, listed = _history_rows(TRACKED[kind], programme)
        inner, inner_params = rows.query.sql_with_params()
        parent = PARENT_OF[kind]
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
