"""The edge section of `make bench`: the public pages through the serve-prod stack's nginx.

In the same run as the pages direct to gunicorn (bench/run.py), on the same database and Redis,
this starts the production stack (deploy/stack.py: nginx, whose edge cache is under test, in front
of two gunicorn instances with deploy/gunicorn.conf.py), with PostgreSQL behind a TCP proxy that
it can cut, and measures at 5 connections:

- each public page through nginx with its cache warm, as a ratio to the bare view (the reference,
  `HttpResponse("ok")`) direct to one instance, and to nginx serving a static file of the same
  bytes;
- the time from a change saved through the admin's change form (posted through nginx by a funding
  admin) to the new text on the public page through nginx;
- that a signed-in request at a kept address is never answered from the cache;
- with the database cut: the public pages through nginx (stale copies), errors in a 10 s wrk run.
"""

import re
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit
from uuid import uuid4

from bench.pages import AIFABRIEK, BIG
from bench.visitor import Visitor
from bench.wrk import LoadResult, drive
from deploy.stack import Stack

CONNECTIONS = 5
OUTAGE_SECONDS = 10
# The longest a saved change may take to show, and how long the benchmark waits for it.
CHANGE_TARGET_SECONDS = 10
CHANGE_WAIT_SECONDS = 60
EDGE_PAGES = [
    ("/", "/"),
    ("programme page, AI-fabriek", f"/programmes/{AIFABRIEK}/"),
    ("programme page, big", f"/programmes/{BIG}/"),
    ("API detail, AI-fabriek", f"/api/programmes/{AIFABRIEK}/"),
    ("feed, AI-fabriek", f"/programmes/{AIFABRIEK}/feed/"),
    ("badge, AI-fabriek", f"/programmes/{AIFABRIEK}/badge.svg"),
]
PROGRAMME = EDGE_PAGES[1][1]
REFERENCE_PATH = "/bench/reference/"
# A source the AI-fabriek page cites; its title is not a figure that a four-eyes rule holds back.
CHANGED_SOURCE_SEARCH = "Defensie"


@dataclass
class EdgePage:
    name: str
    path: str
    bytes: int
    through_nginx: LoadResult
    static_twin: LoadResult
    cache_status: str  # X-Cache-Status after the run


@dataclass
class EdgeResults:
    reference: LoadResult
    pages: list[EdgePage] = field(default_factory=list)
    change_seconds: float | None = None  # None: not shown within CHANGE_WAIT_SECONDS
    signed_in_requests: int = 0
    signed_in_from_cache: int = 0  # answered with the cache's copy (must stay 0)
    signed_in_load: LoadResult | None = None
    anonymous_saw_signed_in: bool = False
    outage_load: LoadResult | None = None
    outage_statuses: dict[str, tuple[int, str]] = field(default_factory=dict)


def _fetch(url: str, headers: dict | None = None) -> tuple[int, str, bytes]:
    request = urllib.request.Request(url, headers=headers or {})
    with urllib.request.urlopen(request, timeout=60) as response:
        return response.status, response.headers.get("X-Cache-Status", ""), response.read()


def _warm(base: str, path: str) -> bytes:
    """Ask until nginx answers from its cache; the page's bytes."""
    for _ in range(20):
        _status, cache_status, body = _fetch(base + path)
        if cache_status == "HIT":
            return body
        time.sleep(0.05)
    raise RuntimeError(f"nginx does not keep {path} (X-Cache-Status {cache_status!r})")


def _through_proxy(url: str, port: int) -> str:
    parts = urlsplit(url)
    user = parts.netloc.rsplit("@", 1)[0] + "@" if "@" in parts.netloc else ""
    return urlunsplit(parts._replace(netloc=f"{user}127.0.0.1:{port}"))


def start_stack(state_dir: Path, ports: list[int], database_url: str, cache_url: str, secret: str):
    """The serve-prod stack with the benchmark's settings (its reference view included), its
    database reached through a TCP proxy the outage cuts."""
    from tests.support.servers import TcpProxy

    nginx_port, port_a, port_b, proxy_port = ports
    postgres = urlsplit(database_url)
    proxy = TcpProxy(proxy_port, (postgres.hostname or "127.0.0.1", postgres.port or 5432))
    proxy.start()
    stack = Stack(
        state_dir=state_dir,
        port=nginx_port,
        app_ports=[port_a, port_b],
        database_url=_through_proxy(database_url, proxy_port),
        cache_url=cache_url,
        # The benchmark's own key: the sessions it made in-process are valid on the instances.
        secret_key=secret,
        extra_env={
            "DJANGO_SETTINGS_MODULE": "bench.settings",
            "BENCH_STATIC_ROOT": str(state_dir / "public" / "static"),
            "LOG_LEVEL": "WARNING",
        },
    )
    try:
        stack.prepare()
        stack.start()
    except BaseException:
        proxy.stop()
        raise
    return stack, proxy


