"""Every error answer under /api/ is JSON, `{"error": code, "detail": sentence}`, whoever gave it.

The API's views answer their own errors in this shape (a bad page, an unknown slug), and so do
the error handlers (aifabriek/ops/error_views.py) and the outage's 503. What answers before or
around a view, such as Django's 405 for a method the API does not take, passes through
`ApiErrorsMiddleware`, which gives any other error answer under /api/ the same shape, so a client
parses every answer it gets.
"""

import json
from http import HTTPStatus

from django.http import JsonResponse

API_PREFIX = "/api/"
JSON_TYPE = "application/json"

# The code a client switches on, and a sentence for people; other statuses get HTTP's own phrase.
ERRORS = {
    400: ("bad_request", "The request could not be understood."),
    403: ("forbidden", "This request is not allowed here."),
    404: ("not_found", "No open data at {path!r}."),
    405: ("method_not_allowed", "Only these methods are allowed here: {allow}."),
    429: ("too_many_requests", "Too many requests. Please try again later."),
    500: ("server_error", "Something went wrong on our side. Please try again in a moment."),
    503: ("unavailable", "The database cannot be reached. Please try again shortly."),
}


def is_api(request) -> bool:
    return request.path.startswith(API_PREFIX) or request.path == API_PREFIX.rstrip("/")


def error_document(status: int, *, path: str = "", allow: str = "GET, HEAD") -> dict:
    """The JSON body of an error answer with this status."""
    try:
        code, detail = ERRORS[status]
    except KeyError:
        phrase = HTTPStatus(status).phrase
        code, detail = phrase.lower().replace(" ", "_").replace("-", "_"), f"{phrase}."
    return {"error": code, "detail": detail.format(path=path, allow=allow)}


def api_error(request, status: int) -> JsonResponse:
    return JsonResponse(error_document(status, path=request.path), status=status)


def is_json(response) -> bool:
    media_type = response.get("Content-Type", "").split(";")[0].strip().lower()
    return media_type == JSON_TYPE or media_type.endswith("+json")


class ApiErrorsMiddleware:
    """Gives any error answer under /api/ that is not JSON yet the JSON body of its status.

    It sits outside the middleware that refuses requests (CommonMiddleware's Host check), so it
    sees their answers too. The answer keeps its status and headers (Allow, Retry-After).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code >= 400 and is_api(request) and not is_json(response):
            as_json(response, request)
        return response


def as_json(response, request) -> None:
    document = error_document(
        response.status_code, path=request.path, allow=response.get("Allow", "GET, HEAD")
    )
    body = json.dumps(document).encode()
    response["Content-Type"] = JSON_TYPE
    if response.streaming:
        response.streaming_content = [body]
        del response["Content-Length"]
    else:
        response.content = body
        if response.has_header("Content-Length"):
            response["Content-Length"] = str(len(body))
