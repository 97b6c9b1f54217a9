"""`make serve-prod` (deploy/stack.py) stops its whole stack on SIGTERM and SIGHUP, as on Ctrl-C:
a service manager or a CI clean-up leaves no nginx or gunicorn behind."""

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings

from tests.support.databases import drop_database, recreate_database, server_database_url

pytestmark = pytest.mark.system

NGINX_PORT, PORT_A, PORT_B = 8720, 8721, 8722
STACK_DATABASE = "aif_stack_signals"
CACHE_URL = "redis://127.0.0.1:6379/13"
READY = "nginx on http://"


def children(pid: int) -> list[int]:
    """The processes whose parent is `pid` (every thread's children)."""
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found += [int(child) for child in (task / "children").read_text().split()]
        except OSError:
            continue
    return found


def descendants(pid: int) -> list[int]:
    every, waiting = [], [pid]
    while waiting:
        for child in children(waiting.pop()):
            every.append(child)
            waiting.append(child)
    return every


def running(pid: int) -> bool:
    """Alive and not a zombie waiting to be reaped."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return False
    return fields[0] != "Z"


def command_line(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def port_open(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


def every_process_started(pid: int) -> list[int]:
    """The stack's processes once all are up: gunicorn's workers boot after it binds its port."""
    deadline = time.monotonic() + 60
    while True:
        spawned = descendants(pid)
        names = [command_line(child) for child in spawned]
        # nginx's master and two workers (and, with its cache, a cache manager and for a minute
        # a cache loader); two gunicorn instances of a master and two workers.
        nginx, gunicorn = (
            sum(program in name for name in names) for program in ("nginx", "gunicorn")
        )
        if nginx >= 3 and gunicorn == 6:
            return spawned
        if time.monotonic() > deadline:
            raise AssertionError(f"the stack did not start all its processes: {names}")
        time.sleep(0.2)


@pytest.fixture
def stack_process(tmp_path):
    """`python -m deploy.stack` on its own ports and database, started and serving."""
    if "postgres" not in os.environ.get("DATABASE_URL", ""):
        pytest.fail("The stack test runs on PostgreSQL: set DATABASE_URL (make test-system does).")
    database_url = server_database_url(STACK_DATABASE)
    recreate_database(database_url)
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "deploy.stack",
            "--port",
            str(NGINX_PORT),
            "--app-ports",
            str(PORT_A),
            str(PORT_B),
            "--database-url",
            database_url,
            "--cache-url",
            CACHE_URL,
            "--state-dir",
            str(tmp_path / "state"),
        ],
        cwd=settings.BASE_DIR,
        env={**env, "PYTHONUNBUFFERED": "1"},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    output, spawned = [], []
    try:
        for line in process.stdout:
            output.append(line)
            if READY in line:
                break
        assert READY in "".join(output), "".join(output)
        spawned = every_process_started(process.pid)
        yield process, spawned
    finally:
        # Whatever the test left: the stack and every process it started, orphans included.
        for pid in [process.pid, *spawned, *descendants(process.pid)]:
            if running(pid):
                os.kill(pid, signal.SIGKILL)
        process.wait(timeout=30)
        process.stdout.close()
        drop_database(database_url)


@pytest.mark.parametrize("stop_signal", [signal.SIGTERM, signal.SIGHUP], ids=["TERM", "HUP"])
def test_a_signal_to_serve_prod_stops_nginx_and_every_gunicorn(stack_process, stop_signal):
    stack, started = stack_process
    # nginx's master, two workers and its cache's manager and loader; 2 × 3 gunicorn processes.
    assert len(started) >= 9
    assert all(port_open(port) for port in (NGINX_PORT, PORT_A, PORT_B))

    stack.send_signal(stop_signal)

    assert stack.wait(timeout=20) == 0
    deadline = time.monotonic() + 5
    while any(running(pid) for pid in started) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert [(pid, command_line(pid)) for pid in started if running(pid)] == []
    assert [port for port in (NGINX_PORT, PORT_A, PORT_B) if port_open(port)] == []
