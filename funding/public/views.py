"""Public pages: anyone may see them, and they show public records only. They only read: GET and
HEAD, anything else is 405.

What a page shows of the data is rendered once per change, language and query, and cached as
HTML (funding/cache.py); anonymous visitors get the whole page from the cache, the same for
all of them (funding/page_cache.py), signed-in ones the page around the cached part rendered
for them, so the header shows their own sign-in state.
"""

from django.conf import settings
from django.core.exceptions import BadRequest
from django.shortcuts import render
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.utils import timezone
from django.views.decorators.http import require_safe

from funding.cache import cached, mark_settled, query_key
from funding.figures.listings import search_text
from funding.figures.past.days import ON, BadDay, past_day
from funding.figures.past.page import NotPublicThen, past_programme_page
from funding.figures.summaries import public_programme_page
from funding.languages import in_language
from funding.page_cache import public_page
from funding.public.embeds import embed_snippets
from funding.public.home_listing import home_sort, programme_listing


@require_safe
@public_page
def home(request):
    search = search_text(request.GET.get("q"))
    sort = home_sort(request.GET.get("sort"))
    page = request.GET.get("page")

    def build():
        listing = programme_listing(search=search, sort=sort, page=page)
        return render_to_string("funding/_partials/home_programmes.html", {"listing": listing})

    programmes = cached(("home", query_key(search, sort, page)), build)
    return TemplateResponse(request, "funding/home.html", {"programmes": programmes})


@require_safe
def programme_detail(request, slug):
    """Today's page; with `?on=YYYY-MM-DD`, the page as it stood at the end of that day (a day
    to come, or today, gives today's page)."""
    try:
        day = past_day(request.GET.get(ON))
    except BadDay as error:
        raise BadRequest("on: not a day written YYYY-MM-DD") from error
    if day is None:
        return _programme_today(request, slug)
    # A day that is over: its page never changes, and caches may keep it long.
    return mark_settled(_programme_on(request, slug, day), day)


@public_page
def _programme_today(request, slug):
    today = timezone.localdate()
    funder = search_text(request.GET.get("funder"))
    page = request.GET.get("page")

    def build():
        data = public_programme_page(slug, today=today, funder=funder, page=page, quote_checks=True)
        html = render_to_string("funding/_partials/programme_page.html", {"page": data})
        return {"name": in_language(data.programme, "name").text, "slug": slug, "html": html}

    # Raises Http404 (and caches nothing) for a slug that is not a public programme.
    rendered = cached(("programme", slug, query_key(funder, page)), build, day=today)
    embed = embed_snippets(request, slug=slug, name=rendered["name"])
    return TemplateResponse(
        request, "funding/programme_detail.html", {"rendered": rendered, "embed": embed}
    )


@public_page
def _programme_on(request, slug, day):
    funder = search_text(request.GET.get("funder"))
    page = request.GET.get("page")

    def build():
        data = past_programme_page(slug, on=day, funder=funder, page=page)
        if isinstance(data, NotPublicThen):
            html = render_to_string(
                "funding/_partials/not_public_then.html", {"programme": data.programme, "on": day}
            )
        else:
            html = render_to_string("funding/_partials/programme_page.html", {"page": data})
        return {"name": in_language(data.programme, "name").text, "slug": slug, "html": html}

    # Keyed by the day it stands for. Raises Http404 (caching nothing) for a slug that is not
    # a public programme now.
    rendered = cached(("programme-on", slug, query_key(funder, page)), build, day=day)
    return TemplateResponse(
        request, "funding/programme_detail.html", {"rendered": rendered, "on": day}
    )


@require_safe
def accessibility(request):
    return render(
        request,
        "funding/accessibility.html",
        {
            "contact": settings.ACCESSIBILITY_CONTACT,
            "contact_is_email": "@" in settings.ACCESSIBILITY_CONTACT
            and "://" not in settings.ACCESSIBILITY_CONTACT,
        },
    )
