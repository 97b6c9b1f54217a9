"""The source fetcher refuses what could reach inside (server-side request forgery) before any
request leaves, and keeps to its limits: redirects checked hop by hop, time, size, schemes."""

import ipaddress
import socket
import time

import pytest

from aifabriek.ops.safe_fetch import Fetcher, FetchPolicy, Outcome, address_allowed
from tests.support.source_server import HUGE_BYTES

LOOPBACK_ONLY = (ipaddress.ip_network("127.0.0.1/32"),)


def policy(**options) -> FetchPolicy:
    return FetchPolicy(user_agent="test-agent (contact: tests@example.org)", **options)


def fetch(url, **options):
    return Fetcher(policy(**options)).fetch(url)


def test_it_fetches_a_page_it_may_reach_and_says_who_asks(source_site):
    fetched = fetch(source_site.url("/ez.html"), allowed_networks=LOOPBACK_ONLY)
    assert (fetched.outcome, fetched.status) == (Outcome.OK, 200)
    assert b"AI-fab&shy;riek in Groningen" in fetched.body
    assert source_site.requests[0]["headers"]["User-Agent"] == (
        "test-agent (contact: tests@example.org)"
    )


def test_it_refuses_loopback_by_default_and_sends_nothing(source_site, connections):
    fetched = fetch(source_site.url("/ez.html"))
    assert fetched.outcome == Outcome.REFUSED
    assert "127.0.0.1" in fetched.detail
    assert source_site.requests == []
    assert connections == []


def test_it_refuses_the_metadata_address_without_opening_a_socket(monkeypatch):
    def no_connection(*args, **kwargs):
        pytest.fail("a connection was attempted to a refused address")

    monkeypatch.setattr(socket.socket, "connect", no_connection)
    monkeypatch.setattr(socket, "create_connection", no_connection)
    fetched = fetch("http://169.254.169.254/latest/meta-data/")
    assert fetched.outcome == Outcome.REFUSED
    assert fetched.detail == (
        "169.254.169.254 resolves to 169.254.169.254, which is not a public address"
    )


@pytest.mark.parametrize(
    "url",
    [
        "http://localhost:8000/",
        "http://10.0.0.5/",
        "http://192.168.1.1/",
        "http://[::1]/",
        "http://[::ffff:127.0.0.1]/",
        "http://[fe80::1]/",
        "http://0.0.0.0/",
        "http://100.64.0.1/",
        "http://224.0.0.1/",
    ],
)
def test_it_refuses_private_and_special_addresses(url, connections):
    assert fetch(url).outcome == Outcome.REFUSED
    assert connections == []


def test_a_name_with_one_private_address_among_public_ones_is_refused(connections):
    def resolve(host, port, **kwargs):
        return [
            (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.216.34", port)),
            (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("10.1.2.3", port)),
        ]

    fetched = fetch("https://news.example.org/item", resolve=resolve)
    assert fetched.outcome == Outcome.REFUSED
    assert "10.1.2.3" in fetched.detail
    assert connections == []


def test_it_connects_to_the_address_it_checked_not_to_a_second_answer(source_site, connections):
    # A resolver that answers loopback once and then something else (DNS rebinding): the
    # request goes to the address that was checked, asked once.
    answers = iter(["127.0.0.1", "10.9.9.9"])
    asked = []

    def resolve(host, port, **kwargs):
        asked.append(host)
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (next(answers), port))]

    url = f"http://press.example.org:{source_site.port}/ez.html"
    fetched = fetch(url, allowed_networks=LOOPBACK_ONLY, resolve=resolve)
    assert fetched.outcome == Outcome.OK
    assert asked == ["press.example.org"]
    assert connections == ["127.0.0.1"]
    assert source_site.requests[0]["headers"]["Host"] == f"press.example.org:{source_site.port}"


