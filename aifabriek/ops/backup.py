"""Back up and restore everything the tracker holds, across SQLite and PostgreSQL.

The file is gzip'd JSON lines (docs/operations.md describes it): a header line, then one line per
row, model by model. The header carries the counts per model and a SHA-256 of the lines after it,
so a restore can tell a whole file from a truncated or altered one before it writes anything.

Rows keep their primary keys, so every foreign key (history rows to their users, contributions to
their programmes) stays as it was. Permissions and content types are made by `migrate` and may get
other ids in another database: rows pointing to them carry their natural keys instead.
"""

import gzip
import hashlib
import json
import os
import tempfile
import tomllib
import zlib
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path

import django
from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.core.management.color import no_style
from django.db import DatabaseError, connection, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.dispatch import Signal
from django.utils import timezone

FORMAT = "aifabriek-backup"
VERSION = 1
# The apps whose rows a backup holds: users and groups, their second factors (TOTP devices and
# recovery codes), single sign-on links and sign-in audit, the admin's log, and all funding
# records with their history. Permissions and content types come from `migrate`. Left out:
# sessions (signing in again is cheap, and old sessions would name users of another database)
# and django-axes' failed-attempt counters, which are short-lived lockout state.
APPS = ("auth", "otp_totp", "otp_static", "accounts", "admin", "funding")
BATCH = 2000

# Sent once a restore has written its rows, inside its transaction: apps whose caches hold what
# the old rows said connect to it (funding's app config retires the public pages' cache).
restored = Signal()


class BackupError(Exception):
    """A file that cannot be restored, or a database that must not be restored into."""


def backed_up_models() -> list:
    """Every model whose rows go into a backup, the auto-created many-to-many tables included."""
    return [
        model
        for app_label in APPS
        for model in apps.get_app_config(app_label).get_models(include_auto_created=True)
        if model is not Permission
    ]


def _natural_keyed(field) -> bool:
    return field.is_relation and field.related_model in (ContentType, Permission)


def _natural_keys_by_id() -> dict:
    return {
        ContentType: {ct.pk: list(ct.natural_key()) for ct in ContentType.objects.all()},
        Permission: {
            p.pk: list(p.natural_key()) for p in Permission.objects.select_related("content_type")
        },
    }


def _json_value(value):
    # Full precision: Django's JSON encoder would cut microseconds to milliseconds.
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    raise TypeError(f"Cannot write {type(value).__name__} to a backup")


def app_version() -> str:
    pyproject = Path(settings.BASE_DIR) / "pyproject.toml"
    return tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]["version"]


def applied_migrations() -> dict[str, list[str]]:
    applied = MigrationRecorder(connection).applied_migrations()
    return {app: sorted(name for a, name in applied if a == app) for app in APPS}


@dataclass
class Summary:
    counts: dict[str, int]
    size: int


