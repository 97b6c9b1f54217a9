"""The address a request came from, believing proxies only as far as the settings say."""

import ipaddress

from django.conf import settings


def client_address(request) -> str | None:
    """The client's IP address: the connection's, or the one trusted proxies report.

    Each proxy appends the address it saw to X-Forwarded-For, so with N trusted proxies the
    client is the N-th address from the right; anything further left was sent by the client
    and could be invented. With no trusted proxy (the default) the header is ignored.
    """
    remote = request.META.get("REMOTE_ADDR") or None
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if len(forwarded) < proxies:
        return remote
    candidate = forwarded[-proxies]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote
