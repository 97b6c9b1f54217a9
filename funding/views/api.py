"""Open data: public figures as JSON and CSV that any site may read and clients may poll cheaply.

Each document is serialised once per change and cached with its ETag (a hash of the bytes) and
Last-Modified (the newest edit in the history), so a conditional GET costs two cache reads.
"""

import csv
import hashlib
import io
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import wraps

from django.http import Http404, HttpResponse, JsonResponse
from django.utils.cache import patch_cache_control
from django.views.decorators.http import condition, require_safe

from funding.cache import cached
from funding.opendata import contribution_rows, last_changed, programme_data, programme_list_data
from funding.summaries import public_programme_page

JSON_TYPE = "application/json"
CSV_TYPE = "text/csv; charset=utf-8"


@dataclass(frozen=True)
class Document:
    body: bytes
    etag: str
    last_modified: datetime | None


def _document(key_parts: tuple, build_body: Callable[[], bytes]) -> Document | None:
    """The cached document for these key parts; None when the programme is not public."""

    def build():
        body = build_body()
        # One value per cache generation, shared by every document rebuilt after a change.
        return Document(
            body, hashlib.sha256(body).hexdigest()[:32], cached(("last_changed",), last_changed)
        )

    try:
        return cached(("api", *key_parts), build)
    except Http404:
        return None


def _json(data) -> bytes:
    return json.dumps(data, ensure_ascii=False, indent=2).encode()


def _csv(rows) -> bytes:
    text = io.StringIO()
    csv.writer(text).writerows(rows)
    return text.getvalue().encode()


def per_request(document_of: Callable) -> Callable:
    """Look the document up once per request: the ETag, Last-Modified and body all need it, and
    reading it once also keeps the three from different cache generations."""

    @wraps(document_of)
    def once(request, *args, **kwargs):
        documents = request.__dict__.setdefault("_open_data_documents", {})
        if document_of not in documents:
            documents[document_of] = document_of(request, *args, **kwargs)
        return documents[document_of]

    return once


@per_request
def list_document(request) -> Document:
    return _document(("programmes",), lambda: _json(programme_list_data()))


@per_request
def programme_document(request, slug) -> Document | None:
    return _document(
        ("programme", slug), lambda: _json(programme_data(public_programme_page(slug)))
    )


@per_request
def contributions_document(request, slug) -> Document | None:
    return _document(
        ("contributions.csv", slug), lambda: _csv(contribution_rows(public_programme_page(slug)))
    )


def open_data(document_of: Callable):
    """GET/HEAD only, readable from any origin, with ETag and Last-Modified from the document."""

    def decorate(view):
        @wraps(view)
        def with_headers(request, *args, **kwargs):
            if request.method == "OPTIONS":
                # A page on another site that sends If-None-Match itself asks first (preflight).
                response = HttpResponse(status=204)
                response["Access-Control-Allow-Methods"] = "GET, HEAD"
                response["Access-Control-Allow-Headers"] = "If-None-Match, If-Modified-Since"
                response["Access-Control-Max-Age"] = "86400"
            else:
                response = conditional(request, *args, **kwargs)
                # Clients may keep a copy but must ask (cheaply, with the ETag) before reusing it.
                patch_cache_control(response, public=True, no_cache=True)
            response["Access-Control-Allow-Origin"] = "*"
            # Scripts on other sites may read these only when named: they need them to poll.
            response["Access-Control-Expose-Headers"] = "ETag, Last-Modified"
            return response

        def etag(request, *args, **kwargs):
            document = document_of(request, *args, **kwargs)
            return document.etag if document else None

        def last_modified(request, *args, **kwargs):
            document = document_of(request, *args, **kwargs)
            return document.last_modified if document else None

        conditional = require_safe(condition(etag, last_modified)(view))
        return with_headers

    return decorate


def not_found(slug) -> JsonResponse:
    return JsonResponse(
        {"error": "not_found", "detail": f"No public programme {slug!r}."}, status=404
    )


@open_data(list_document)
def programme_list(request):
    return HttpResponse(list_document(request).body, content_type=JSON_TYPE)


@open_data(programme_document)
def programme_detail(request, slug):
    document = programme_document(request, slug)
    if document is None:
        return not_found(slug)
    return HttpResponse(document.body, content_type=JSON_TYPE)


@open_data(contributions_document)
def contributions_csv(request, slug):
    document = contributions_document(request, slug)
    if document is None:
        return not_found(slug)
    response = HttpResponse(document.body, content_type=CSV_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{slug}-contributions.csv"'
    return response