@pytest.mark.parametrize(
    "url",
    ["file:///etc/passwd", "ftp://ftp.example.org/file.txt", "gopher://example.org/", "/ez.html"],
)
def test_it_fetches_only_http_and_https(url, connections):
    fetched = fetch(url)
    assert fetched.outcome == Outcome.REFUSED
    assert fetched.detail.startswith("only http and https addresses are fetched")
    assert connections == []


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://example.org/\x00/", "the address holds a space or a control character"),
        ("http://example.org/a b", "the address holds a space or a control character"),
        ("http://user:secret@example.org/", "the address holds a user name or password"),
        ("http://example.org:99999/", "the address cannot be read: Port out of range 0-65535"),
        ("http://example.org/" + "a" * 2000, "the address is longer than 2000 characters"),
    ],
)
def test_hostile_addresses_are_refused_with_the_reason(url, reason, connections):
    fetched = fetch(url)
    assert (fetched.outcome, fetched.detail) == (Outcome.REFUSED, reason)
    assert connections == []


def test_a_redirect_to_the_metadata_address_is_refused_at_that_hop(source_site, connections):
    fetched = fetch(source_site.url("/to-metadata"), allowed_networks=LOOPBACK_ONLY)
    assert fetched.outcome == Outcome.REFUSED
    assert fetched.final_url == "http://169.254.169.254/latest/meta-data/"
    assert fetched.redirects == [{"url": source_site.url("/to-metadata"), "status": 302}]
    assert connections == ["127.0.0.1"]


def test_redirects_are_followed_and_recorded(source_site):
    fetched = fetch(source_site.url("/moved"), allowed_networks=LOOPBACK_ONLY)
    assert (fetched.outcome, fetched.final_url) == (
        Outcome.OK,
        source_site.url("/nieuws/ez-ai-fabriek.html"),
    )
    assert fetched.redirects == [{"url": source_site.url("/moved"), "status": 301}]


def test_too_many_redirects_end_the_fetch(source_site):
    fetched = fetch(source_site.url("/moved"), allowed_networks=LOOPBACK_ONLY, max_redirects=0)
    assert (fetched.outcome, fetched.detail) == (Outcome.UNAVAILABLE, "more than 0 redirects")


def test_a_slow_page_times_out(source_site):
    started = time.monotonic()
    fetched = fetch(source_site.url("/slow"), allowed_networks=LOOPBACK_ONLY, timeout=0.5)
    assert (fetched.outcome, fetched.detail) == (Outcome.TIMEOUT, "no answer within 0.5 s")
    assert time.monotonic() - started < 2


def test_reading_stops_at_the_size_limit(source_site):
    fetched = fetch(source_site.url("/huge"), allowed_networks=LOOPBACK_ONLY, max_bytes=1_000_000)
    assert fetched.outcome == Outcome.TOO_LARGE
    assert fetched.body == b""
    # The server could write into the socket buffers, but nowhere near the 50 MB.
    time.sleep(0.2)
    assert source_site.huge_sent < HUGE_BYTES / 5


def test_it_pauses_between_two_requests_to_one_host(source_site):
    slept = []
    fetcher = Fetcher(policy(allowed_networks=LOOPBACK_ONLY, pause=5), sleep=slept.append)
    fetcher.fetch(source_site.url("/ez.html"))
    fetcher.fetch(source_site.url("/defensie.txt"))
    assert len(slept) == 1
    assert 4 < slept[0] <= 5


def test_an_unknown_host_is_unavailable(monkeypatch, connections):
    def no_network(*args, **kwargs):
        raise socket.gaierror(socket.EAI_AGAIN, "Temporary failure in name resolution")

    monkeypatch.setattr(socket, "getaddrinfo", no_network)
    fetched = fetch("https://www.rijksoverheid.nl/actueel/nieuws")
    assert fetched.outcome == Outcome.UNAVAILABLE
    assert "www.rijksoverheid.nl cannot be resolved" in fetched.detail
    assert connections == []


@pytest.mark.parametrize(
    ("address", "allowed"),
    [("93.184.216.34", True), ("127.0.0.1", False), ("169.254.169.254", False), ("fd00::1", False)],
)
def test_only_public_addresses_are_allowed_by_default(address, allowed):
    assert address_allowed(address, policy()) is allowed


def test_the_private_switch_allows_private_networks_but_not_multicast():
    assert address_allowed("10.0.0.1", policy(allow_private=True)) is True
    assert address_allowed("224.0.0.1", policy(allow_private=True)) is False
