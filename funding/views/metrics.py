"""`/metrics` for Prometheus: only for the addresses or the bearer token the settings allow."""

import hmac
import ipaddress

from django.conf import settings
from django.http import Http404, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from funding import metrics


def client_address(request) -> str:
    """The address the request came from, seen through a proxy we trust.

    nginx on the same machine adds the client's address as the last entry of X-Forwarded-For;
    without that, every request through nginx would come from loopback. The header counts only
    when the direct peer is a trusted proxy, so nobody else can claim an address with it.
    """
    peer = request.META.get("REMOTE_ADDR", "")
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if forwarded and _in(peer, settings.TRUSTED_PROXY_IPS):
        return forwarded.split(",")[-1].strip()
    return peer


def _in(address: str, allowed: list[str]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in ipaddress.ip_network(entry, strict=False) for entry in allowed)


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
    elif not _in(client_address(request), settings.METRICS_ALLOWED_IPS):
        raise Http404
    body, content_type = metrics.exposition()
    return HttpResponse(body, content_type=content_type)
