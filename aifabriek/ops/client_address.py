"""The address a request came from, believing only the proxies the settings name."""

import ipaddress

from django.conf import settings


def client_address(request) -> str | None:
    """The client's IP address: the connection's, or the one trusted proxies report.

    Each proxy appends the address it saw to X-Forwarded-For. Walking from the connection
    leftwards through the header, every address that belongs to a trusted proxy
    (`TRUSTED_PROXY_IPS`, default loopback: nginx on the same machine) passes the word on; the
    first one that does not is the client. Anything further left was sent by the client and
    could be invented, and a header from an untrusted peer is ignored altogether.
    """
    remote = request.META.get("REMOTE_ADDR") or None
    address = remote
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
    for hop in reversed([part.strip() for part in forwarded if part.strip()]):
        if not is_trusted_proxy(address):
            break
        try:
            address = str(ipaddress.ip_address(hop))
        except ValueError:
            return remote
    return address


def is_trusted_proxy(address: str | None) -> bool:
    return in_networks(address, settings.TRUSTED_PROXY_IPS)


def in_networks(address: str | None, networks: list[str]) -> bool:
    try:
        ip = ipaddress.ip_address(address or "")
    except ValueError:
        return False
    return any(ip in ipaddress.ip_network(entry, strict=False) for entry in networks)
