"""The one cache: its keys, the rendered document it holds, and the hit/miss metric.

Every entry's key holds a *generation*, a token that `bump_generation()` replaces whenever a
funding record is saved or deleted (see `funding.signals`). Old entries are then never read again
and expire on their own, so no process needs to know which keys another one wrote. With Redis as
the cache all processes see the new generation at once; with the per-process memory cache each
entry also expires after `PUBLIC_CACHE_SECONDS`.

Public pages, the API, the feed, the embeds, the dashboards and the admin's totals all read
through `cached()`; what a value depends on besides the generation (the language, the day, the
address) its caller says with keyword options. See docs/architecture.md, "Caching".
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
