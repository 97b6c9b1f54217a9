"""Fetching a web page that somebody typed into a form, without letting it reach inside.

A source's address is user input: fetched naively it could make the server ask its own admin
port, the database, or a cloud's metadata service (169.254.169.254) and keep the answer
(server-side request forgery). So each address, and each address a redirect points to, is
checked before anything is sent:

- http and https only, no user name or password in the address, no control characters;
- the host name is resolved once, *every* address it resolves to must be public (not this
  machine, not a private, shared, link-local, multicast or reserved network) unless a setting
  allows it, and the connection goes to the address that was checked: a name that resolves
  differently a moment later (DNS rebinding) cannot move the request elsewhere;
- redirects are followed by this module, hop by hop, so each hop is checked the same way;
- a time limit for the whole fetch and a size limit (the body is read in chunks and reading
  stops at the limit).

It knows nothing of funding: it returns what happened, and the caller records it.
"""

import ipaddress
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import certifi
import urllib3
from urllib3.exceptions import HTTPError, MaxRetryError, ProtocolError, TimeoutError

REDIRECT_STATUSES = (301, 302, 303, 307, 308)
CHUNK = 64 * 1024
# Longer than any address a browser keeps; an address beyond it is not a document's.
MAX_URL_LENGTH = 2000


class Outcome:
    """What became of a fetch; the caller's record uses the same words."""

    OK = "ok"
    UNAVAILABLE = "unavailable"
    REFUSED = "refused"
    TOO_LARGE = "too_large"
    TIMEOUT = "timeout"
    HTTP_ERROR = "http_error"


@dataclass(frozen=True)
class FetchPolicy:
    """The limits a fetch keeps to (from the settings; tests give their own)."""

    user_agent: str
    timeout: float = 20.0
    max_bytes: int = 10 * 1024 * 1024
    max_redirects: int = 5
    allow_private: bool = False
    allowed_networks: tuple = ()  # ip_network objects allowed although not public
    pause: float = 0.0  # seconds between two requests to the same host
    resolve: Callable | None = None  # socket.getaddrinfo, looked up when called


@dataclass
class Fetched:
    """The answer: the outcome, each hop (address and status), and the body when there is one."""

    outcome: str
    url: str
    final_url: str = ""
    status: int | None = None
    content_type: str = ""
    body: bytes = b""
    detail: str = ""
    redirects: list[dict] = field(default_factory=list)


class Refused(Exception):
    """An address this module will not send a request to."""


