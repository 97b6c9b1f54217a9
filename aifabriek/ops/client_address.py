"""The address a request came from, believing only the proxies the settings name."""

import ipaddress

from django.conf import settings

# An IPv6 client is counted by its network of this size: one customer or machine usually gets a
# whole /64 and can take any address from it.
IPV6_CLIENT_PREFIX = 64

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


def client_address(request) -> str | None:
    """The client's IP address: the connection's, or the one trusted proxies report.

    Each proxy appends the address it saw to X-Forwarded-For. Walking from the connection
    leftwards through the header, every address that belongs to a trusted proxy
    (`TRUSTED_PROXY_IPS`, default loopback: nginx on the same machine) passes the word on; the
    first one that does not is the client. Anything further left was sent by the client and
    could be invented, and a header from an untrusted peer is ignored altogether. Every address
    is given in one spelling (`parse_address`), so one client is one address everywhere.
    """
    remote = _text(parse_address(request.META.get("REMOTE_ADDR") or ""))
    address = remote
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
    for hop in reversed([part.strip() for part in forwarded if part.strip()]):
        if not is_trusted_proxy(address):
            break
        parsed = parse_address(hop)
        if parsed is None:
            return remote
        address = str(parsed)
    return address


def lockout_address(request) -> str | None:
    """The client's address as the lockout counts it: an IPv6 client by its /64, written as the
    network's first address (2001:db8:1:2::), since django-axes stores an address."""
    address = parse_address(client_address(request) or "")
    if address is None or address.version == 4:
        return _text(address)
    network = ipaddress.IPv6Network((address, IPV6_CLIENT_PREFIX), strict=False)
    return str(network.network_address)


def lockout_address_label(address: str | None) -> str:
    """An address the lockout counted, as people read it: an IPv6 one with its /64."""
    if not address:
        return "-"
    return f"{address}/{IPV6_CLIENT_PREFIX}" if ":" in address else address


def parse_address(text: str) -> IPAddress | None:
    """The address in `text`, or None; an IPv4-mapped IPv6 address as its IPv4 address.

    Leading zeros in an IPv4 address are read as decimal, as in zero-padded logs (Python's
    parser refuses them, since some C libraries read them as octal); a zone (`%eth0`) is
    dropped: it names an interface of the machine, not the client.
    """
    text = text.strip().split("%", 1)[0]
    head, colon, last = text.rpartition(":")
    if "." in last:
        parts = last.split(".")
        if not all(part.isascii() and part.isdigit() and len(part) <= 3 for part in parts):
            return None
        text = head + colon + ".".join(str(int(part)) for part in parts)
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    if address.version == 6 and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def _text(address: IPAddress | None) -> str | None:
    return None if address is None else str(address)


def is_trusted_proxy(address: str | None) -> bool:
    return in_networks(address, settings.TRUSTED_PROXY_IPS)


def in_networks(address: str | None, networks: list[str]) -> bool:
    ip = parse_address(address or "")
    if ip is None:
        return False
    # An IPv4 address also matches a network that a setting wrote as IPv4-mapped IPv6.
    spellings = [ip] if ip.version == 6 else [ip, ipaddress.IPv6Address(f"::ffff:{ip}")]
    return any(
        spelling in ipaddress.ip_network(entry, strict=False)
        for entry in networks
        for spelling in spellings
    )
