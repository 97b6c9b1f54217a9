"""Whole public pages for anonymous visitors: rendered once per change, answered with 304 after.

A public page differs between anonymous visitors in one thing only: the CSRF token in the
language form. So the page is rendered once per cache generation, language, day and address
with a marker where the token goes, and each request puts its own token in. Signed-in visitors
(whose header names them) get the page rendered for them, from cached fragments.

The ETag is therefore not a hash of the bytes but of what decides them: the generation (replaced
by any change to a funding record), the language, the address with its query, the day (a
milestone becomes overdue) and the visitor's CSRF secret. See docs/decisions.md.
"""

import hashlib
from datetime import datetime
from functools import wraps
from typing import NamedTuple

from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.crypto import salted_hmac
from django.utils.http import http_date
from django.utils.translation import get_language

from funding.cache import cached, generation, query_key
from funding.opendata import last_changed

# Stands where the CSRF token goes in a cached page; derived from SECRET_KEY, so no visitor can
# type it into a search and have it replaced.
CSRF_MARKER = "csrf-" + salted_hmac("funding.page_cache", "csrf token marker").hexdigest()


def page_etag(request) -> str | None:
    """The page's ETag for this anonymous visitor; None until they hold a CSRF secret."""
    secret = request.META.get("CSRF_COOKIE")
    if not secret:
        return None
    parts = [
        generation(),
        get_language() or "",
        request.get_host(),
        request.get_full_path(),
        timezone.localdate().isoformat(),
        secret,
    ]
    digest = hashlib.sha256("\n".join(parts).encode()).hexdigest()[:32]
    return f'"{digest}"'


class CachedPage(NamedTuple):
    """A rendered page and the newest change it shows: one cache read serves both."""

    html: str
    last_modified: datetime | None


def with_validators(response, etag: str, changed: datetime | None):
    response["ETag"] = etag
    if changed:
        response["Last-Modified"] = http_date(changed.timestamp())
    # The page holds the visitor's CSRF token: no shared cache may keep it, and the browser
    # asks (cheaply, with the ETag) before showing its copy again.
    patch_cache_control(response, private=True, no_cache=True)
    return response


def public_page(view):
    """Serve a view that returns a TemplateResponse from the page cache to anonymous visitors.

    A matching If-None-Match gets 304. If-Modified-Since alone gets the whole page: a date
    cannot tell that the visitor's CSRF token changed since.
    """

    @wraps(view)
    def serve(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD") or request.user.is_authenticated:
            return view(request, *args, **kwargs)
        etag = page_etag(request)
        if etag and "If-None-Match" in request.headers:
            not_modified = get_conditional_response(request, etag=etag)
            if not_modified is not None:
                return with_validators(not_modified, etag, cached(("last_changed",), last_changed))

        def render_page():
            response = view(request, *args, **kwargs)
            response.context_data["csrf_token"] = CSRF_MARKER
            html = response.render().content.decode()
            return CachedPage(html, cached(("last_changed",), last_changed))

        # The host too: a page may hold absolute addresses (the embed snippets).
        path = query_key(request.get_host(), request.get_full_path())
        # Named for what it holds (a CachedPage): entries of an older format are never read back.
        key = ("page+changed", timezone.localdate().isoformat(), path)
        # Raises Http404 (and caches nothing) for what is not a public page.
        page = cached(key, render_page)
        response = HttpResponse(page.html.replace(CSRF_MARKER, get_token(request)))
        # get_token gave a first-time visitor a CSRF secret: their page has an ETag already.
        return with_validators(response, page_etag(request), page.last_modified)

    return serve
