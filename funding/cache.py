"""The one cache: its keys, the rendered document it holds, and the hit/miss metric.

Every entry's key holds a *generation*, a token that `bump_generation()` replaces whenever a
funding record is saved or deleted (see `funding.signals`). Old entries are then never read again
and expire on their own, so no process needs to know which keys another one wrote. With Redis as
the cache all processes see the new generation at once; with the per-process memory cache each
entry also expires after `PUBLIC_CACHE_SECONDS`.

Public pages, the API, the feed, the embeds, the dashboards and the admin's totals all read
through `cached()`; what a value depends on besides the generation (the language, the day, the
address) its caller says with keyword options. What others (nginx, a CDN, a browser) may keep of
an answer, and for how long, its sibling `funding/cache_headers.py` decides. See
docs/architecture.md, "Caching".
"""

import hashlib
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date, datetime
from typing import TypeVar
from uuid import uuid4

from django.conf import settings
from django.core.cache import cache
from django.core.signals import request_started
from django.db import transaction
from django.dispatch import receiver
from django.http import HttpResponse
from django.utils.translation import get_language

from aifabriek.ops import metrics

GENERATION_KEY = "funding:public:generation"
# Raised whenever what the entries hold changes shape, so that entries written by the code
# before a deploy (same generation) are never read back as the new shape.
KEY_FORMAT = "v2"
# Cache backends refuse or warn about longer keys (memcached's limit is 250 characters).
MAX_KEY_LENGTH = 200
HTML_TYPE = "text/html; charset=utf-8"
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
    """Retire every cached entry, now and again when the current transaction commits.

    The second bump drops what another request may have cached from the old rows between the
    change and its commit.
    """
    _replace_generation()
    transaction.on_commit(_replace_generation)


def query_key(*values) -> str:
    """A short, key-safe stand-in for values a visitor typed (searches may hold spaces)."""
    return hashlib.sha256(repr(values).encode()).hexdigest()[:24]


def cache_key(
    *parts,
    scope: str = "public",
    language: bool = True,
    day: date | None = None,
    address: str | None = None,
) -> str:
    """The key of a cached value: the scope, the generation, then what else the value varies by.

    `language`: the active language; `day`: a day the value holds for (a milestone becomes
    overdue); `address`: the part of the request's address the value depends on, hashed. Each
    has its place in the key, "-" where the value does not vary by it. `parts` name the value;
    they may come from the address (a slug of any length): a key that would be too long carries
    a hash of its parts instead.
    """
    head = [
        "funding",
        KEY_FORMAT,
        scope,
        generation(),
        (get_language() or "nl") if language else "-",
        day.isoformat() if day else "-",
        query_key(address) if address is not None else "-",
    ]
    key = ":".join([*head, *map(str, parts)])
    if len(key) > MAX_KEY_LENGTH:
        key = ":".join([*head, "sha256", hashlib.sha256(key.encode()).hexdigest()])
    return key


def cached(parts: tuple, build: Callable[[], T], **key_options) -> T:
    """The cached value for this key (`cache_key`'s parts and options), built and stored when
    missing; every read counts as a hit or a miss.

    `build` may raise (Http404 for an unknown slug); nothing is stored then.
    """
    key = cache_key(*parts, **key_options)
    value = cache.get(key)
    metrics.PUBLIC_CACHE.labels("miss" if value is None else "hit").inc()
    if value is None:
        value = build()
        cache.set(key, value, timeout=settings.PUBLIC_CACHE_SECONDS)
    return value


# A page of a day that is over (`/programmes/<slug>/?on=<a past day>`, and its JSON) never
# changes: the history it is rebuilt from only grows after that day. The view marks its answer
# with the day; what decides how long a copy may be kept (the Cache-Control of shared caches)
# reads it with `settled_day`. Only a correction of the history itself (docs/decisions.md,
# "Pages as they stood") would change such a page.
SETTLED_ATTRIBUTE = "settled_day"


