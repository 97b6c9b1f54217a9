"""`manage.py backup` and `restore`: round trips lose nothing; a refused restore changes nothing."""

import gzip
import io
import json
from decimal import Decimal

import pytest
from django.apps import apps
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Permission, User
from django.contrib.sessions.models import Session
from django.core.management import CommandError, call_command
from django.core.management.color import no_style
from django.db import connection

from aifabriek.ops.backup import FORMAT, VERSION, backed_up_models
from funding.cache import generation
from funding.models import Contribution, Programme
from tests.support.backup_checks import PASSWORD, make_edits, snapshot

pytestmark = pytest.mark.django_db


@pytest.fixture
def edited(aifabriek):
    make_edits()
    return snapshot()


@pytest.fixture
def backup_file(edited, tmp_path):
    path = tmp_path / "backup.jsonl.gz"
    call_command("backup", str(path), stdout=io.StringIO())
    return path


def empty_the_database():
    """As a fresh database after `migrate`, with sequences back at 1 and new permission ids."""
    tables = [model._meta.db_table for model in [*backed_up_models(), Session]]
    # PostgreSQL truncates only tables without pending (deferred) foreign-key checks.
    connection.check_constraints()
    connection.ops.execute_sql_flush(
        connection.ops.sql_flush(no_style(), tables, reset_sequences=True)
    )
    # Another database numbers its permissions otherwise: give them all new ids.
    Permission.objects.all().delete()
    for app_config in apps.get_app_configs():
        create_permissions(app_config, verbosity=0)


def restore(path, *args):
    call_command("restore", str(path), *args, stdout=io.StringIO())


def test_round_trip_into_an_empty_database_restores_every_row_and_total(edited, backup_file):
    empty_the_database()
    assert Programme.objects.count() == 0
    restore(backup_file)
    connection.check_constraints()
    assert snapshot() == edited
    assert edited["rows"]["funding.HistoricalContribution"] > 3  # history was backed up
    assert edited["totals"]["ai-fabriek-groningen"] == (
        Decimal("200000000.00"),
        Decimal("130000000.00"),
        Decimal("70000000.00"),
        Decimal("1500000.50"),
    )


def test_records_can_be_added_after_a_restore(edited, backup_file):
    """Sequences are moved past the restored ids (PostgreSQL would reuse id 1 otherwise)."""
    empty_the_database()
    restore(backup_file)
    programme = Programme.objects.create(name="New", slug="new", target=Decimal("1.00"))
    restored_ids = Programme.objects.exclude(pk=programme.pk).values_list("pk", flat=True)
    assert programme.pk > max(restored_ids)
    rijk = Contribution.objects.get(key="rijk")
    rijk.amount = Decimal("71000000.00")
    rijk.save()  # adds a history row
    # The password hash came through: the controller can still sign in with their password.
    assert User.objects.get(username="controller").check_password(PASSWORD)


def test_a_restore_retires_every_cached_public_page(edited, backup_file):
    # A restore writes without model signals; aifabriek.ops.backup.restored retires the cache.
    cached_before = generation()
    restore(backup_file, "--replace")
    assert generation() != cached_before


def test_the_header_describes_the_file(edited, backup_file):
    with gzip.open(backup_file, "rt") as lines:
        header = json.loads(next(lines))
        body = list(lines)
    assert (header["format"], header["version"]) == (FORMAT, VERSION)
    assert header["app_version"] == "0.1.0"
    assert header["counts"] == edited["rows"]
    assert sum(header["counts"].values()) == len(body)
    assert header["migrations"]["funding"][0] == "0001_initial"
    # Permissions by natural key: their ids differ from one database to another.
    granted = {
        tuple(row["fields"]["permission_id"])
        for row in map(json.loads, body)
        if row["model"] == "auth.Group_permissions"
    }
    assert ("change_contribution", "funding", "contribution") in granted
    assert ("view_programme", "funding", "programme") in granted


def test_restore_refuses_a_database_that_holds_data_and_changes_nothing(
    edited, backup_file, tmp_path
):
    Programme.objects.filter(slug="generated-0").update(name="Changed after the backup")
    before = snapshot()
    with pytest.raises(CommandError, match=r"The database is not empty \(.*--replace"):
        restore(backup_file)
    assert snapshot() == before


def test_replace_puts_back_the_backed_up_state(edited, backup_file):
    Programme.objects.filter(slug="generated-0").delete()
    rijk = Contribution.objects.get(key="rijk")
    rijk.amount = Decimal("1.00")
    rijk.save()
    restore(backup_file, "--replace")
    connection.check_constraints()
    assert snapshot() == edited


def test_a_truncated_file_is_refused_and_changes_nothing(edited, backup_file):
    data = backup_file.read_bytes()
    backup_file.write_bytes(data[: len(data) // 2])
    with pytest.raises(CommandError, match="is truncated: the file ends before its last line"):
        restore(backup_file, "--replace")
    assert snapshot() == edited


def test_an_altered_file_is_refused_and_changes_nothing(edited, backup_file):
    text = gzip.decompress(backup_file.read_bytes()).decode()
    altered = text.replace('"amount": "70000000.00"', '"amount": "7000000.00"', 1)
    assert altered != text
    backup_file.write_bytes(gzip.compress(altered.encode()))
    with pytest.raises(CommandError, match="does not match its checksum"):
        restore(backup_file, "--replace")
    assert snapshot() == edited


def test_a_file_cut_at_a_line_end_is_refused(edited, backup_file):
    """A whole gzip stream that lost its last rows: only the checksum can tell."""
    lines = gzip.decompress(backup_file.read_bytes()).splitlines(keepends=True)
    backup_file.write_bytes(gzip.compress(b"".join(lines[:-3])))
    empty_the_database()
    with pytest.raises(CommandError, match="does not match its checksum"):
        restore(backup_file)
    assert Programme.objects.count() == 0
    assert Contribution.history.count() == 0


def test_a_file_that_is_no_backup_is_refused(db, tmp_path):
    not_gzip = tmp_path / "notes.txt"
    not_gzip.write_text("hello\n")
    with pytest.raises(CommandError, match="is damaged or not a backup"):
        restore(not_gzip)
    other_json = tmp_path / "other.jsonl.gz"
    other_json.write_bytes(gzip.compress(b'{"format": "something-else"}\n'))
    with pytest.raises(CommandError, match="is not a backup of this application"):
        restore(other_json)
    with pytest.raises(CommandError, match="no such file"):
        restore(tmp_path / "missing.jsonl.gz")


def test_a_backup_of_another_schema_is_refused(edited, backup_file):
    lines = gzip.decompress(backup_file.read_bytes()).splitlines(keepends=True)
    header = json.loads(lines[0])
    header["migrations"]["funding"].append("0099_from_the_future")
    body = b"".join(lines[1:])
    backup_file.write_bytes(gzip.compress(json.dumps(header).encode() + b"\n" + body))
    with pytest.raises(CommandError, match="was made with another database schema"):
        restore(backup_file, "--replace")
    assert snapshot() == edited
