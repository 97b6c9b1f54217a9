"""Insert many plain rows fast, without building a model instance for each.

A generated portfolio has half a million rows. Model instances and multi-row INSERT statements
(what `bulk_create` does) spend most of the time in Python building and quoting; PostgreSQL
takes the rows through COPY instead, SQLite (in-process, no round trips) through plain
statements. Rows are dicts of column attribute names (`funder_id`) to values; a column a row
leaves out gets the field's default, as a new instance would, and `auto_now_add` fields the time
of the insert. No `save()`, no signals, no history rows: callers decide what that means.
"""

from django.db import DEFAULT_DB_ALIAS, connections
from django.utils import timezone


def insert_rows(model, rows: list[dict], *, using: str = DEFAULT_DB_ALIAS) -> list[int]:
    """Insert `rows` into `model`'s table and return their primary keys, in order."""
    if not rows:
        return []
    connection = connections[using]
    fields = [field for field in model._meta.concrete_fields if not field.primary_key]
    now = timezone.now()
    defaults = {
        field.attname: now if getattr(field, "auto_now_add", False) else field.get_default()
        for field in fields
    }
    values = [[row.get(field.attname, defaults[field.attname]) for field in fields] for row in rows]
    if connection.vendor == "postgresql":
        return _copy(connection, model, fields, values)
    return _insert_one_by_one(connection, model, fields, values)


def _copy(connection, model, fields, values) -> list[int]:
    quote = connection.ops.quote_name
    table = model._meta.db_table
    pk = model._meta.pk.column
    columns = ", ".join(quote(column) for column in [pk, *(field.column for field in fields)])
    with connection.cursor() as cursor:
        # Reserved from the table's own sequence, so later inserts never collide with them.
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [quote(table), pk, len(values)],
        )
        ids = [row[0] for row in cursor.fetchall()]
        # psycopg adapts dates, decimals and aware datetimes itself.
        with cursor.cursor.copy(f"COPY {quote(table)} ({columns}) FROM STDIN") as copy:
            for row_id, row in zip(ids, values, strict=True):
                copy.write_row([row_id, *row])
    return ids


def _insert_one_by_one(connection, model, fields, values) -> list[int]:
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES ({placeholders})"
    ids = []
    with connection.cursor() as cursor:
        for row in values:
            prepared = zip(fields, row, strict=True)
            cursor.execute(
                sql, [field.get_db_prep_save(value, connection) for field, value in prepared]
            )
            ids.append(cursor.lastrowid)
    return ids
