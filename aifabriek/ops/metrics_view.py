"""`/metrics` for Prometheus: only for the addresses or the bearer token the settings allow."""

import hmac

from django.conf import settings
from django.http import Http404, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from aifabriek.ops import metrics
from aifabriek.ops.client_address import client_address, in_networks


def _bearer_token(request) -> str | None:
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


@require_safe
@never_cache
def metrics_view(request):
    """Prometheus' text format; 404 for anyone else, 403 for a wrong token."""
    token = _bearer_token(request)
    if token is not None and settings.METRICS_TOKEN:
        if not hmac.compare_digest(token.encode(), settings.METRICS_TOKEN.encode()):
            return HttpResponse("Forbidden\n", status=403, content_type="text/plain")
    elif not in_networks(client_address(request), settings.METRICS_ALLOWED_IPS):
        raise Http404
    body, content_type = metrics.exposition()
    return HttpResponse(body, content_type=content_type)