def mark_settled(response: HttpResponse, day: date) -> HttpResponse:
    """Mark the answer as the page of `day`, a day that is over: it will not change."""
    setattr(response, SETTLED_ATTRIBUTE, day)
    return response


def settled_day(response: HttpResponse) -> date | None:
    """The past day the answer stands for, when it is one that will not change; else None."""
    return getattr(response, SETTLED_ATTRIBUTE, None)


def etag_of(data: bytes) -> str:
    """A strong ETag (quoted) that changes when these bytes do."""
    return f'"{hashlib.sha256(data).hexdigest()[:32]}"'


@dataclass(frozen=True)
class Rendered:
    """A rendered document as it is sent: its bytes, their type and its validators.

    Public pages, API documents, the feed, the embeds and the dashboards' bodies are cached as
    one of these, so a conditional request needs no rendering.
    """

    body: bytes
    content_type: str
    etag: str
    last_modified: datetime | None = None

    @classmethod
    def of(
        cls, body: bytes | str, content_type: str, *, last_modified: datetime | None = None
    ) -> "Rendered":
        """The document with an ETag from its bytes."""
        body = body.encode() if isinstance(body, str) else body
        return cls(body, content_type, etag_of(body), last_modified)

    @property
    def text(self) -> str:
        return self.body.decode()

    def response(self) -> HttpResponse:
        """The document as an answer; the validators are set by the view's conditional handling."""
        return HttpResponse(self.body, content_type=self.content_type)


# Signed-in users. What a signed-in request needs to know of its user (the row, the groups and
# team roles, the second-factor devices; accounts/signed_in.py) is kept with the token of a
# generation of that user's own, which `retire_signed_in` replaces whenever any of it changes.
# An entry holds the token read *before* its rows were, so one read from rows that a change then
# replaced never matches the new token, whenever it is written.
SIGNED_IN_SCOPE = "signed-in"


def _signed_in_generation_key(user_id) -> str:
    return f"funding:{SIGNED_IN_SCOPE}:generation:{user_id}"


def signed_in_entry(user_id, variant: str, load: Callable[[], T | None]) -> T | None:
    """What `load()` returns for this user, from the cache when it holds it; None is not kept.

    `variant` names what else the entry depends on (the sign-in backend). For at most
    `SIGNED_IN_CACHE_SECONDS`, in case a change reached the database without a signal. One
    round trip when warm, which also reads the public generation the request will need.
    """
    generation_key = _signed_in_generation_key(user_id)
    entry_key = f"funding:{KEY_FORMAT}:{SIGNED_IN_SCOPE}:{user_id}:{query_key(variant)}"
    found = cache.get_many([generation_key, entry_key, GENERATION_KEY])
    if GENERATION_KEY in found and _request_generation.get() is None:
        _request_generation.set(found[GENERATION_KEY])
    token = found.get(generation_key)
    if token is None:
        cache.add(generation_key, uuid4().hex, timeout=None)
        token = cache.get(generation_key)
        if token is None:
            return load()
    held = found.get(entry_key)
    if held is not None and held[0] == token:
        return held[1]
    entry = load()
    if entry is not None:
        cache.set(entry_key, (token, entry), timeout=settings.SIGNED_IN_CACHE_SECONDS)
    return entry


def _replace_signed_in_generation(user_id) -> None:
    cache.set(_signed_in_generation_key(user_id), uuid4().hex, timeout=None)


def retire_signed_in(user_id) -> None:
    """Forget what is cached of this user, now and again when the transaction commits (as
    `bump_generation`: what another request read in between is dropped too)."""
    _replace_signed_in_generation(user_id)
    transaction.on_commit(lambda: _replace_signed_in_generation(user_id))


def forget_everything() -> None:
    """Empty the cache: after a restore nothing in it (sessions included) may outlive the data
    it was read from. Sessions fall back to the restored table. Again at the commit, as
    `bump_generation`, for what another request read from the old rows in between."""
    cache.clear()
    transaction.on_commit(cache.clear)
