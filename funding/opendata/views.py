"""Open data: public figures as JSON and CSV that any site may read and clients may poll cheaply.

Each document is serialised once per change and cached with its ETag (a hash of the bytes) and
Last-Modified (the newest edit in the history), so a conditional GET costs two cache reads.
"""

import json
from collections.abc import Callable

from django.http import Http404, JsonResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404

from funding import paging
from funding.cache import Rendered, cached, etag_of, generation, mark_settled
from funding.conditional import open_data, per_request
from funding.figures.as_of import programme_as_of, with_as_of
from funding.figures.past.days import ON, BadDay, past_day
from funding.figures.past.page import NotPublicThen, past_programme_page
from funding.figures.summaries import public_programme_page
from funding.history import last_changed
from funding.models import Programme
from funding.opendata.described import json_default
from funding.opendata.documents import (
    API_PAGE_SIZE,
    contributions_data,
    open_data_csv_rows,
    programme_data,
    programme_list_data,
)
from funding.spreadsheets import csv_chunks

JSON_TYPE = "application/json"
CSV_TYPE = "text/csv; charset=utf-8"


def cached_document(key_parts: tuple, build_body: Callable[[], bytes]) -> Rendered | None:
    """The cached document for these key parts; None when the programme is not public."""

    def build():
        body = build_body()
        # One value per cache generation, shared by every document rebuilt after a change.
        changed = cached(("last_changed",), last_changed)
        return Rendered.of(body, JSON_TYPE, last_modified=changed)

    return _public_document(key_parts, build)


def _public_document(key_parts: tuple, build: Callable[[], Rendered]) -> Rendered | None:
    try:
        return cached(("api", *key_parts), build)
    except Http404:
        return None


def json_body(data) -> bytes:
    """A document (dicts, or the classes of funding/opendata/shapes.py) as the API sends it."""
    return json.dumps(data, ensure_ascii=False, indent=2, default=json_default).encode()


@per_request
def list_document(request) -> Rendered | None:
    number = requested_page(request)
    if number is None:
        return None

    def build():
        data = programme_list_data(number)
        if data is None:
            raise Http404  # past the last page
        return json_body(data)

    return cached_document(("programmes", number), build)


def requested_past_day(request):
    """The past day `?on=` asks for (None: today's document); raises BadDay."""
    return past_day(request.GET.get(ON))


@per_request
def programme_document(request, slug) -> Rendered | None:
    """Today's document, or with `?on=` the one of that past day; None when there is none
    (or the day is not a day: the view answers 400)."""
    try:
        day = requested_past_day(request)
    except BadDay:
        return None
    if day is not None:
        return _past_programme_document(slug, day)
    return cached_document(
        ("programme", slug),
        lambda: json_body(
            programme_data(
                public_programme_page(slug, page_size=API_PAGE_SIZE, decision_dates=True)
            )
        ),
    )


def _past_programme_document(slug, day) -> Rendered | None:
    def build():
        page = past_programme_page(slug, on=day, page_size=API_PAGE_SIZE, decision_dates=True)
        if isinstance(page, NotPublicThen):
            raise Http404
        return json_body(programme_data(page))

    # Keyed by the day it stands for, like the past page.
    try:
        return cached(("api", "programme-on", slug), lambda: _rendered(build()), day=day)
    except Http404:
        return None


def _rendered(body: bytes) -> Rendered:
    return Rendered.of(body, JSON_TYPE, last_modified=cached(("last_changed",), last_changed))


def requested_page(request) -> int | None:
    """The `page` asked for (funding/paging.py): None when it is not a page number."""
    return paging.page_number(request.GET.get("page"))


@per_request
def contributions_page_document(request, slug) -> Rendered | None:
    number = requested_page(request)
    if number is None:
        return None

    def build():
        page = public_programme_page(slug, page=number, page_size=API_PAGE_SIZE, scenarios=False)
        if page.contribution_page.number != number:
            raise Http404  # past the last page: the pages page does not turn back to the last
        return json_body(contributions_data(page))

    return cached_document(("contributions", slug, number), build)


@per_request
def contributions_csv_document(request, slug) -> Rendered | None:
    """The CSV's validators; its rows are streamed from the database, never cached: the body
    is empty."""

    def build():
        programme = get_object_or_404(Programme.objects.public(), slug=slug)
        # Changes with every change to a funding record (the generation), not with the bytes.
        etag = etag_of(f"{programme.currency}:{generation()}".encode())
        return Rendered(b"", CSV_TYPE, etag, cached(("last_changed",), last_changed))

    return _public_document(("contributions.csv", slug), build)


def bad_page() -> JsonResponse:
    return JsonResponse(
        {"error": "bad_request", "detail": "page must be a whole number from 1."}, status=400
    )


def not_found_data(slug) -> dict:
    return {"error": "not_found", "detail": f"No public programme {slug!r}."}


def not_found(slug) -> JsonResponse:
    return JsonResponse(not_found_data(slug), status=404)


@open_data(list_document)
def programme_list(request):
    if requested_page(request) is None:
        return bad_page()
    document = list_document(request)
    if document is None:
        detail = f"No page {requested_page(request)} of the programmes."
        return JsonResponse({"error": "not_found", "detail": detail}, status=404)
    return document.response()


@open_data(programme_document)
def programme_detail(request, slug):
    try:
        day = requested_past_day(request)
    except BadDay:
        detail = "on must be a day written YYYY-MM-DD (for example 2026-10-01)."
        return JsonResponse({"error": "bad_request", "detail": detail}, status=400)
    document = programme_document(request, slug)
    if document is None:
        if day is not None and Programme.objects.public().filter(slug=slug).exists():
            detail = f"The programme {slug!r} was not public on {day.isoformat()}."
            return JsonResponse({"error": "not_found", "detail": detail}, status=404)
        return not_found(slug)
    if day is None:
        return document.response()
    # A day that is over: its document never changes, and caches may keep it long.
    return mark_settled(document.response(), day)


@open_data(contributions_page_document)
def contributions_page(request, slug):
    if requested_page(request) is None:
        return bad_page()
    document = contributions_page_document(request, slug)
    if document is None:
        return JsonResponse(
            {"error": "not_found", "detail": f"No page {requested_page(request)} of {slug!r}."}
            if Programme.objects.public().filter(slug=slug).exists()
            else not_found_data(slug),
            status=404,
        )
    return document.response()


@open_data(contributions_csv_document)
def contributions_csv(request, slug):
    if contributions_csv_document(request, slug) is None:
        return not_found(slug)
    programme = Programme.objects.public().get(slug=slug)
    as_of = cached(("as_of", slug), lambda: programme_as_of(programme, public_only=True))
    # No byte-order mark: scripts and Frictionless read this file (funding/spreadsheets.py).
    rows = csv_chunks(open_data_csv_rows(programme), bom=False)
    response = StreamingHttpResponse(rows, content_type=CSV_TYPE)
    return with_as_of(response, as_of, filename=f"{slug}-contributions", extension="csv")
