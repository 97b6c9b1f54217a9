"""Whole public pages for anonymous visitors: rendered once per change, answered with 304 after.

A public page is the same for every anonymous visitor: the language is chosen with links
(funding/public/language.py), so the page holds no CSRF token and sets no cookie. It is rendered
once per cache generation, language, day and address and sent as it is. Signed-in visitors
(whose header names them) get the page rendered for them, from cached fragments.

The ETag is not a hash of the bytes but of what decides them: the generation (replaced by any
change to a funding record), the language, the address with its query, and the day (a
milestone becomes overdue). See docs/decisions.md.
"""

from datetime import datetime
from functools import wraps

from django.utils import timezone
from django.utils.cache import get_conditional_response
from django.utils.http import http_date
from django.utils.translation import get_language

from funding.cache import Rendered, cached, etag_of, generation
from funding.history import last_changed


class PageUsedCsrfToken(RuntimeError):
    """A public page asked for a CSRF token: cached, one visitor's token would reach everyone."""


def page_etag(request) -> str:
    """The page's ETag: the same for every anonymous visitor of this address and language."""
    parts = [
        generation(),
        get_language() or "",
        request.get_host(),
        request.get_full_path(),
        timezone.localdate().isoformat(),
    ]
    return etag_of("\n".join(parts).encode())


def with_validators(response, etag: str, changed: datetime | None):
    response["ETag"] = etag
    if changed:
        response["Last-Modified"] = http_date(changed.timestamp())
    # Who may keep it, and for how long, is funding/cache_headers.py's to say.
    return response


def public_page(view):
    """Serve a view that returns a TemplateResponse from the page cache to anonymous visitors.

    A matching If-None-Match gets 304. If-Modified-Since alone gets the whole page: the date of
    the last change cannot tell that a milestone has become overdue since.
    """

    @wraps(view)
    def serve(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD") or request.user.is_authenticated:
            return view(request, *args, **kwargs)
        etag = page_etag(request)
        if "If-None-Match" in request.headers:
            not_modified = get_conditional_response(request, etag=etag)
            if not_modified is not None:
                return with_validators(not_modified, etag, cached(("last_changed",), last_changed))

        def render_page():
            response = view(request, *args, **kwargs).render()
            if request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
                raise PageUsedCsrfToken(request.path)
            changed = cached(("last_changed",), last_changed)
            return Rendered(response.content, response["Content-Type"], etag, changed)

        # Raises Http404 (and caches nothing) for what is not a public page. The host too: a
        # page may hold absolute addresses (the embed snippets).
        page = cached(
            ("page",),
            render_page,
            day=timezone.localdate(),
            address=request.get_host() + request.get_full_path(),
        )
        return with_validators(page.response(), page.etag, page.last_modified)

    return serve
