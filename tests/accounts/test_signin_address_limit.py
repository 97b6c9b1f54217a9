"""Guesses at many user names from one address are stopped too (password spraying), at a limit
high enough that one office behind one address is not locked by its typos."""

from axes.models import AccessAttempt
from django.test import Client

from accounts.models import SignInEvent
from tests.support.users import PASSWORD, make_user

SITE = "/accounts/login/"
ADMIN = "/admin/login/"
NAMES = [f"person{number}" for number in range(10)]


def guess(client, username, path=SITE, **extra):
    return client.post(path, {"username": username, "password": "Winter2026!"}, **extra)


def spray(client, rounds, names=NAMES, **extra):
    """Each name once per round, as a sprayer does: a few guesses at many accounts."""
    return [guess(client, name, **extra).status_code for _ in range(rounds) for name in names]


def test_forty_guesses_over_ten_user_names_are_stopped_at_the_twentieth(client, policy_staff):
    answers = spray(client, 4)
    assert answers == [200] * 19 + [429] * 21
    # Every account from that address waits, the right password included; the page is the one
    # of the user name and address lockout.
    locked = client.post(SITE, {"username": "policy", "password": PASSWORD})
    assert locked.status_code == 429
    assert "Inloggen is gepauzeerd" in locked.content.decode()
    assert "_auth_user_id" not in client.session


def test_another_address_is_not_stopped(client, policy_staff):
    spray(client, 2)
    elsewhere = Client(REMOTE_ADDR="192.0.2.10")
    assert elsewhere.post(SITE, {"username": "policy", "password": PASSWORD}).status_code == 302


def test_both_sign_in_pages_count_toward_the_address(client, db):
    for name in NAMES:
        guess(client, name, SITE)
        assert guess(client, name, ADMIN).status_code == (429 if name == NAMES[-1] else 200)


def test_the_address_limit_comes_from_the_settings(client, db, settings):
    settings.LOCKOUT_ADDRESS_FAILURES = 8
    assert spray(client, 2, NAMES[:4]) == [200] * 7 + [429]


def test_typos_followed_by_the_right_password_do_not_count(client, db):
    # An office behind one address: thirty typos, each person then signs in.
    for number in range(10):
        make_user(f"colleague{number}")
    for number in range(10):
        colleague = Client()
        for _ in range(3):
            assert guess(colleague, f"colleague{number}").status_code == 200
        signed_in = colleague.post(SITE, {"username": f"colleague{number}", "password": PASSWORD})
        assert signed_in.status_code == 302
    assert guess(client, "colleague0").status_code == 200


def test_the_forwarded_client_address_is_the_one_counted(client, policy_staff):
    spray(client, 2, HTTP_X_FORWARDED_FOR="198.51.100.7")
    same = client.post(
        SITE, {"username": "policy", "password": PASSWORD}, HTTP_X_FORWARDED_FOR="198.51.100.7"
    )
    other = client.post(
        SITE, {"username": "policy", "password": PASSWORD}, HTTP_X_FORWARDED_FOR="198.51.100.8"
    )
    assert (same.status_code, other.status_code) == (429, 302)


def test_the_audit_says_the_address_was_locked_for_every_user_name(client, db):
    spray(client, 2)
    locked = SignInEvent.objects.get(kind="locked_out")
    assert (locked.username, locked.detail) == ("person9", "every user name from this address")


def test_the_pair_lockout_says_nothing_of_the_address(client, db):
    for _ in range(5):
        guess(client, "person1")
    assert SignInEvent.objects.get(kind="locked_out").detail == ""


def test_variants_of_one_user_name_count_as_that_name(client, funding_admin):
    # The form normalises the name (surrounding spaces, compatibility characters) before
    # django-axes counts it.
    for variant in [
        "controller",
        " controller",
        "controller ",
        "ｃｏｎｔｒｏｌｌｅｒ",
        "controller",
    ]:
        guess(client, variant)
    response = client.post(SITE, {"username": "controller", "password": PASSWORD})
    assert response.status_code == 429


def test_an_ipv6_client_is_counted_by_its_slash_64(client, policy_staff):
    # One IPv6 client usually has a whole /64 to take addresses from.
    assert spray(client, 2, HTTP_X_FORWARDED_FOR="2001:db8::1")[-1] == 429
    for neighbour in ["2001:db8::2", "2001:db8::ffff:1", "2001:db8:0:0:1:2:3:4"]:
        response = client.post(
            SITE, {"username": "policy", "password": PASSWORD}, HTTP_X_FORWARDED_FOR=neighbour
        )
        assert response.status_code == 429, neighbour
    next_network = client.post(
        SITE, {"username": "policy", "password": PASSWORD}, HTTP_X_FORWARDED_FOR="2001:db8:0:1::1"
    )
    assert next_network.status_code == 302


def test_the_user_name_and_address_pair_counts_the_slash_64_too(client, policy_staff):
    for number in range(1, 6):
        guess(client, "policy", HTTP_X_FORWARDED_FOR=f"2001:db8::{number}")
    response = client.post(
        SITE, {"username": "policy", "password": PASSWORD}, HTTP_X_FORWARDED_FOR="2001:db8::99"
    )
    assert response.status_code == 429


def test_an_ipv4_client_written_as_ipv6_is_that_ipv4_client(client, policy_staff):
    spray(client, 1, HTTP_X_FORWARDED_FOR="::ffff:203.0.113.7")
    spray(client, 1, HTTP_X_FORWARDED_FOR="203.0.113.7")
    locked = client.post(
        SITE, {"username": "policy", "password": PASSWORD}, HTTP_X_FORWARDED_FOR="203.0.113.7"
    )
    # Another IPv4 client, also written as IPv6: not in the first one's /64 (::/64).
    other = client.post(
        SITE,
        {"username": "policy", "password": PASSWORD},
        HTTP_X_FORWARDED_FOR="::ffff:203.0.113.8",
    )
    assert (locked.status_code, other.status_code) == (429, 302)


def test_lockouts_count_the_slash_64_and_the_audit_keeps_the_address(client, db):
    guess(client, "person1", HTTP_X_FORWARDED_FOR="2001:0DB8:0000::0001")
    assert AccessAttempt.objects.get().ip_address == "2001:db8::"
    assert SignInEvent.objects.get().address == "2001:db8::1"


def test_lifting_an_ipv6_lockout_names_the_slash_64(client, funding_admin):
    spray(client, 2, HTTP_X_FORWARDED_FOR="2001:db8::1")
    admin = Client()
    admin.force_login(funding_admin)
    attempts = AccessAttempt.objects.filter(ip_address="2001:db8::")
    admin.post(
        "/admin/axes/accessattempt/",
        {"action": "delete_selected", "_selected_action": [a.pk for a in attempts], "post": "yes"},
    )
    assert not AccessAttempt.objects.exists()
    lifted = SignInEvent.objects.filter(kind="lockout_lifted").values_list("detail", flat=True)
    assert set(lifted) == {"lifted by controller for address 2001:db8::/64 after 2 failures"}
    assert guess(client, "policy", HTTP_X_FORWARDED_FOR="2001:db8::2").status_code == 200
