"""Five failed sign-ins for one user name from one address lock that pair for a while."""

import re

import pytest
from axes.models import AccessAttempt
from django.test import Client, RequestFactory

from accounts.models import SignInEvent
from aifabriek.ops.client_address import client_address, lockout_address
from tests.support.pages import address_in
from tests.support.users import PASSWORD

SITE = "/accounts/login/"
ADMIN = "/admin/login/"


def fail(client, path, username, times, **extra):
    responses = [
        client.post(path, {"username": username, "password": "wrong-password"}, **extra)
        for _ in range(times)
    ]
    return responses[-1]


def without_tokens(html: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


@pytest.mark.parametrize("path", [SITE, ADMIN])
def test_fifth_failure_locks_and_the_right_password_then_fails_too(client, funding_admin, path):
    assert fail(client, path, "controller", 4).status_code == 200
    assert fail(client, path, "controller", 1).status_code == 429
    response = client.post(path, {"username": "controller", "password": PASSWORD})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    assert client.get("/dashboard/").status_code == 302


def test_lockout_page_speaks_dutch_and_english(client, policy_staff):
    fail(client, SITE, "policy", 5)
    dutch = client.post(SITE, {"username": "policy", "password": PASSWORD})
    english = client.post(address_in(SITE, "en"), {"username": "policy", "password": PASSWORD})
    assert dutch.status_code == english.status_code == 429
    assert "Inloggen is gepauzeerd" in dutch.content.decode()
    assert "Probeer het over 15 minuten opnieuw." in dutch.content.decode()
    assert "Signing in is paused" in english.content.decode()
    assert "Try again in 15 minutes." in english.content.decode()


def test_unknown_user_name_gets_the_same_answer(client, policy_staff):
    fail(client, SITE, "policy", 5)
    fail(client, SITE, "nobody-by-this-name", 5)
    known = client.post(SITE, {"username": "policy", "password": "x"})
    unknown = client.post(SITE, {"username": "nobody-by-this-name", "password": "x"})
    assert known.status_code == unknown.status_code == 429
    assert without_tokens(known.content.decode()) == without_tokens(unknown.content.decode())
    assert "policy" not in known.content.decode()


def test_other_address_and_other_user_name_are_not_locked(client, policy_staff, funding_admin):
    fail(client, SITE, "policy", 5)
    elsewhere = Client(REMOTE_ADDR="192.0.2.10")
    assert elsewhere.post(SITE, {"username": "policy", "password": PASSWORD}).status_code == 302
    other_user = client.post(SITE, {"username": "controller", "password": PASSWORD})
    assert other_user.status_code == 302


def test_a_success_before_the_limit_starts_the_count_again(client, policy_staff):
    fail(client, SITE, "policy", 4)
    assert client.post(SITE, {"username": "policy", "password": PASSWORD}).status_code == 302
    client.logout()
    assert fail(client, SITE, "policy", 4).status_code == 200


def test_funding_admin_sees_and_lifts_a_lockout(client, policy_staff, funding_admin):
    fail(client, SITE, "policy", 5)
    attempt = AccessAttempt.objects.get(username="policy")

    admin = Client()
    admin.force_login(funding_admin)
    listing = admin.get("/admin/axes/accessattempt/")
    assert listing.status_code == 200
    assert "policy" in listing.content.decode()
    delete_url = f"/admin/axes/accessattempt/{attempt.pk}/delete/"
    assert admin.post(delete_url, {"post": "yes"}).status_code == 302

    assert client.post(SITE, {"username": "policy", "password": PASSWORD}).status_code == 302
    lifted = SignInEvent.objects.get(kind=SignInEvent.Kind.LOCKOUT_LIFTED)
    assert lifted.username == "policy"
    assert "lifted by controller" in lifted.detail


def test_policy_staff_cannot_see_lockouts(client, policy_staff):
    client.force_login(policy_staff)
    assert client.get("/admin/axes/accessattempt/").status_code == 302


def test_forwarded_address_is_ignored_unless_the_proxy_is_trusted(client, policy_staff, settings):
    # Believing nobody, a client cannot escape the lockout by inventing addresses.
    settings.TRUSTED_PROXY_IPS = ["192.0.2.0/24"]
    for number in range(5):
        client.post(
            SITE,
            {"username": "policy", "password": "wrong"},
            HTTP_X_FORWARDED_FOR=f"198.51.100.{number}",
        )
    response = client.post(
        SITE, {"username": "policy", "password": PASSWORD}, HTTP_X_FORWARDED_FOR="198.51.100.99"
    )
    assert response.status_code == 429


def test_trusted_proxy_names_the_client(client, policy_staff):
    # Behind nginx on the same machine (loopback is trusted by default) every request comes
    # from the proxy; the clients differ in X-Forwarded-For.
    fail(client, SITE, "policy", 5, HTTP_X_FORWARDED_FOR="198.51.100.7")
    locked = client.post(
        SITE, {"username": "policy", "password": PASSWORD}, HTTP_X_FORWARDED_FOR="198.51.100.7"
    )
    other = client.post(
        SITE, {"username": "policy", "password": PASSWORD}, HTTP_X_FORWARDED_FOR="198.51.100.8"
    )
    assert locked.status_code == 429
    assert other.status_code == 302
    assert AccessAttempt.objects.get().ip_address == "198.51.100.7"


@pytest.mark.parametrize(
    ("trusted", "forwarded", "expected"),
    [
        ([], "203.0.113.5", "127.0.0.1"),  # the peer is no trusted proxy: header ignored
        (["127.0.0.1"], "203.0.113.5", "203.0.113.5"),
        (["127.0.0.1"], "10.9.9.9, 203.0.113.5", "203.0.113.5"),  # the left one: the client's
        (["127.0.0.1", "10.0.0.0/8"], "203.0.113.5, 10.0.0.2", "203.0.113.5"),
        (["127.0.0.1", "10.0.0.0/8"], "10.0.0.3, 10.0.0.2", "10.0.0.3"),  # all proxies: leftmost
        (["127.0.0.1"], "not-an-address", "127.0.0.1"),
        # One spelling for one address: IPv4-mapped IPv6 is the IPv4 address, IPv6 is
        # compressed and lower-case, leading zeros go, a zone is dropped.
        (["127.0.0.1"], "::ffff:203.0.113.7", "203.0.113.7"),
        (["127.0.0.1"], "::FFFF:CB00:7107", "203.0.113.7"),
        (["127.0.0.1"], "2001:0DB8:0000:0000:0000:0000:0000:0001", "2001:db8::1"),
        (["127.0.0.1"], "203.000.113.007", "203.0.113.7"),
        (["127.0.0.1"], "::ffff:203.0.113.007", "203.0.113.7"),
        (["127.0.0.1"], "fe80::1%eth0", "fe80::1"),
        (["127.0.0.1"], "203.0.113.256", "127.0.0.1"),
        (["127.0.0.1"], "203.0.113.٧", "127.0.0.1"),
        # A trusted proxy written as IPv4-mapped IPv6 is still trusted, and a client behind it
        # written so is counted as the IPv4 client.
        (["127.0.0.1", "10.0.0.0/8"], "203.0.113.5, ::ffff:10.0.0.2", "203.0.113.5"),
        (["::ffff:10.0.0.0/104"], "203.0.113.5", "127.0.0.1"),  # loopback is not listed
        (["127.0.0.1", "::ffff:10.0.0.0/104"], "203.0.113.5, 10.0.0.2", "203.0.113.5"),
    ],
)
def test_client_address(settings, trusted, forwarded, expected):
    settings.TRUSTED_PROXY_IPS = trusted
    request = RequestFactory().get("/", HTTP_X_FORWARDED_FOR=forwarded)
    assert client_address(request) == expected


@pytest.mark.parametrize(
    ("remote", "expected"),
    [
        ("::ffff:127.0.0.1", "198.51.100.7"),  # a dual-stack socket's spelling of loopback
        ("::ffff:192.0.2.9", "192.0.2.9"),  # no proxy: the peer, as IPv4
        ("2001:DB8::0001", "2001:db8::1"),
        ("", None),
    ],
)
def test_the_connection_address_is_written_one_way_too(remote, expected):
    request = RequestFactory().get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert client_address(request) == expected


@pytest.mark.parametrize(
    ("forwarded", "expected"),
    [
        ("203.0.113.7", "203.0.113.7"),
        ("::ffff:203.0.113.7", "203.0.113.7"),
        ("2001:db8::1", "2001:db8::"),
        ("2001:db8:0:0:ffff:ffff:ffff:ffff", "2001:db8::"),
        ("2001:db8:0:1::1", "2001:db8:0:1::"),
    ],
)
def test_the_lockout_counts_an_ipv6_client_by_its_slash_64(forwarded, expected):
    request = RequestFactory().get("/", HTTP_X_FORWARDED_FOR=forwarded)
    assert lockout_address(request) == expected
