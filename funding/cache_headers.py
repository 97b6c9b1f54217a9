"""Which answers a shared cache may keep: the `Cache-Control` (and `Vary`) of every answer.

`funding/cache.py` decides what the app keeps for itself; this module decides what nginx, a CDN
or a ministry's proxy may keep. One middleware (`CacheHeadersMiddleware`, near the outside of the
stack) gives every answer one of two headers, from what the request and the answer are:

- **public** (`public, max-age=…, stale-while-revalidate=…, stale-if-error=…`, from settings):
  an anonymous GET or HEAD of a public address (`PUBLIC_ADDRESSES`: home, programme pages with
  their change log, feed, badge, embed and chart numbers, the accessibility statement, the open
  data), that carries no session cookie, no Authorization header and no language cookie that
  decided its language, and whose answer sets no cookie, used no CSRF token and holds no message,
  with a status a cache may keep (`SHAREABLE_STATUSES`: a 404 too, so that a flood of requests for
  a programme that does not exist reaches nginx, not the database). Its ETag and Last-Modified
  stay; `Vary: Cookie` goes (such an answer is the same whatever cookie is sent: a request with a
  session cookie is never answered publicly, and nginx never serves one from its cache), and so
  does `Vary: Accept-Language` when the language came from the address or the answer has none.
- **private** (`private, no-store`): everything else. Signed-in answers, forms, /admin/,
  /dashboard/, /accounts/, /healthz, /metrics, the 5xx answers and any other error.

Static files are WhiteNoise's (or nginx's) and keep their own long-lived headers.
See docs/architecture.md ("Caching") and docs/deploy.md ("The edge cache").
"""

import re

from django.conf import settings
from django.urls import URLResolver, get_resolver
from django.urls.exceptions import Resolver404
from django.urls.resolvers import LocalePrefixPattern

from funding.cache import settled_day

PRIVATE = "private, no-store"
SAFE_METHODS = frozenset({"GET", "HEAD"})
# What RFC 9111 lets a cache keep without being told (plus 304, which refreshes a kept copy).
SHAREABLE_STATUSES = frozenset({200, 203, 204, 300, 301, 304, 308, 404, 410})
# The public addresses, without a language prefix: the home page, everything under a programme
# (page, change log, feed, badge, embed, chart CSVs), the accessibility statement, the open data.
PUBLIC_ADDRESSES = re.compile(r"^/(?:$|programmes/[^/]+/|toegankelijkheid/$|api/)")
# The open data is the same in every language (docs/api.md): it never varies by Accept-Language.
LANGUAGE_NEUTRAL = re.compile(r"^/api/")


def without_language_prefix(path: str) -> str:
    """The address with a leading `/en` (any language of the site but the default) taken off."""
    for code, _name in settings.LANGUAGES:
        prefix = f"/{code}"
        if code != settings.LANGUAGE_CODE and (path == prefix or path.startswith(prefix + "/")):
            return path[len(prefix) :] or "/"
    return path


def is_public_address(path: str) -> bool:
    """Whether the address (with or without a language prefix) is one a shared cache may keep."""
    if path.startswith("/" + settings.STATIC_URL.strip("/") + "/"):
        return False
    return PUBLIC_ADDRESSES.match(without_language_prefix(path)) is not None


def public_cache_control(*, settled: bool = False) -> str:
    """The header of a public answer, from settings (docs/deploy.md says how they were chosen).
    A `settled` answer, a page as it stood on a day that is over (`funding.cache.mark_settled`),
    changes only when history is corrected, so it may be kept longer."""
    max_age = settings.PUBLIC_SETTLED_MAX_AGE if settled else settings.PUBLIC_MAX_AGE
    return (
        f"public, max-age={max_age}, "
        f"stale-while-revalidate={settings.PUBLIC_STALE_WHILE_REVALIDATE}, "
        f"stale-if-error={settings.PUBLIC_STALE_IF_ERROR}"
    )


def carries_identity(request) -> bool:
    """The request names someone (a session cookie, credentials): never answered publicly."""
    return (
        settings.SESSION_COOKIE_NAME in request.COOKIES
        or "Authorization" in request.headers
        or _request_signed_in(request)
    )


def _request_signed_in(request) -> bool:
    # Without a session cookie the user is anonymous and this costs no query.
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated)


def language_from_address(request) -> bool:
    """Whether the language of the answer came from its address (`i18n_patterns`), not from the
    Accept-Language header or a cookie."""
    urlconf = getattr(request, "urlconf", None) or settings.ROOT_URLCONF
    for entry in get_resolver(urlconf).url_patterns:
        if isinstance(entry, URLResolver) and isinstance(entry.pattern, LocalePrefixPattern):
            try:
                # Below the root, addresses are matched without their leading slash.
                entry.resolve(request.path_info.removeprefix("/"))
            except Resolver404:
                continue
            return True
    return False


def _holds_something_personal(request, response) -> bool:
    """A cookie set, a CSRF token used, or a message waiting or shown."""
    if response.cookies or request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        return True
    messages = getattr(request, "_messages", None)
    return messages is not None and len(messages) > 0


def _language_from_cookie(request, path: str) -> bool:
    if LANGUAGE_NEUTRAL.match(path) or language_from_address(request):
        return False
    return settings.LANGUAGE_COOKIE_NAME in request.COOKIES


def may_be_shared(request, response) -> bool:
    """The one rule: whether this answer may be kept by a shared cache and given to anyone."""
    path = request.path_info
    return (
        request.method in SAFE_METHODS
        and response.status_code in SHAREABLE_STATUSES
        and is_public_address(path)
        and not carries_identity(request)
        and not _language_from_cookie(request, without_language_prefix(path))
        and not _holds_something_personal(request, response)
    )


def _drop_vary(response, *names: str) -> None:
    dropped = {name.lower() for name in names}
    kept = [
        value.strip()
        for value in response.get("Vary", "").split(",")
        if value.strip() and value.strip().lower() not in dropped
    ]
    if kept:
        response["Vary"] = ", ".join(kept)
    elif response.has_header("Vary"):
        del response["Vary"]


def share_publicly(request, response) -> None:
    """Mark the answer public, keeping its validators; drop what it does not vary by."""
    response["Cache-Control"] = public_cache_control(settled=settled_day(response) is not None)
    if response.has_header("Expires"):
        del response["Expires"]
    path = without_language_prefix(request.path_info)
    if LANGUAGE_NEUTRAL.match(path) or language_from_address(request):
        _drop_vary(response, "Cookie", "Accept-Language")
    else:
        _drop_vary(response, "Cookie")


def keep_private(response) -> None:
    response["Cache-Control"] = PRIVATE
    if response.has_header("Expires"):
        del response["Expires"]


class CacheHeadersMiddleware:
    """Gives every answer its caching decision (`may_be_shared`), static files excepted."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.path_info.startswith("/" + settings.STATIC_URL.strip("/") + "/"):
            return response  # WhiteNoise's own headers: long-lived, public
        if may_be_shared(request, response):
            share_publicly(request, response)
        else:
            keep_private(response)
        return response
