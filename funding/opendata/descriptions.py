"""The documents that describe the open data: the OpenAPI description, the data package and
the Table Schema its CSV files share.

Served like the data itself (funding/opendata/views.py): any origin may read them, with an ETag
to poll cheaply and `Cache-Control: public, no-cache`.
"""

import hashlib
from collections.abc import Callable

from django.http import HttpResponse

from funding.cache import cached
from funding.conditional import Document, open_data, per_request
from funding.opendata.datapackage import contributions_schema, datapackage_data
from funding.opendata.openapi import openapi_document
from funding.opendata.views import JSON_TYPE, cached_document, json_body


def fixed_document(name: str, data: Callable[[], dict]) -> Document:
    """A document that changes with the code, not with the data: an ETag, no Last-Modified."""

    def build():
        body = json_body(data())
        return Document(body, hashlib.sha256(body).hexdigest()[:32], None)

    return cached(("api", name), build)


@per_request
def openapi_json_document(request) -> Document:
    return fixed_document("openapi", openapi_document)


@per_request
def contributions_schema_document(request) -> Document:
    return fixed_document("contributions-schema", contributions_schema)


@per_request
def datapackage_document(request) -> Document:
    return cached_document(("datapackage",), lambda: json_body(datapackage_data()))


@open_data(openapi_json_document)
def openapi_json(request):
    return HttpResponse(openapi_json_document(request).body, content_type=JSON_TYPE)


@open_data(datapackage_document)
def datapackage_json(request):
    return HttpResponse(datapackage_document(request).body, content_type=JSON_TYPE)


@open_data(contributions_schema_document)
def contributions_schema_json(request):
    return HttpResponse(contributions_schema_document(request).body, content_type=JSON_TYPE)
