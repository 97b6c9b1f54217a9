"""The documents that describe the open data: the OpenAPI description, the data package and
the Table Schema its CSV files share.

Served like the data itself (funding/opendata/views.py): any origin may read them, with an ETag
to poll cheaply, and the short public lifetime every open data answer gets
(funding/cache_headers.py).
"""

from collections.abc import Callable

from funding.cache import Rendered, cached
from funding.conditional import open_data, per_request
from funding.opendata.datapackage import contributions_schema, datapackage_data
from funding.opendata.openapi import openapi_document
from funding.opendata.views import JSON_TYPE, cached_document, json_body


def fixed_document(name: str, data: Callable[[], dict]) -> Rendered:
    """A document that changes with the code, not with the data: an ETag, no Last-Modified."""
    return cached(("api", name), lambda: Rendered.of(json_body(data()), JSON_TYPE))


@per_request
def openapi_json_document(request) -> Rendered:
    return fixed_document("openapi", openapi_document)


@per_request
def contributions_schema_document(request) -> Rendered:
    return fixed_document("contributions-schema", contributions_schema)


@per_request
def datapackage_document(request) -> Rendered:
    return cached_document(("datapackage",), lambda: json_body(datapackage_data()))


@open_data(openapi_json_document)
def openapi_json(request):
    return openapi_json_document(request).response()


@open_data(datapackage_document)
def datapackage_json(request):
    return datapackage_document(request).response()


@open_data(contributions_schema_document)
def contributions_schema_json(request):
    return contributions_schema_document(request).response()
