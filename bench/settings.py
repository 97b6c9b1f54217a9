"""The production settings plus the benchmark's reference view: used by `make bench` only.

The reference is `HttpResponse("ok")` behind the same middleware as every page, served by the
same gunicorn workers; each page's throughput is given as a ratio to it. It lives only in the
benchmark's own URLconf (`bench/urls.py`), never in the shipped one.
"""

import os

from aifabriek.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
# collectstatic writes here, outside the project's own STATIC_ROOT.
STATIC_ROOT = os.environ.get("BENCH_STATIC_ROOT", STATIC_ROOT)  # noqa: F405
# The full run and the smoke may share one Redis database: each keeps to its own keys.
CACHES["default"]["KEY_PREFIX"] = os.environ.get("BENCH_CACHE_PREFIX", "bench")  # noqa: F405
