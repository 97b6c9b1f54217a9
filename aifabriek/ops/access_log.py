"""One log line and one set of metrics per request, and the request's id in its answer.

The id comes from nginx (`X-Request-ID`, set to `$request_id`) when it looks like one, so the
proxy's log and the app's share it; otherwise the app makes one. The access line is logged by
`funding.access` at INFO: production settings write it as JSON (see LOG_FORMAT in settings).
"""

import logging
import re
import time
import uuid

from django.utils.functional import empty

from aifabriek.ops import metrics
from aifabriek.ops.jsonlog import current_request_id

logger = logging.getLogger("funding.access")

REQUEST_ID_HEADER = "X-Request-ID"
KNOWN_METHODS = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}
# Letters, digits and a few separators, as nginx's $request_id (32 hex digits) or a UUID; anything
# else (too long, spaces, control characters) is replaced, so it cannot forge log lines.
SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{8,128}")


def request_id_of(request) -> str:
    incoming = request.headers.get(REQUEST_ID_HEADER, "")
    if SANE_REQUEST_ID.fullmatch(incoming):
        return incoming
    return uuid.uuid4().hex


def user_id_of(request):
    """The signed-in user's id if this request already looked the user up; never queries.

    Looking the user up here would cost a query for every anonymous page, and fail during a
    database outage.
    """
    user = getattr(request, "user", None)
    if user is None or getattr(user, "_wrapped", None) is empty:
        return None
    return user.pk if user.is_authenticated else None


def view_name_of(request, status: int) -> str:
    """The URL pattern's name: a bounded set of label values, unlike paths."""
    match = getattr(request, "resolver_match", None)
    if match is not None:
        return match.view_name
    return "<unmatched>" if status == 404 else "<none>"


class AccessLogMiddleware:
    """Outermost middleware: it sees every answer, the 503s of an outage included."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        request_id = request_id_of(request)
        request.request_id = request_id
        token = current_request_id.set(request_id)
        try:
            response = self.get_response(request)
            duration = time.perf_counter() - started
            response[REQUEST_ID_HEADER] = request_id
            self.record(request, response, duration)
            return response
        finally:
            current_request_id.reset(token)

    def record(self, request, response, duration: float) -> None:
        view = view_name_of(request, response.status_code)
        # Any word can be sent as a method: unknown ones share one label value.
        method = request.method if request.method in KNOWN_METHODS else "other"
        metrics.REQUESTS.labels(view, method, str(response.status_code)).inc()
        metrics.LATENCY.labels(view).observe(duration)
        logger.info(
            "%s %s %s",
            request.method,
            request.path,
            response.status_code,
            extra={
                "method": request.method,
                # The path only: query values may hold search terms or tokens.
                "path": request.path,
                "query_keys": sorted(request.GET.keys()),
                "status": response.status_code,
                "duration_ms": round(duration * 1000, 1),
                "user_id": user_id_of(request),
                "view": view,
            },
        )
