"""Template context that the site's navigation needs on every page: the dashboards link and the
language links."""

from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language

from funding.language_addresses import DEFAULT_LANGUAGE, addresses_of, with_query
from funding.permissions import may_view_dashboards


def dashboard_access(request):
    """`may_view_dashboards`: asked only when a template uses it, and at most once a request."""
    user = getattr(request, "user", None)
    return {
        "may_view_dashboards": SimpleLazyObject(
            lambda: user is not None and may_view_dashboards(user)
        )
    }


LANGUAGE_NAMES = {"nl": "Nederlands", "en": "English"}


def language_links(request):
    """The same page in each language, for the language links and the hreflang alternates.

    `language_links`: (code, name in that language, address with this query, current?) for each
    language; empty on a language-neutral address. `language_alternates`: (hreflang, absolute
    address) for each language and `x-default` (the Dutch address, which has no prefix); only on
    addresses a pattern answers.
    """
    match = getattr(request, "resolver_match", None)

    def addresses():
        return addresses_of(request.path_info, match) or {}

    def links():
        query, current = request.META.get("QUERY_STRING", ""), get_language()
        return [
            (code, LANGUAGE_NAMES.get(code, code), with_query(path, query), code == current)
            for code, path in addresses().items()
        ]

    def alternates():
        if match is None:
            return []
        query = request.META.get("QUERY_STRING", "")
        found = {
            code: request.build_absolute_uri(with_query(path, query))
            for code, path in addresses().items()
        }
        if not found:
            return []
        return [*found.items(), ("x-default", found[DEFAULT_LANGUAGE])]

    return {
        "language_links": SimpleLazyObject(links),
        "language_alternates": SimpleLazyObject(alternates),
    }