def _static_twin(stack: Stack, number: int, body: bytes) -> str:
    folder = stack.static_root / "bench-edge"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"page-{number}.bin").write_bytes(body)
    return f"/static/bench-edge/page-{number}.bin"


def measure_pages(stack: Stack, seconds: float) -> EdgeResults:
    base = f"http://127.0.0.1:{stack.port}"
    reference_at = f"http://127.0.0.1:{stack.app_ports[0]}{REFERENCE_PATH}"
    _fetch(reference_at)
    results = EdgeResults(
        reference=drive(reference_at, connections=CONNECTIONS, seconds=seconds, headers={})
    )
    for number, (name, path) in enumerate(EDGE_PAGES):
        body = _warm(base, path)
        twin = _static_twin(stack, number, body)
        through = drive(base + path, connections=CONNECTIONS, seconds=seconds, headers={})
        static = drive(base + twin, connections=CONNECTIONS, seconds=seconds, headers={})
        cache_status = _fetch(base + path)[1]
        results.pages.append(EdgePage(name, path, len(body), through, static, cache_status))
        print(
            f"  edge: {name:<28} {through.per_second:9.1f} req/s through nginx, "
            f"{static.per_second:9.1f} req/s its static twin",
            flush=True,
        )
    return results


def measure_change(stack: Stack, admin_cookie: str) -> float | None:
    """Seconds from the admin's save (posted through nginx) to the new title on the public page
    through nginx; None when it did not show within CHANGE_WAIT_SECONDS."""
    base = f"http://127.0.0.1:{stack.port}"
    _warm(base, PROGRAMME)
    name, value = admin_cookie.split("=", 1)
    editor = Visitor(stack.port, cookies={name: value})
    listing = editor.get(f"/admin/funding/source/?q={CHANGED_SOURCE_SEARCH}")
    change = re.search(r'href="(/admin/funding/source/\d+/change/)', listing.text).group(1)
    title = f"Changed for the benchmark {uuid4().hex[:8]}"
    saved_at = time.monotonic()
    answer = editor.submit(change, {"title": title})
    if answer.status != 302:
        raise RuntimeError(f"the admin refused the change ({answer.status})")
    while time.monotonic() - saved_at < CHANGE_WAIT_SECONDS:
        if title in _fetch(base + PROGRAMME)[2].decode():
            return time.monotonic() - saved_at
        time.sleep(0.1)
    return None


def measure_signed_in(stack: Stack, results: EdgeResults, staff_cookie: str, seconds: float):
    """A signed-in person at the kept programme page: never the cache's copy."""
    base = f"http://127.0.0.1:{stack.port}"
    public_copy = _warm(base, PROGRAMME)
    name, value = staff_cookie.split("=", 1)
    staff = Visitor(stack.port, cookies={name: value})
    for _ in range(20):
        answer = staff.get(PROGRAMME)
        results.signed_in_requests += 1
        from_cache = answer.header("X-Cache-Status") != "BYPASS"
        if from_cache or answer.text.encode() == public_copy or "bench-staff" not in answer.text:
            results.signed_in_from_cache += 1
    results.signed_in_load = drive(
        base + PROGRAMME,
        connections=CONNECTIONS,
        seconds=seconds,
        headers={"Cookie": staff_cookie},
    )
    results.anonymous_saw_signed_in = "bench-staff" in _fetch(base + PROGRAMME)[2].decode()


def measure_outage(stack: Stack, proxy, results: EdgeResults) -> None:
    """The database cut and the app's own cache retired: only nginx's copies can answer."""
    from funding.cache import bump_generation

    base = f"http://127.0.0.1:{stack.port}"
    for _name, path in EDGE_PAGES:
        _warm(base, path)
    proxy.cut()
    try:
        bump_generation()
        time.sleep(6)  # PUBLIC_MAX_AGE (5 s): every copy has expired
        results.outage_load = drive(
            base + PROGRAMME, connections=CONNECTIONS, seconds=OUTAGE_SECONDS, headers={}
        )
        for name, path in EDGE_PAGES:
            try:
                status, cache_status, _ = _fetch(base + path)
            except urllib.error.HTTPError as error:
                status, cache_status = error.code, error.headers.get("X-Cache-Status", "")
            results.outage_statuses[name] = (status, cache_status)
    finally:
        proxy.restore()


def run(*, state_dir: Path, ports: list[int], database_url, cache_url, secret, cookies, seconds):
    """Every edge measure, the stack stopped at the end also when one fails."""
    stack, proxy = start_stack(state_dir, ports, database_url, cache_url, secret)
    try:
        print("Driving the edge…", flush=True)
        results = measure_pages(stack, seconds)
        results.change_seconds = measure_change(stack, cookies["admin"]["Cookie"])
        measure_signed_in(stack, results, cookies["staff"]["Cookie"], seconds)
        measure_outage(stack, proxy, results)
        return results
    finally:
        stack.stop()
        proxy.stop()
