"""A backup whose counts and checksum agree but whose rows do not: one line, nothing changed."""

import gzip
import hashlib
import io
import json
import os

import pytest
from django.core.management import CommandError, call_command

from tests.support.backup_checks import snapshot
from tests.support.commands import manage

pytestmark = pytest.mark.django_db

SNAPSHOT = (
    "import json; from tests.support.backup_checks import snapshot; "
    "print(json.dumps(snapshot(), default=str))"
)


def rewrite(path, change) -> None:
    """Apply `change` to the file's rows, then make its counts and checksum agree again."""
    lines = gzip.decompress(path.read_bytes()).splitlines()
    header = json.loads(lines[0])
    rows = change([json.loads(line) for line in lines[1:]])
    body = b"".join(json.dumps(row).encode() + b"\n" for row in rows)
    header["counts"] = {}
    for row in rows:
        header["counts"][row["model"]] = header["counts"].get(row["model"], 0) + 1
    header["sha256"] = hashlib.sha256(body).hexdigest()
    path.write_bytes(gzip.compress(json.dumps(header).encode() + b"\n" + body))


def without_programmes(rows):
    return [row for row in rows if row["model"] != "funding.Programme"]


def programme_twice(rows):
    programme = next(row for row in rows if row["model"] == "funding.Programme")
    copy = {"model": programme["model"], "fields": {**programme["fields"], "id": 999}}
    return [*rows, copy]


def with_fields(model: str, **fields):
    def change(rows):
        row = next(row for row in rows if row["model"] == model)
        row["fields"].update(fields)
        return rows

    return change


@pytest.fixture
def backup_file(aifabriek, tmp_path):
    path = tmp_path / "backup.jsonl.gz"
    call_command("backup", str(path), stdout=io.StringIO())
    return path


@pytest.mark.parametrize(
    ("change", "named"),
    [
        (without_programmes, "funding_programme"),
        (programme_twice, "funding_programme"),
        (with_fields("funding.Contribution", amount="-1.00"), "contribution_amount_not_negative"),
        (with_fields("funding.Programme", name=None), "funding_programme"),
        (with_fields("funding.Contribution", amount="abc"), "field 'amount'"),
        (with_fields("funding.Milestone", colour="red"), "has no field 'colour'"),
    ],
    ids=["missing parent", "unique", "check", "not null", "not a number", "unknown field"],
)
def test_rows_the_database_refuses_are_named_in_one_line_and_change_nothing(
    backup_file, change, named
):
    rewrite(backup_file, change)
    before = snapshot()
    with pytest.raises(CommandError) as refused:
        call_command("restore", str(backup_file), "--replace", stdout=io.StringIO())
    message = str(refused.value)
    assert named in message
    assert "Nothing was changed" in message
    assert "\n" not in message
    assert snapshot() == before


def test_the_restore_command_says_in_one_line_that_it_rolled_back(tmp_path):
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
    }
    backup = tmp_path / "backup.jsonl.gz"
    for command in (("migrate", "--noinput", "-v0"), ("load_aifabriek",), ("backup", backup)):
        assert manage(*command, env=env).returncode == 0
    rewrite(backup, without_programmes)
    before = manage("shell", "--no-imports", "-c", SNAPSHOT, env=env).stdout

    result = manage("restore", str(backup), "--replace", env=env)

    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith(f"CommandError: {backup}: the database refused the restore: ")
    assert result.stderr.endswith("Nothing was changed: the restore was rolled back.\n")
    assert "funding_programme" in result.stderr
    assert manage("shell", "--no-imports", "-c", SNAPSHOT, env=env).stdout == before
    assert json.loads(before)["rows"]["funding.Programme"] == 1


def with_raw_line(path, line: bytes) -> None:
    """Add a line the JSON writer could not write, with counts and checksum made to agree."""
    lines = gzip.decompress(path.read_bytes()).splitlines()
    header = json.loads(lines[0])
    body = b"".join(row + b"\n" for row in [*lines[1:], line])
    header["counts"]["auth.Group_permissions"] = (
        header["counts"].get("auth.Group_permissions", 0) + 1
    )
    header["sha256"] = hashlib.sha256(body).hexdigest()
    path.write_bytes(gzip.compress(json.dumps(header).encode() + b"\n" + body))


def test_a_row_nested_deeper_than_the_reader_goes_is_refused_in_one_line(backup_file):
    depth = 50_000
    nested = b"[" * depth + b"]" * depth
    with_raw_line(
        backup_file,
        b'{"model": "auth.Group_permissions", "fields": {"id": 997, "group_id": ' + nested + b"}}",
    )
    before = snapshot()
    with pytest.raises(CommandError, match=r"has a line that is not a row\. Nothing was restored"):
        call_command("restore", str(backup_file), "--replace", stdout=io.StringIO())
    assert snapshot() == before


def test_text_that_is_not_unicode_is_refused_in_one_line(backup_file):
    rewrite(backup_file, with_fields("funding.Organisation", name="SU\udcffRF"))
    before = snapshot()
    with pytest.raises(CommandError) as refused:
        call_command("restore", str(backup_file), "--replace", stdout=io.StringIO())
    message = str(refused.value)
    assert "a row holds text that is not valid Unicode" in message
    assert message.endswith("Nothing was changed: the restore was rolled back.")
    assert "\n" not in message
    assert snapshot() == before
