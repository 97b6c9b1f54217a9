"""The edge section of bench/RESULTS.md: the public pages through nginx and the edge's targets."""

from bench.edge import CHANGE_TARGET_SECONDS, CONNECTIONS, EDGE_PAGES, OUTAGE_SECONDS, EdgeResults
from bench.pages import REFERENCE

THROUGH_NGINX_TARGET = 5.0  # × the bare view
STATIC_TARGET = 0.5  # × nginx serving a static file of the same bytes
DIRECT_TARGET = 0.6  # × the bare view, direct to gunicorn


def _verdict(passed: bool) -> str:
    return "pass" if passed else "**miss**"


def section(edge: EdgeResults) -> list[str]:
    reference = edge.reference.per_second or 1.0
    lines = [
        "## The edge: public pages through nginx",
        "",
        "The production stack of `make serve-prod` (deploy/stack.py: nginx with its edge cache in "
        "front of two gunicorn instances, deploy/gunicorn.conf.py: gthread, 2 workers × 4 "
        "threads each) on the same database and Redis, after the pages above, at "
        f"{CONNECTIONS} connections. Each page is warm in nginx's cache (`X-Cache-Status: HIT`). "
        "The bare view is the reference view direct to one instance "
        f"({edge.reference.per_second:.1f} req/s, p95 {edge.reference.p95_ms:.1f} ms); the "
        "static twin is a file holding the page's own bytes, served by the same nginx from "
        "/static/. The last column is the `X-Cache-Status` of one request right after the run: "
        "`STALE` or `UPDATING` when the copy (5 s) expired during the run and was being fetched "
        "again in the background while nginx kept answering from it.",
        "",
        "| page | bytes | req/s through nginx | × bare view | static twin req/s | × static | "
        "p50 ms | p95 ms | errors | X-Cache-Status |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for page in edge.pages:
        through, static = page.through_nginx, page.static_twin
        lines.append(
            f"| {page.name} (`{page.path}`) | {page.bytes:,} | {through.per_second:.1f} | "
            f"{through.per_second / reference:.2f} | {static.per_second:.1f} | "
            f"{through.per_second / (static.per_second or 1.0):.2f} | {through.p50_ms:.2f} | "
            f"{through.p95_ms:.2f} | {through.errors} | {page.cache_status} |"
        )
    signed_in = edge.signed_in_load
    anonymous_after = "the signed-in page" if edge.anonymous_saw_signed_in else "the public page"
    lines += [
        "",
        "- A change saved through the admin's change form (a source's title, posted through "
        "nginx by a funding admin) showed on the public programme page through nginx after "
        + (
            f"**{edge.change_seconds:.1f} s**."
            if edge.change_seconds is not None
            else "**more than a minute** (not seen)."
        ),
        f"- A signed-in person (Policy staff) asked the kept programme page "
        f"{edge.signed_in_requests} times: {edge.signed_in_from_cache} answers came from the "
        "cache (every other was `BYPASS` with the person's own page); then wrk with the session "
        f"cookie: {signed_in.per_second:.1f} req/s, p95 {signed_in.p95_ms:.1f} ms, "
        f"{signed_in.errors} errors. An anonymous request afterwards got {anonymous_after}.",
        f"- The database cut (its TCP proxy closed) and the app's own cache retired: wrk on the "
        f"programme page through nginx for {OUTAGE_SECONDS} s: "
        f"{edge.outage_load.per_second:.1f} req/s, {edge.outage_load.errors} errors; each page "
        "then answered "
        + ", ".join(
            f"{name} {status} {cache_status}"
            for name, (status, cache_status) in edge.outage_statuses.items()
        )
        + ".",
        "",
    ]
    return lines


def target_rows(edge: EdgeResults, direct: dict) -> list[tuple[str, str, str, str]]:
    """The issue's edge targets: (measure, target, measured, pass/miss)."""
    reference = edge.reference.per_second or 1.0
    rows = []
    for page in edge.pages:
        bare = page.through_nginx.per_second / reference
        static = page.through_nginx.per_second / (page.static_twin.per_second or 1.0)
        rows.append(
            (
                f"through nginx: {page.name}",
                f"≥ {THROUGH_NGINX_TARGET:g}× the bare view, ≥ {STATIC_TARGET:g}× a static file",
                f"{bare:.2f}×, {static:.2f}×",
                _verdict(bare >= THROUGH_NGINX_TARGET and static >= STATIC_TARGET),
            )
        )
    direct_reference = direct[REFERENCE].per_second or 1.0
    for name, _path in EDGE_PAGES:
        ratio = direct[name].per_second / direct_reference
        rows.append(
            (
                f"direct to gunicorn: {name}",
                f"≥ {DIRECT_TARGET:g}× the bare view",
                f"{ratio:.3f}×",
                _verdict(ratio >= DIRECT_TARGET),
            )
        )
    change = edge.change_seconds
    rows.append(
        (
            "a saved change visible on the public page through nginx",
            f"≤ {CHANGE_TARGET_SECONDS} s",
            f"{change:.1f} s" if change is not None else "not seen in 60 s",
            _verdict(change is not None and change <= CHANGE_TARGET_SECONDS),
        )
    )
    never = edge.signed_in_from_cache == 0 and not edge.anonymous_saw_signed_in
    rows.append(
        (
            "a signed-in response served from a shared cache",
            "never (tested)",
            f"{edge.signed_in_from_cache} of {edge.signed_in_requests}",
            _verdict(never),
        )
    )
    served = all(status == 200 for status, _ in edge.outage_statuses.values())
    rows.append(
        (
            "database stopped: public pages through nginx",
            f"served (stale), 0 errors in a {OUTAGE_SECONDS} s wrk run",
            f"{edge.outage_load.errors} errors, "
            + ("all served" if served else "**some not served**"),
            _verdict(served and edge.outage_load.errors == 0 and edge.outage_load.requests > 0),
        )
    )
    return rows


def targets(edge: EdgeResults, direct: dict) -> list[str]:
    return [
        f"## Edge targets (at {CONNECTIONS} connections)",
        "",
        "| measure | target | measured | result |",
        "|---|---|---|---|",
        *(f"| {' | '.join(row)} |" for row in target_rows(edge, direct)),
        "",
    ]
