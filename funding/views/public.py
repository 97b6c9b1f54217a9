"""Public pages: anyone may see them, and they show public records only.

The pages' data is cached (funding/cache.py), not the responses: the header still shows each
visitor's own sign-in state and the language form its own CSRF token.
"""

from django.conf import settings
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone

from funding.cache import cached
from funding.summaries import public_programme_page, public_programmes

# Programmes per page of the public home: each comes with its funding summary.
HOME_PAGE_SIZE = 20


def home(request):
    programmes = cached(("home",), public_programmes)
    # get_page turns a page number that is not a number, or out of range, into the nearest page.
    page = Paginator(programmes, HOME_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "funding/home.html", {"programmes": page, "page_obj": page})


def programme_detail(request, slug):
    today = timezone.localdate()
    page = cached(
        ("programme", slug, today.isoformat()),
        lambda: public_programme_page(slug, today=today),
    )
    return render(request, "funding/programme_detail.html", {"page": page})


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
