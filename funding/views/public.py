"""Public pages: anyone may see them, and they show public records only."""

from django.shortcuts import render

from funding.summaries import public_programme_page, public_programmes


def home(request):
    return render(request, "funding/home.html", {"programmes": public_programmes()})


def programme_detail(request, slug):
    return render(request, "funding/programme_detail.html", {"page": public_programme_page(slug)})