def address_allowed(address: str, policy: FetchPolicy) -> bool:
    """Whether a request may go to this IP address: public, or allowed by the settings."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped  # ::ffff:127.0.0.1 is 127.0.0.1
    if any(ip in network for network in policy.allowed_networks):
        return True
    if policy.allow_private:
        return not (ip.is_multicast or ip.is_unspecified)
    return ip.is_global and not ip.is_multicast


def checked_target(url: str, policy: FetchPolicy) -> tuple[str, str, int, str]:
    """(scheme, host, port, address to connect to) for a URL; raises Refused with the reason."""
    if len(url) > MAX_URL_LENGTH:
        raise Refused(f"the address is longer than {MAX_URL_LENGTH} characters")
    if any(ord(character) < 33 or ord(character) == 127 for character in url):
        raise Refused("the address holds a space or a control character")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as error:
        raise Refused(f"the address cannot be read: {error}") from None
    if parts.scheme not in ("http", "https"):
        raise Refused(f"only http and https addresses are fetched, not {parts.scheme or 'none'}")
    if parts.username is not None or parts.password is not None:
        raise Refused("the address holds a user name or password")
    host = parts.hostname
    if not host:
        raise Refused("the address names no host")
    port = port or (443 if parts.scheme == "https" else 80)
    try:
        resolve = policy.resolve or socket.getaddrinfo
        resolved = resolve(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise LookupError(f"the host name {host} cannot be resolved ({error})") from None
    addresses = [info[4][0] for info in resolved]
    if not addresses:
        raise LookupError(f"the host name {host} resolves to no address")
    # Every address: a name that resolves to a public and a private address is refused, since
    # the connection could otherwise be steered to the private one.
    for address in addresses:
        if not address_allowed(address, policy):
            raise Refused(f"{host} resolves to {address}, which is not a public address")
    return parts.scheme, host, port, addresses[0]


class Fetcher:
    """Fetches addresses one after another, pausing between two requests to the same host."""

    def __init__(self, policy: FetchPolicy, *, sleep: Callable = time.sleep):
        self.policy = policy
        self.sleep = sleep
        self._last_request: dict[str, float] = {}

    def fetch(self, url: str) -> Fetched:
        """Fetch `url`, following redirects hop by hop; never raises for what the web answers."""
        result = Fetched(outcome=Outcome.UNAVAILABLE, url=url)
        deadline = time.monotonic() + self.policy.timeout
        current = url
        for _hop in range(self.policy.max_redirects + 1):
            try:
                target = checked_target(current, self.policy)
            except Refused as error:
                return self._ended(result, Outcome.REFUSED, current, str(error))
            except LookupError as error:
                return self._ended(result, Outcome.UNAVAILABLE, current, str(error))
            self._pause(target[1])
            try:
                status, headers, body = self._request(current, target, deadline)
            except _TooLarge as error:
                result.status = error.status
                return self._ended(result, Outcome.TOO_LARGE, current, self._too_large())
            except (TimeoutError, _Deadline):
                return self._ended(
                    result, Outcome.TIMEOUT, current, f"no answer within {self.policy.timeout} s"
                )
            except (HTTPError, OSError, ProtocolError, MaxRetryError) as error:
                return self._ended(result, Outcome.UNAVAILABLE, current, _reason(error))
            result.status = status
            location = headers.get("Location")
            if status in REDIRECT_STATUSES and location:
                result.redirects.append({"url": current, "status": status})
                current = urljoin(current, location.strip())
                continue
            result.content_type = headers.get("Content-Type", "")
            if status >= 400:
                return self._ended(result, Outcome.HTTP_ERROR, current, f"HTTP {status}")
            result.body = body
            return self._ended(result, Outcome.OK, current, "")
        return self._ended(
            result,
            Outcome.UNAVAILABLE,
            current,
            f"more than {self.policy.max_redirects} redirects",
        )

    def _ended(self, result: Fetched, outcome: str, url: str, detail: str) -> Fetched:
        result.outcome, result.final_url, result.detail = outcome, url, detail
        return result

    def _too_large(self) -> str:
        return f"larger than {self.policy.max_bytes} bytes; reading stopped there"

    def _pause(self, host: str) -> None:
        last = self._last_request.get(host)
        if last is not None and self.policy.pause:
            wait = last + self.policy.pause - time.monotonic()
            if wait > 0:
                self.sleep(wait)
        self._last_request[host] = time.monotonic()

    def _request(self, url: str, target, deadline: float):
        scheme, host, port, address = target
        parts = urlsplit(url)
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        left = max(deadline - time.monotonic(), 0.001)
        timeout = urllib3.Timeout(connect=left, read=left)
        options = {"timeout": timeout, "retries": False, "maxsize": 1}
        if scheme == "https":
            # Connected to the checked address; the certificate is checked for the host name.
            pool = urllib3.HTTPSConnectionPool(
                address,
                port,
                server_hostname=host,
                assert_hostname=host,
                cert_reqs="CERT_REQUIRED",
                ca_certs=certifi.where(),
                **options,
            )
        else:
            pool = urllib3.HTTPConnectionPool(address, port, **options)
        default_port = 443 if scheme == "https" else 80
        host_header = host if ":" not in host else f"[{host}]"
        headers = {
            "Host": host_header if port == default_port else f"{host_header}:{port}",
            "User-Agent": self.policy.user_agent,
            "Accept": "text/html, text/plain;q=0.9, */*;q=0.1",
        }
        with pool:
            response = pool.urlopen(
                "GET", path, headers=headers, redirect=False, preload_content=False
            )
            try:
                body = b""
                if response.status < 300:
                    try:
                        body = self._read(response, deadline)
                    except _TooLarge as error:
                        error.status = response.status
                        raise
                return response.status, response.headers, body
            finally:
                response.release_conn()

    def _read(self, response, deadline: float) -> bytes:
        declared = response.headers.get("Content-Length", "")
        if declared.isdigit() and int(declared) > self.policy.max_bytes:
            raise _TooLarge
        chunks, size = [], 0
        for chunk in response.stream(CHUNK, decode_content=True):
            size += len(chunk)
            if size > self.policy.max_bytes:
                raise _TooLarge
            if time.monotonic() > deadline:
                raise _Deadline
            chunks.append(chunk)
        return b"".join(chunks)


class _TooLarge(Exception):
    status: int | None = None


class _Deadline(Exception):
    pass


def _reason(error: Exception) -> str:
    reason = getattr(error, "reason", None) or error
    return f"no connection: {reason}"[:300]
