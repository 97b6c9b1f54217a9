"""The public pages' cache: data built once per change, shared by every app process.

Every entry's key holds a *generation*, a token that `bump_generation()` replaces whenever a
funding record is saved or deleted (see `funding.signals`). Old entries are then never read again
and expire on their own, so no process needs to know which keys another one wrote. With Redis as
the cache all processes see the new generation at once; with the per-process memory cache each
entry also expires after `PUBLIC_CACHE_SECONDS`.
"""

from collections.abc import Callable
from typing import TypeVar
from uuid import uuid4

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils.translation import get_language

GENERATION_KEY = "funding:public:generation"
T = TypeVar("T")


def generation() -> str:
    """The current generation token, created on first use (or after the cache lost it)."""
    token = cache.get(GENERATION_KEY)
    if token is None:
        cache.add(GENERATION_KEY, uuid4().hex, timeout=None)
        token = cache.get(GENERATION_KEY) or "none"
    return token


def bump_generation() -> None:
    """Retire every cached public entry, now and again when the current transaction commits.

    The second bump drops what another request may have cached from the old rows between the
    change and its commit.
    """
    cache.set(GENERATION_KEY, uuid4().hex, timeout=None)
    transaction.on_commit(lambda: cache.set(GENERATION_KEY, uuid4().hex, timeout=None))


def public_key(*parts) -> str:
    """A cache key for public data: the generation, the active language and the given parts."""
    return ":".join(["funding:public", generation(), get_language() or "nl", *map(str, parts)])


def cached(key_parts: tuple, build: Callable[[], T]) -> T:
    """The cached value for these key parts, built and stored when missing.

    `build` may raise (Http404 for an unknown slug); nothing is stored then.
    """
    key = public_key(*key_parts)
    value = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, timeout=settings.PUBLIC_CACHE_SECONDS)
    return value
