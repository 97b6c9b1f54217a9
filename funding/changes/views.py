"""The public change log of a programme: anyone may read it; it lists public records only.

Served like the other public pages (funding/page_cache.py): rendered once per change, language
and address, from a cached fragment. `?entry=<anchor>` is where the Atom feed's entries link: it
sends the reader to the page of the log that holds that entry now, so an old link in a feed
reader still finds its entry after newer changes have moved it to a later page.
"""

from django.http import HttpResponseRedirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_safe

from funding.cache import cached, query_key
from funding.changes.changelog import change_log, page_of_entry
from funding.changes.index import entry_of_anchor
from funding.languages import in_language
from funding.page_cache import public_page
from funding.paging import page_number


@require_safe
def programme_changes(request, slug):
    if "entry" in request.GET:
        return _to_entry(request, slug, request.GET["entry"])
    return _changes_page(request, slug)


@public_page
def _changes_page(request, slug):
    # Not a page number: the first page, as Django's paginator shows the site's other lists.
    page = page_number(request.GET.get("page")) or 1

    def build():
        log = change_log(slug, page=page)
        html = render_to_string("funding/_partials/change_log.html", {"log": log})
        # Plain text for the page's <title>, in the page's language where an English name exists.
        return {"name": str(in_language(log.programme, "name")), "slug": slug, "html": html}

    # Raises Http404 (and caches nothing) for a slug that is not a public programme.
    rendered = cached(("changes", slug, page), build)
    return TemplateResponse(request, "funding/changes.html", {"rendered": rendered})


def _to_entry(request, slug, anchor: str):
    """Redirect to the page holding the entry, at the entry; to the first page when it is not
    listed (a change to a field the log does not show) or the anchor names nothing."""
    page = cached(("changes-entry", slug, query_key(anchor)), lambda: page_of_entry(slug, anchor))
    url = reverse("funding:changes", args=[slug])
    if page is None or entry_of_anchor(anchor) is None:
        return HttpResponseRedirect(url)
    return HttpResponseRedirect(f"{url}?page={page}#{anchor}" if page > 1 else f"{url}#{anchor}")
