"""Database outages: answer 503 with Retry-After, and log each outage once, with its duration.

Any request whose view (or a middleware) cannot reach the database gets a calm 503 in place of
the site's 500 page: an HTML page in the visitor's language, JSON under /api/. Public data that is
already cached (funding/cache.py) keeps serving, because those requests never touch the database.

An outage is one span of time in one process: it starts at the first request that fails and ends
at the first query that succeeds afterwards. The start and the end are logged once each (the end
with the outage's duration and how many requests were refused), however many requests fail in
between and whichever threads serve them.
"""

import logging
import sys
import threading
import time

from django.db import InterfaceError, OperationalError, connection
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string

from aifabriek.ops import metrics
from aifabriek.ops.api_errors import api_error, error_document, is_api

# Named as it was when it lived in the funding app: log searches and alerts match on it.
logger = logging.getLogger("funding.outage")

# How long clients (and nginx, and monitoring) should wait before asking again.
RETRY_AFTER_SECONDS = 30

# Errors that mean the database cannot answer now, rather than a mistake in a query: refused or
# lost connections, a server shutting down, a locked SQLite file.
UNAVAILABLE_ERRORS = (OperationalError, InterfaceError)


class OutageTracker:
    """The current outage of this process, if any; safe to call from every serving thread."""

    def __init__(self):
        self._lock = threading.Lock()
        self._started_at: float | None = None  # time.monotonic() of the first failure
        self._refused = 0

    @property
    def active(self) -> bool:
        return self._started_at is not None

    def failed(self, error: BaseException) -> None:
        """A request could not reach the database: start an outage unless one is under way."""
        with self._lock:
            self._refused += 1
            if self._started_at is not None:
                return
            self._started_at = time.monotonic()
        metrics.DATABASE_OUTAGES.inc()
        logger.error(
            "Database unreachable: answering 503 until it is back (%s: %s)",
            type(error).__name__,
            str(error).strip().splitlines()[0] if str(error).strip() else "",
            extra={"event": "database_outage_started"},
        )

    def recovered(self) -> None:
        """A query succeeded: end the outage under way, if any, and log how long it lasted."""
        if self._started_at is None:  # the common case, without taking the lock
            return
        with self._lock:
            if self._started_at is None:
                return
            duration = time.monotonic() - self._started_at
            refused, self._started_at, self._refused = self._refused, None, 0
        logger.warning(
            "Database reachable again after %.1f s; %d requests were answered 503",
            duration,
            refused,
            extra={
                "event": "database_outage_ended",
                "duration_s": round(duration, 3),
                "refused_requests": refused,
            },
        )


tracker = OutageTracker()


def is_unavailable(error: BaseException | None) -> bool:
    return isinstance(error, UNAVAILABLE_ERRORS)


def unavailable_response(request, error: BaseException, *, document: dict | None = None):
    """The 503 for a request that could not reach the database; counts and logs the outage.

    JSON under /api/ (or `document`, for callers such as /healthz), the 503 page otherwise.
    """
    tracker.failed(error)
    metrics.DATABASE_ERRORS.inc()
    if document is not None or is_api(request):
        response = JsonResponse(document or error_document(503), status=503)
    else:
        # Rendered without the request, as the 500 page is: its context processors could query.
        response = HttpResponse(render_to_string("503.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    # The outage is logged once, above; Django's own log of every 5xx answer would repeat it.
    response._has_been_logged = True
    return response


def _note_success(execute, sql, params, many, context):
    result = execute(sql, params, many, context)
    tracker.recovered()
    return result


class DatabaseOutageMiddleware:
    """Turns a view's database-unavailable error into the 503; notices when the outage ends."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not tracker.active:
            return self.get_response(request)
        # Only during an outage: the first query that goes through ends it.
        with connection.execute_wrapper(_note_success):
            return self.get_response(request)

    def process_exception(self, request, exception):
        if is_unavailable(exception):
            return unavailable_response(request, exception)
        return None


def server_error(request, *args, **kwargs):
    """handler500: a database outage met outside a view (in a middleware) still gets the 503."""
    error = sys.exc_info()[1]
    if is_unavailable(error):
        return unavailable_response(request, error)
    if is_api(request):
        return api_error(request, 500)
    from django.views.defaults import server_error as default_server_error

    return default_server_error(request, *args, **kwargs)
