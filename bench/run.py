"""`make bench`: the main pages under load, each as a ratio to a bare view in the same server.

Makes a PostgreSQL database of its own (dropped and made again on every run), generates the
portfolio, serves it with gunicorn (2 workers) under the production settings plus the reference
view (`bench/settings.py`) with the Redis cache, counts each page's queries in-process, warms
up, drives every page with wrk at 1, 5 and 20 connections for a bounded time on loopback (5 s, or
longer for a slow page: its own response time times 2 + connections / workers, at most 30 s), and
writes the results as Markdown. gunicorn is stopped at the end, also when something fails.

    python -m bench.run [--smoke] [--output PATH]

Then the edge (bench/edge.py): the production stack's nginx, with its cache, in front of two
gunicorn instances on the same database and Redis.

Environment: BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/aifabriek_bench,
`_smoke` appended for --smoke), BENCH_CACHE_URL (redis://127.0.0.1:6379/2), BENCH_PORT (8765),
BENCH_EDGE_PORT (BENCH_PORT + 1: nginx; the next three: two instances and the database's proxy).
"""

import argparse
import http.client
import os
import signal
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from bench import edge, report, workers
from bench.pages import PAGES
from bench.wrk import LoadResult, drive

ROOT = Path(__file__).resolve().parent.parent
SECRET = "bench-only-secret-key-" + "x" * 40
# The longest one page is driven at one connection count, however slow it is.
MAX_SECONDS = 30
WORKERS = 2
REQUEST_TIMEOUT = 60


@dataclass(frozen=True)
class Profile:
    name: str
    programmes: int
    contributions: int
    big: int
    seconds: float
    connections: tuple[int, ...]
    warm_up: int  # requests per page before it is measured
    history: int = 30_000  # history rows of the programme whose past pages are measured


FULL = Profile(
    "full",
    programmes=1000,
    contributions=100_000,
    big=10_000,
    seconds=5,
    connections=(1, 5, 20),
    warm_up=4,
)
# Enough to run every step: a page that takes a second under a loaded CI still completes.
SMOKE = Profile(
    "smoke", programmes=20, contributions=200, big=50, seconds=2, connections=(1, 5), warm_up=2
)


def settings_environment(
    database_url: str, cache_url: str, static_root: Path, profile_name: str
) -> dict:
    """The production settings, on loopback without TLS in front."""
    return {
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DEBUG": "false",
        "SECRET_KEY": SECRET,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "DATABASE_URL": database_url,
        "CACHE_URL": cache_url,
        "BENCH_STATIC_ROOT": str(static_root),
        "BENCH_CACHE_PREFIX": f"bench-{profile_name}",
        "LOG_LEVEL": "WARNING",
    }


def recreate_database(database_url: str) -> None:
    """Drop and create the benchmark's own database (never another one: the name is ours)."""
    import psycopg

    parts = urlsplit(database_url)
    name = parts.path.lstrip("/")
    server = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(server, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def manage(*arguments: str) -> str:
    finished = subprocess.run(
        [sys.executable, "manage.py", *arguments],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if finished.returncode:
        raise RuntimeError(f"manage.py {' '.join(arguments)} failed:\n{finished.stderr}")
    return finished.stdout


def prepare(profile: Profile, database_url: str) -> float:
    """A fresh database with the shipped data set and the generated portfolio; seconds taken
    by the generation."""
    recreate_database(database_url)
    manage("migrate", "--noinput", "-v0")
    manage("load_aifabriek")
    started = time.perf_counter()
    manage(
        "generate_demo_data",
        f"--programmes={profile.programmes}",
        f"--contributions={profile.contributions}",
        f"--big={profile.big}",
        "--seed=1",
    )
    manage("generate_demo_history", f"--rows={profile.history}", "--seed=1")
    generated = time.perf_counter() - started
    manage("collectstatic", "--noinput", "-v0")
    return generated


def start_gunicorn(port: int) -> subprocess.Popen:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "aifabriek.wsgi:application",
            "--workers",
            str(WORKERS),
            "--bind",
            f"127.0.0.1:{port}",
            # A request that takes longer is cut off (wrk counts it as an error), so one very
            # slow page cannot keep the workers busy long after its run.
            "--timeout",
            str(REQUEST_TIMEOUT),
            # The control socket's default path is shared by every gunicorn of this user.
            "--no-control-socket",
        ],
        cwd=ROOT,
        start_new_session=True,  # its own process group, stopped as a whole
    )


def stop(server: subprocess.Popen) -> None:
    if server.poll() is not None:
        return
    os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait(timeout=10)


def fetch(url: str, headers: dict[str, str], *, timeout: float = 300) -> int:
    request = urllib.request.Request(url, headers=headers)
    with urllib.request.urlopen(request, timeout=timeout) as response:
        response.read()
        return response.status


def wait_until_up(base: str, server: subprocess.Popen, *, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError("gunicorn stopped before it answered")
        try:
            if fetch(f"{base}/healthz", {}, timeout=5) == 200:
                return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"gunicorn did not answer within {seconds:.0f} s")


