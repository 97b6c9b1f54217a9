"""Documents that any site may read and clients may poll cheaply: the decorator that answers GET,
HEAD and the cross-origin preflight from a document's validators (a `funding.cache.Rendered`).

The open data (funding/opendata/) and the public page's chart numbers (funding/public/) are served
this way.
"""

from collections.abc import Callable
from functools import wraps

from django.http import HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import condition, require_safe

# The day a download's figures hold as of (funding/figures/as_of.py): scripts on other sites
# read it, so the preflight names it.
AS_OF_HEADER = "Data-As-Of"


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
                # How long clients and shared caches may keep it: funding/cache_headers.py.
                response = conditional(request, *args, **kwargs)
            response["Access-Control-Allow-Origin"] = "*"
            # Scripts on other sites may read these only when named: they need them to poll.
            response["Access-Control-Expose-Headers"] = f"ETag, Last-Modified, {AS_OF_HEADER}"
            return response

        def etag(request, *args, **kwargs):
            document = document_of(request, *args, **kwargs)
            return document.etag if document else None

        def last_modified(request, *args, **kwargs):
            document = document_of(request, *args, **kwargs)
            return document.last_modified if document else None

        conditional = require_safe(condition(etag, last_modified)(view))
        # Nothing here writes, so there is nothing to forge: other methods get the 405 that
        # names the allowed ones, not the CSRF check's 403.
        return csrf_exempt(with_headers)

    return decorate
