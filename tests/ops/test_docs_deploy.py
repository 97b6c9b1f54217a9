"""docs/deploy.md gives only commands that the tests or the Makefile run, in the order they do."""

import re
import subprocess
from pathlib import Path

from deploy.stack import PROJECT, RELEASE_COMMANDS

DOC = Path(PROJECT) / "docs" / "deploy.md"
PYTHON = ".venv/bin/python manage.py"


def doc_commands() -> list[str]:
    blocks = re.findall(r"^```sh\n(.*?)^```", DOC.read_text(encoding="utf-8"), re.S | re.M)
    return [line.strip() for block in blocks for line in block.splitlines() if line.strip()]


def test_every_command_in_the_deploy_doc_is_one_a_test_or_the_makefile_runs():
    release = [f"{PYTHON} {' '.join(command)}" for command in RELEASE_COMMANDS]
    # tests/core/test_setup.py runs the deploy check with production settings.
    setup_test = (PROJECT / "tests" / "core" / "test_setup.py").read_text(encoding="utf-8")
    assert 'manage_as_production("check", "--deploy"' in setup_test
    known = {*release, f"{PYTHON} check --deploy", "make serve-prod"}
    commands = doc_commands()
    assert commands, "no ```sh blocks in docs/deploy.md"
    assert [c for c in commands if c not in known] == []
    # The release commands appear in the order the stack (and the system test) runs them.
    assert [c for c in commands if c in release] == release


def test_make_serve_prod_starts_the_stack_the_system_test_starts():
    result = subprocess.run(
        ["make", "-n", "serve-prod"], cwd=PROJECT, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert "-m deploy.stack --port 8080 --app-ports 8001 8002" in result.stdout
    assert "aifabriek_prod" in result.stdout


def test_the_deploy_doc_links_the_operations_doc_and_the_files_it_names():
    text = DOC.read_text(encoding="utf-8")
    assert "(operations.md)" in text
    for path in re.findall(r"`(deploy/[^`]+)`", text):
        assert (PROJECT / path).exists(), path
