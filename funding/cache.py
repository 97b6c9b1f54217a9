"""The public pages' cache: data built once per change, shared by every app process.

Every entry's key holds a *generation*, a token that `bump_generation()` replaces whenever a
funding record is saved or deleted (see `funding.signals`). Old entries are then never read again
and expire on their own, so no process needs to know which keys another one wrote. With Redis as
the cache all processes see the new generation at once; with the per-process memory cache each
entry also expires after `PUBLIC_CACHE_SECONDS`.
"""

import hashlib
from collections.abc import Callable
from contextvars import ContextVar
from typing import TypeVar
from uuid import uuid4

from django.conf import settings
from django.core.cache import cache
from django.core.signals import request_started
from django.db import transaction
from django.dispatch import receiver
from django.utils.translation import get_language

from aifabriek.ops import metrics

GENERATION_KEY = "funding:public:generation"
T = TypeVar("T")
# The token as this request read it: a page needs it for its ETag and for each entry it reads,
# and one cache round trip is enough. Forgotten when the next request starts.
_request_generation: ContextVar[str | None] = ContextVar("public_generation", default=None)


def generation() -> str:
    """The current generation token, created on first use (or after the cache lost it)."""
    token = _request_generation.get()
    if token is not None:
        return token
    token = cache.get(GENERATION_KEY)
    if token is None:
        cache.add(GENERATION_KEY, uuid4().hex, timeout=None)
        token = cache.get(GENERATION_KEY) or "none"
    _request_generation.set(token)
    return token


@receiver(request_started)
def forget_generation(**kwargs) -> None:
    _request_generation.set(None)


def _replace_generation() -> None:
    token = uuid4().hex
    cache.set(GENERATION_KEY, token, timeout=None)
    _request_generation.set(token)


def bump_generation() -> None:
    """Retire every cached public entry, now and again when the current transaction commits.

    The second bump drops what another request may have cached from the old rows between the
    change and its commit.
    """
    _replace_generation()
    transaction.on_commit(_replace_generation)


# Cache backends refuse or warn about longer keys (memcached's limit is 250 characters).
MAX_KEY_LENGTH = 200


def public_key(*parts) -> str:
    """A cache key for public data: the generation, the active language and the given parts.

    Parts come from the address (a slug of any length): a key that would be too long carries a
    hash of its parts instead.
    """
    head = ["funding:public", generation(), get_language() or "nl"]
    key = ":".join([*head, *map(str, parts)])
    if len(key) > MAX_KEY_LENGTH:
        key = ":".join([*head, "sha256", hashlib.sha256(key.encode()).hexdigest()])
    return key


def query_key(*values) -> str:
    """A short, key-safe stand-in for values a visitor typed (searches may hold spaces)."""
    return hashlib.sha256(repr(values).encode()).hexdigest()[:24]


def cached(key_parts: tuple, build: Callable[[], T]) -> T:
    """The cached value for these key parts, built and stored when missing.

    `build` may raise (Http404 for an unknown slug); nothing is stored then.
    """
    key = public_key(*key_parts)
    value = cache.get(key)
    metrics.PUBLIC_CACHE.labels("miss" if value is None else "hit").inc()
    if value is None:
        value = build()
        cache.set(key, value, timeout=settings.PUBLIC_CACHE_SECONDS)
    return value