def write_backup(path: Path) -> Summary:
    """Write every backed-up row to `path`, replacing it only once the new file is whole."""
    path = Path(path)
    digest = hashlib.sha256()
    counts: dict[str, int] = {}
    natural_keys = _natural_keys_by_id()
    outermost = not connection.in_atomic_block
    with tempfile.TemporaryFile() as body, transaction.atomic():
        # One transaction: on PostgreSQL the rows of every model are read from one snapshot.
        if connection.vendor == "postgresql" and outermost:
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        for model in backed_up_models():
            label = model._meta.label
            fields = model._meta.concrete_fields
            names = [field.attname for field in fields]
            count = 0
            rows = model._base_manager.order_by("pk").values_list(*names)
            for row in rows.iterator(chunk_size=BATCH):
                values = {}
                for field, name, value in zip(fields, names, row, strict=True):
                    if value is not None and _natural_keyed(field):
                        value = natural_keys[field.related_model][value]
                    values[name] = value
                line = json.dumps({"model": label, "fields": values}, default=_json_value)
                encoded = (line + "\n").encode()
                digest.update(encoded)
                body.write(encoded)
                count += 1
            counts[label] = count
        header = {
            "format": FORMAT,
            "version": VERSION,
            "app_version": app_version(),
            "django_version": django.get_version(),
            "created_at": timezone.now().isoformat(),
            "database": connection.vendor,
            "migrations": applied_migrations(),
            "counts": counts,
            "sha256": digest.hexdigest(),
        }
        partial = path.with_name(path.name + ".partial")
        with open(partial, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb") as out:
            out.write((json.dumps(header) + "\n").encode())
            body.seek(0)
            while chunk := body.read(1 << 20):
                out.write(chunk)
        os.replace(partial, path)
    return Summary(counts=counts, size=path.stat().st_size)


def _lines(path: Path):
    """The file's lines, with a clear error for a file that is not a whole gzip stream."""
    try:
        with gzip.open(path, "rb") as stream:
            yield from stream
    except FileNotFoundError:
        raise BackupError(f"{path}: no such file.") from None
    except EOFError:
        raise BackupError(
            f"{path} is truncated: the file ends before its last line. Nothing was restored."
        ) from None
    except (gzip.BadGzipFile, zlib.error, OSError) as error:
        raise BackupError(
            f"{path} is damaged or not a backup ({error}). Nothing was restored."
        ) from None


def read_header(path: Path) -> dict:
    """The header, checked: our format, a version we read, the same migrations as this database."""
    lines = _lines(path)
    try:
        header = json.loads(next(lines))
    except (StopIteration, ValueError, RecursionError):
        raise BackupError(f"{path} is not a backup of this application (no header).") from None
    finally:
        lines.close()
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise BackupError(f"{path} is not a backup of this application.")
    if header.get("version") != VERSION:
        raise BackupError(
            f"{path} is in backup format version {header.get('version')}; this version of the "
            f"application reads version {VERSION}."
        )
    if header.get("migrations") != applied_migrations():
        raise BackupError(
            f"{path} was made with another database schema (application version "
            f"{header.get('app_version')}). Restore it with that version, or run `migrate` so "
            "the database has the same migrations as the backup."
        )
    return header


def verify(path: Path) -> dict:
    """Read the whole file once: its checksum and counts must match the header."""
    header = read_header(path)
    digest = hashlib.sha256()
    counts: dict[str, int] = {}
    lines = _lines(path)
    next(lines)
    for line in lines:
        digest.update(line)
        try:
            label = json.loads(line)["model"]
        except (ValueError, KeyError, TypeError, RecursionError):
            # RecursionError: a line nested deeper than the parser goes is no row either.
            raise BackupError(
                f"{path} has a line that is not a row. Nothing was restored."
            ) from None
        counts[label] = counts.get(label, 0) + 1
    if digest.hexdigest() != header.get("sha256"):
        raise BackupError(
            f"{path} does not match its checksum: it was changed or cut short after it was "
            "written. Nothing was restored."
        )
    expected = {label: n for label, n in header.get("counts", {}).items() if n}
    if counts != expected:
        raise BackupError(f"{path}: its rows do not match the counts in its header.")
    return header


def rows_in_database() -> dict[str, int]:
    """Rows that a restore would overwrite. Groups do not count: `migrate` makes them."""
    return {
        model._meta.label: count
        for model in backed_up_models()
        if model not in (Group, Group.permissions.through)
        and (count := model._base_manager.count())
    }


def _converters(model, ids_by_natural_key: dict) -> dict:
    def natural(field):
        ids = ids_by_natural_key[field.related_model]

        def to_id(value):
            if value is None:
                return None
            try:
                return ids[tuple(value)]
            except KeyError:
                raise BackupError(
                    f"{model._meta.label}: {'.'.join(value)} does not exist in this database."
                ) from None

        return to_id

    return {
        field.attname: natural(field) if _natural_keyed(field) else field.to_python
        for field in model._meta.concrete_fields
    }


def restore_backup(path: Path, *, replace: bool = False) -> dict[str, int]:
    """Load a verified backup in one transaction; refuses a database that holds data.

    Raises BackupError before writing anything when the file or the database is not fit, and
    after rolling back when the database refuses the file's rows.
    """
    try:
        header = verify(path)
        _replace_rows(path, replace=replace)
    except DatabaseError as error:
        # Counts and checksum can be right and the rows still wrong (written by hand, or by a
        # bug): whatever the database refuses, the transaction is rolled back and said so.
        raise BackupError(
            f"{path}: the database refused the restore: {one_line(error)} Nothing was changed: "
            "the restore was rolled back."
        ) from error
    except UnicodeEncodeError as error:
        # JSON may carry a lone surrogate ("\udcff") that no database encoding can store.
        raise BackupError(
            f"{path}: a row holds text that is not valid Unicode ({error.reason} at character "
            f"{error.start}). Nothing was changed: the restore was rolled back."
        ) from None
    return {label: n for label, n in header["counts"].items()}


def _replace_rows(path: Path, *, replace: bool) -> None:
    present = rows_in_database()
    if present and not replace:
        listed = ", ".join(f"{n} {label}" for label, n in sorted(present.items()))
        raise BackupError(
            f"The database is not empty ({listed}). Restore into an empty database, or pass "
            "--replace to delete what it holds first. Nothing was restored."
        )
    models = backed_up_models()
    by_label = {model._meta.label: model for model in models}
    ids_by_natural_key = {
        ContentType: {tuple(ct.natural_key()): ct.pk for ct in ContentType.objects.all()},
        Permission: {
            tuple(p.natural_key()): p.pk for p in Permission.objects.select_related("content_type")
        },
    }
    with transaction.atomic():
        # Foreign keys are checked at the end, so the order of deletes and inserts within the
        # transaction does not matter (both SQLite and PostgreSQL defer them).
        Session.objects.all()._raw_delete(connection.alias)
        for model in reversed(models):
            model._base_manager.all()._raw_delete(connection.alias)
        _load_rows(path, by_label, ids_by_natural_key)
        # Checked here rather than by the commit: SQLite's commit would say only "FOREIGN KEY
        # constraint failed"; this names the table, the row and the column.
        connection.check_constraints()
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), models):
                cursor.execute(sql)
        # Inside the transaction, as the rows: a receiver's work commits or rolls back with them.
        restored.send(sender=restore_backup)


