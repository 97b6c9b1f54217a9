"""Prometheus metrics: requests, latency, database outages and the public cache.

With several gunicorn workers, set PROMETHEUS_MULTIPROC_DIR to an empty directory that every
worker can write (prometheus_client's multiprocess mode): each worker then writes its numbers
there and `/metrics` adds them up, so any worker's answer covers them all. Without it, the numbers
are those of the process that answers. Only counters and histograms are used, which add up across
processes without help from gunicorn's hooks.
"""

import os

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)

REQUESTS = Counter(
    "aifabriek_requests",
    "HTTP requests answered, by view, method and status code.",
    ["view", "method", "status"],
)
LATENCY = Histogram(
    "aifabriek_request_duration_seconds",
    "Time from the request reaching the app to its answer, by view.",
    ["view"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
DATABASE_ERRORS = Counter(
    "aifabriek_database_unavailable",
    "Requests answered 503 because the database could not be reached.",
)
DATABASE_OUTAGES = Counter(
    "aifabriek_database_outages",
    "Database outages seen (a span of failures, started once however many requests fail).",
)
PUBLIC_CACHE = Counter(
    "aifabriek_public_cache",
    "Lookups of cached pages and data (funding/cache.py), by result (hit or miss).",
    ["result"],
)


def exposition() -> tuple[bytes, str]:
    """The metrics in Prometheus' text format: every worker's when in multiprocess mode."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    else:
        registry = REGISTRY
    return generate_latest(registry), CONTENT_TYPE_LATEST
