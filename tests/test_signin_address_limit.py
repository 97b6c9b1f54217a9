"""Guesses at many user names from one address are stopped too (password spraying), at a limit
high enough that one office behind one address is not locked by its typos."""

from django.test import Client

from accounts.models import SignInEvent
from tests.conftest import PASSWORD, make_user

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