def one_line(error: Exception) -> str:
    """The database's message (PostgreSQL adds a DETAIL line) as one sentence."""
    text = " ".join(str(error).split())
    return text if text.endswith(".") else f"{text}."


def _load_rows(path: Path, by_label: dict, ids_by_natural_key: dict) -> None:
    converters: dict[str, dict] = {}
    pending: list = []
    current = None
    lines = _lines(path)
    next(lines)
    for line in lines:
        row = json.loads(line)
        label = row["model"]
        if label != current:
            _flush(current and by_label[current], pending)
            current, pending = label, []
            if label not in by_label:
                raise BackupError(f"{path}: unknown model {label}. Nothing was restored.")
            converters[label] = _converters(by_label[label], ids_by_natural_key)
        model = by_label[label]
        pending.append(model(**_values(path, model, converters[label], row)))
        if len(pending) >= BATCH:
            _flush(model, pending)
            pending = []
    _flush(current and by_label[current], pending)


def _values(path: Path, model, convert: dict, row: dict) -> dict:
    """A row's fields as the model takes them, or a BackupError naming the field."""
    fields = row.get("fields")
    if not isinstance(fields, dict):
        raise BackupError(f"{path}: a {model._meta.label} row has no fields. Nothing was changed.")
    values = {}
    for name, value in fields.items():
        if name not in convert:
            raise BackupError(
                f"{path}: {model._meta.label} has no field {name!r}. Nothing was changed."
            )
        try:
            values[name] = convert[name](value)
        except (ValidationError, TypeError, ValueError) as error:
            problem = " ".join(getattr(error, "messages", [str(error)]))
            raise BackupError(
                f"{path}: {model._meta.label} row {fields.get('id', '?')}, field {name!r}: "
                f"{problem} Nothing was changed."
            ) from None
    return values


def _flush(model, objects: list) -> None:
    if model and objects:
        model._base_manager.bulk_create(objects)
