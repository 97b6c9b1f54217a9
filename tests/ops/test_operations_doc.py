"""docs/operations.md's commands, run as written: back up an SQLite installation, restore it
over itself, then move it into a new PostgreSQL database, which ends up with every row and total.
"""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import dj_database_url
import psycopg
import pytest
from django.conf import settings

from tests.support.commands import manage

pytestmark = pytest.mark.system

DOC = Path(settings.BASE_DIR) / "docs" / "operations.md"
SNAPSHOT = (
    "import json; from tests.support.backup_checks import snapshot; "
    "print(json.dumps(snapshot(), default=str))"
)


def shell_blocks(text: str) -> list[str]:
    return re.findall(r"```sh\n(.*?)```", text, flags=re.DOTALL)


def manage_stdout(*args, env):
    result = manage(*args, env=env)
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.fixture
def target_database():
    """An empty PostgreSQL database beside the test database, dropped afterwards."""
    server = dj_database_url.parse(os.environ["DATABASE_URL"])
    if not server["ENGINE"].endswith("postgresql"):
        pytest.fail("system tests run on PostgreSQL: set DATABASE_URL")
    name = f"{server['NAME']}_move"
    admin = psycopg.connect(
        host=server["HOST"],
        port=server["PORT"] or 5432,
        user=server["USER"],
        password=server["PASSWORD"] or None,
        dbname="postgres",
        autocommit=True,
    )
    admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
    admin.execute(f'CREATE DATABASE "{name}"')
    password = f":{server['PASSWORD']}" if server["PASSWORD"] else ""
    yield f"postgres://{server['USER']}{password}@{server['HOST']}:{server['PORT'] or 5432}/{name}"
    admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.close()


def test_the_documented_commands_move_an_sqlite_installation_into_postgresql(
    target_database, tmp_path
):
    blocks = shell_blocks(DOC.read_text(encoding="utf-8"))
    script = "\n".join(blocks)
    assert "manage.py backup" in script and "manage.py restore" in script
    documented_url = re.search(r"export DATABASE_URL=(\S+)", script).group(1)
    script = script.replace(documented_url, target_database)
    script = script.replace(".venv/bin/python", sys.executable)
    script = script.replace(
        "aifabriek-backup.jsonl.gz", str(tmp_path / "aifabriek-backup.jsonl.gz")
    )

    # An installation as `make run` leaves it, with edits, users and a small portfolio.
    source = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
    }
    manage_stdout("migrate", "--noinput", "-v0", env=source)
    manage_stdout("load_aifabriek", env=source)
    manage_stdout(
        "shell",
        "--no-imports",
        "-c",
        "from tests.support.backup_checks import make_edits; make_edits()",
        env=source,
    )
    before = json.loads(manage_stdout("shell", "--no-imports", "-c", SNAPSHOT, env=source))

    result = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", script],
        cwd=settings.BASE_DIR,
        env=source,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("restored") == 2  # over itself (--replace), then into PostgreSQL

    moved = json.loads(
        manage_stdout(
            "shell", "--no-imports", "-c", SNAPSHOT, env={**source, "DATABASE_URL": target_database}
        )
    )
    assert moved == before
    assert before["rows"]["funding.HistoricalContribution"] > 3
    assert before["totals"]["ai-fabriek-groningen"] == [
        "200000000.00",
        "130000000.00",
        "70000000.00",
        "1500000.50",
    ]