def load_every_page(base, server, profile, cookies) -> tuple[dict, dict]:
    """wrk on every page at every connection count; the export's worker memory alongside."""
    results: dict[str, dict[int, object]] = {}
    memory = {"started": workers.resident_memory(server.pid), "before": {}, "peak": {}}
    for page in PAGES:
        headers = cookies[page.who]
        if page.is_export:
            memory["before"] = workers.resident_memory(server.pid)
        for _ in range(profile.warm_up):  # workers warm: caches filled, code paths imported
            started = time.perf_counter()
            try:
                fetch(base + page.path, headers)
            except (OSError, http.client.HTTPException) as error:
                # Cut off or failed: wrk's runs will count it; the results say so.
                print(f"  {page.name}: warm-up request failed ({error})", flush=True)
            one_request = time.perf_counter() - started
            if one_request > REQUEST_TIMEOUT / 4:
                break  # warm enough: more would only queue behind it
        results[page.name] = {}
        # A page that takes minutes would keep the workers busy long after a run with many
        # connections: it is driven with one, and the results say the others did not run.
        too_slow = one_request > REQUEST_TIMEOUT / 2
        for connections in profile.connections:
            if too_slow and connections > 1:
                results[page.name][connections] = not_driven(connections)
                continue
            # Long enough for requests to complete on two workers with this many in flight.
            needed = one_request * (2 + connections / WORKERS)
            seconds = min(max(profile.seconds, needed), MAX_SECONDS)
            sampler = workers.PeakSampler(server.pid) if page.is_export else None
            if sampler:
                sampler.start()
            try:
                results[page.name][connections] = drive(
                    base + page.path,
                    connections=connections,
                    seconds=seconds,
                    headers=headers,
                )
            finally:
                if sampler:
                    memory["peak"] = workers.merge_peaks(memory["peak"], sampler.stop())
            print(
                f"  {page.name:<34} {connections:>2} connections: "
                f"{results[page.name][connections].per_second:8.1f} req/s",
                flush=True,
            )
    return results, memory


def not_driven(connections: int) -> LoadResult:
    return LoadResult(connections, requests=0, seconds=0, p50_ms=0, p95_ms=0, p99_ms=0, errors=0)


def main(argv=None) -> None:
    # A terminated run still stops gunicorn (the `finally` below).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="tiny data, two seconds a page")
    parser.add_argument("--output", type=Path, default=None, help="where to write the results")
    parser.add_argument(
        "--keep-database",
        action="store_true",
        help="use the benchmark database of an earlier run as it is (no new portfolio)",
    )
    args = parser.parse_args(argv)
    profile = SMOKE if args.smoke else FULL
    output = args.output or ROOT / "bench" / ("RESULTS-smoke.md" if args.smoke else "RESULTS.md")
    default_database = "aifabriek_bench_smoke" if args.smoke else "aifabriek_bench"
    database_url = os.environ.get(
        "BENCH_DATABASE_URL", f"postgres://postgres@127.0.0.1:5432/{default_database}"
    )
    cache_url = os.environ.get("BENCH_CACHE_URL", "redis://127.0.0.1:6379/2")
    port = int(os.environ.get("BENCH_PORT", "8765"))
    static_root = ROOT / "bench" / ".static" / profile.name
    os.environ.update(settings_environment(database_url, cache_url, static_root, profile.name))
    machine = report.machine_before()

    print(f"Preparing {database_url} ({profile.name} portfolio)…", flush=True)
    started = time.perf_counter()
    if args.keep_database:
        generated_seconds = None
        manage("migrate", "--noinput", "-v0")  # the code may have moved on since
        manage("collectstatic", "--noinput", "-v0")
    else:
        generated_seconds = prepare(profile, database_url)
    print(f"  ready in {time.perf_counter() - started:.0f} s", flush=True)

    from bench import inprocess  # Django is set up from here on

    cookies = inprocess.session_cookies()
    started = time.perf_counter()
    measured = {page.name: inprocess.measure(page, cookies[page.who]) for page in PAGES}
    print(f"  queries and bytes measured in {time.perf_counter() - started:.0f} s", flush=True)
    base = f"http://127.0.0.1:{port}"
    server = start_gunicorn(port)
    try:
        wait_until_up(base, server)
        print("Driving the pages…", flush=True)
        results, memory = load_every_page(base, server, profile, cookies)
    finally:
        stop(server)
    edge_port = int(os.environ.get("BENCH_EDGE_PORT", str(port + 1)))
    edge_results = edge.run(
        state_dir=ROOT / "bench" / ".edge" / profile.name,
        ports=[edge_port, edge_port + 1, edge_port + 2, edge_port + 3],
        database_url=database_url,
        cache_url=cache_url,
        secret=SECRET,
        cookies=cookies,
        seconds=profile.seconds,
    )
    report.write(
        output,
        profile=profile,
        machine=report.machine_after(machine, database_url),
        generated_seconds=generated_seconds,
        measured=measured,
        results=results,
        memory=memory,
        edge=edge_results,
    )
    print(f"Wrote {output}")


if __name__ == "__main__":
    main()
