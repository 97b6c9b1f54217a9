"""The language is in the address: Dutch at the address without a prefix, English under /en/.

Every page a person reads exists once per language (aifabriek/urls.py serves the pages' map
under `i18n_patterns` with the default language unprefixed); the open data, /healthz, /metrics
and the sign-on callback are language-neutral. Nothing else chooses the language of a page: not
the browser's Accept-Language, not a cookie. So one address is one page for every visitor (a
shared cache may keep it), and an English address opens in English for whoever it is sent to.

The admin is the exception: it is not a public page, has one address per screen, and follows the
preference of the person using it (the language cookie, then the browser's languages), as it
did before (docs/decisions.md).

This module answers the two questions the rest asks: which language an address is in
(`LanguageFromAddressMiddleware`), and what the same page's address is in each language (the
language links and the hreflang alternates, `funding/context_processors.py`; the old
`/language/<code>/` links and `?lang=` embeds, funding/public/language.py).
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.urls import NoReverseMatch, Resolver404, resolve, reverse
from django.utils import translation
from django.utils.cache import patch_vary_headers

DEFAULT_LANGUAGE = settings.LANGUAGE_CODE
# The admin keeps one address per screen and its user's language preference.
PREFERENCE_PREFIX = "/admin/"


# The languages that have a prefix: every one but the default.
PREFIXED = {code for code, _name in settings.LANGUAGES} - {DEFAULT_LANGUAGE}


def _split(path: str) -> tuple[str, str]:
    """The language of an address and the address without its prefix:
    `/en/programmes/x/` → ("en", "/programmes/x/"); `/programmes/x/` → ("nl", same)."""
    segment, slash, rest = path[1:].partition("/")
    if segment in PREFIXED:
        return segment, slash + rest or "/"
    return DEFAULT_LANGUAGE, path


def language_of(path: str) -> str:
    """The language an address is in: its prefix (`/en/…`), otherwise Dutch."""
    return _split(path)[0]


def without_prefix(path: str) -> str:
    """The address as the Dutch page has it: `/en/dashboard/` → `/dashboard/`."""
    return _split(path)[1]


def _prefixed(bare: str, language: str) -> str:
    return bare if language == DEFAULT_LANGUAGE else f"/{language}{bare}"


def _match(path: str):
    with translation.override(language_of(path)):
        try:
            return resolve(path)
        except Resolver404:
            return None


def addresses_of(path: str, match=None) -> dict[str, str] | None:
    """The same page's path in each language, or None for a language-neutral address.

    `match` is the path's ResolverMatch when the caller has it (a request's). An address no
    pattern answers (a 404 page) is taken to be a page: under /en/ it is the English 404.
    """
    match = match if match is not None else _match(path)
    if match is None:
        bare = _split(path)[1]
        return {code: _prefixed(bare, code) for code, _name in settings.LANGUAGES}
    found = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            try:
                found[code] = reverse(match.view_name, args=match.args, kwargs=match.kwargs)
            except NoReverseMatch:
                return None
    return found if len(set(found.values())) > 1 else None


def with_query(path: str, query: str) -> str:
    return f"{path}?{query}" if query else path


def address_in(url: str, language: str) -> str | None:
    """A same-site address (path and query) translated to `language`; None when the address is
    language-neutral. The query string is kept."""
    parts = urlsplit(url)
    found = addresses_of(parts.path or "/")
    return with_query(found[language], parts.query) if found else None


class LanguageFromAddressMiddleware:
    """Activates the language of the address (in place of Django's LocaleMiddleware, which falls
    back to the cookie and Accept-Language on an address without a prefix).

    Only the admin's answers vary by the visitor's languages (Vary: Accept-Language); every
    other answer is the same for everyone at its address and says its language in
    Content-Language.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        by_preference = request.path_info.startswith(PREFERENCE_PREFIX)
        if by_preference:
            language = translation.get_language_from_request(request)
        else:
            language = language_of(request.path_info)
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        if by_preference:
            patch_vary_headers(response, ("Accept-Language",))
        response.headers.setdefault("Content-Language", request.LANGUAGE_CODE)
        return response
