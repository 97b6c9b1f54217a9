"""The two caching headers an answer may carry (funding/cache_headers.py), with the default
settings the tests run with."""

SHARED = "public, max-age=5, stale-while-revalidate=5, stale-if-error=86400"
PRIVATE = "private, no-store"
