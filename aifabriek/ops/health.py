from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from aifabriek.ops import outage


@require_safe
@never_cache
def healthz(request):
    """200 when the app and its database answer, 503 with Retry-After when not. Public."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as error:
        # Logged once per outage by the tracker, not once per probe.
        return outage.unavailable_response(
            request, error, document={"status": "unavailable", "database": "unreachable"}
        )
    outage.tracker.recovered()
    return JsonResponse({"status": "ok", "database": "ok"})
