"""OC4IDS project packages (funding/opendata/oc4ids.py), served like the rest of the open data:
cached per change with an ETag and Last-Modified, readable from any origin.

The standard asks for absolute URIs (the package's own `uri`, `links.next`), so a document is
built and cached per scheme and host; ALLOWED_HOSTS keeps that to a few. The documents are
written without indentation: a project carries every contribution, and indenting its nested
objects nearly doubled a package's size.
"""

import json

from django.http import Http404, JsonResponse

from funding.cache import Rendered
from funding.conditional import open_data, per_request
from funding.opendata.oc4ids import portfolio_package, programme_package
from funding.opendata.views import bad_page, cached_document, not_found, requested_page


def _json(data) -> bytes:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()


def site(request) -> str:
    """The site's address as the request reached it: "https://host"."""
    return request.build_absolute_uri("/").removesuffix("/")


@per_request
def programme_package_document(request, slug) -> Rendered | None:
    return cached_document(
        ("oc4ids", site(request), slug),
        lambda: _json(programme_package(slug, site=site(request))),
    )


@per_request
def portfolio_package_document(request) -> Rendered | None:
    number = requested_page(request)
    if number is None:
        return None

    def build():
        data = portfolio_package(number, site=site(request))
        if data is None:
            raise Http404  # past the last page
        return _json(data)

    return cached_document(("oc4ids", site(request), "page", number), build)


@open_data(programme_package_document)
def programme_package_json(request, slug):
    document = programme_package_document(request, slug)
    if document is None:
        return not_found(slug)
    return document.response()


@open_data(portfolio_package_document)
def portfolio_package_json(request):
    if requested_page(request) is None:
        return bad_page()
    document = portfolio_package_document(request)
    if document is None:
        number = requested_page(request)
        detail = (
            f"No page {number} of the public programmes' OC4IDS package."
            if number > 1
            else "No programme is public: an OC4IDS package needs at least one project."
        )
        return JsonResponse({"error": "not_found", "detail": detail}, status=404)
    return document.response()
