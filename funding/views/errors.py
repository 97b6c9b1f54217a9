"""The site's 404: JSON under /api/, where clients parse the answer, the 404 page elsewhere."""

from django.http import JsonResponse
from django.views.defaults import page_not_found


def not_found(request, exception=None):
    if request.path.startswith("/api/"):
        return JsonResponse(
            {"error": "not_found", "detail": f"No open data at {request.path!r}."}, status=404
        )
    return page_not_found(request, exception)
