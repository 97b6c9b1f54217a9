"""Wrong authenticator codes are limited per user: signing in again, from the same address or
another, does not buy more guesses; a right code starts the count again."""

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.db import connection
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import SignInEvent
from funding.permissions import FUNDING_ADMINS
from tests.support.users import PASSWORD, make_user, restore_groups

SITE = "/accounts/login/"
VERIFY = "/accounts/two-factor/"
WRONG = "123456"
# One round of the guessing: the password (a 302 onwards), then four wrong codes, one fewer than
# LOCKOUT_FAILURES, so that no round reaches the limit on its own. At the fifth wrong code the
# session ends (429); the rest of that round and every later round meet a locked code step (429),
# or no session at all (302 to the sign-in page).
ROUNDS = 6
LOCKED_ROUND = [302, 429, 302, 302, 302]
EXPECTED = [302, 200, 200, 200, 200] + LOCKED_ROUND * (ROUNDS - 1)


@pytest.fixture(autouse=True)
def no_device_throttle(settings):
    # django-otp refuses every code for a while after a wrong one (doubling each time); here
    # the app's own limit is tested, so a right code after wrong ones must be checked.
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    settings.OTP_STATIC_THROTTLE_FACTOR = 0


@pytest.fixture
def device(funding_admin):
    return TOTPDevice.objects.create(user=funding_admin, name="phone", confirmed=True)


def guess_round(client, **extra) -> list[int]:
    """Sign in with the password, then try four wrong codes."""
    signed_in = client.post(SITE, {"username": "controller", "password": PASSWORD}, **extra)
    codes = [client.post(VERIFY, {"code": WRONG}, **extra).status_code for _ in range(4)]
    return [signed_in.status_code, *codes]


def code_failures() -> int:
    return SignInEvent.objects.filter(kind="two_factor_failed").count()


def test_signing_in_again_does_not_restart_the_count_of_wrong_codes(client, device):
    answers = [status for _ in range(ROUNDS) for status in guess_round(client)]
    assert answers == EXPECTED
    assert code_failures() == 5


def test_another_address_for_each_round_does_not_restart_it_either(client, device):
    # Behind the trusted proxy (loopback) each round comes from another client address.
    answers = [
        status
        for number in range(ROUNDS)
        for status in guess_round(client, HTTP_X_FORWARDED_FOR=f"198.51.100.{number}")
    ]
    assert answers == EXPECTED
    assert code_failures() == 5


def test_a_right_code_is_refused_too_while_the_code_step_is_locked(device):
    for number in range(2):
        guess_round(Client(), HTTP_X_FORWARDED_FOR=f"198.51.100.{number}")
    fresh = Client()
    extra = {"HTTP_X_FORWARDED_FOR": "203.0.113.9"}
    signed_in = fresh.post(SITE, {"username": "controller", "password": PASSWORD}, **extra)
    assert signed_in.status_code == 302
    locked = fresh.post(VERIFY, {"code": f"{totp(device.bin_key):06d}"}, **extra)
    assert locked.status_code == 429
    assert "Inloggen is gepauzeerd" in locked.content.decode()
    assert "_auth_user_id" not in fresh.session
    assert SignInEvent.objects.filter(kind="two_factor_passed").count() == 0


def test_the_code_step_answers_the_locked_page_on_get_too(client, device):
    guess_round(client)
    guess_round(client)
    client.post(SITE, {"username": "controller", "password": PASSWORD})
    assert client.get(f"{VERIFY}?next=/admin/").status_code == 429
    assert "_auth_user_id" not in client.session


def test_the_user_lock_is_recorded_once_in_the_audit(client, device):
    for number in range(3):
        guess_round(client, HTTP_X_FORWARDED_FOR=f"198.51.100.{number}")
    locked = SignInEvent.objects.filter(kind="locked_out")
    assert list(locked.values_list("username", "address", "detail")) == [
        ("controller", "198.51.100.1", "wrong codes for this user from every address")
    ]


def test_a_right_code_starts_the_count_again(client, device):
    assert guess_round(client) == [302, 200, 200, 200, 200]
    assert client.post(VERIFY, {"code": f"{totp(device.bin_key):06d}"}).status_code == 302
    client.post("/accounts/logout/")
    assert guess_round(client) == [302, 200, 200, 200, 200]
    assert client.post(VERIFY, {"code": WRONG}).status_code == 429


def test_a_recovery_code_starts_the_count_again(client, funding_admin, device):
    backup = StaticDevice.objects.create(user=funding_admin, name="backup")
    backup.token_set.create(token="r3covery1")
    guess_round(client)
    assert client.post(VERIFY, {"code": "r3covery1"}).status_code == 302
    client.post("/accounts/logout/")
    assert guess_round(client) == [302, 200, 200, 200, 200]


def test_the_limit_is_lockout_failures_in_lockout_minutes(client, device, settings):
    settings.AXES_FAILURE_LIMIT = 3
    signed_in = client.post(SITE, {"username": "controller", "password": PASSWORD})
    answers = [client.post(VERIFY, {"code": WRONG}).status_code for _ in range(2)]
    client.post(SITE, {"username": "controller", "password": PASSWORD})
    answers.append(client.post(VERIFY, {"code": WRONG}).status_code)
    assert [signed_in.status_code, *answers] == [302, 200, 200, 429]


def test_wrong_codes_older_than_the_lockout_minutes_no_longer_count(client, device):
    for number in range(2):
        guess_round(client, HTTP_X_FORWARDED_FOR=f"198.51.100.{number}")
    SignInEvent.objects.update(at=SignInEvent.objects.earliest("at").at - timedelta(minutes=16))
    assert guess_round(client, HTTP_X_FORWARDED_FOR="198.51.100.7") == [302, 200, 200, 200, 200]


def test_lifting_the_lockout_in_the_admin_opens_the_code_step(client, device):
    for number in range(2):
        guess_round(client, HTTP_X_FORWARDED_FOR=f"198.51.100.{number}")
    # Another funding admin deletes the user name's entries in Axes -> Access attempts.
    colleague = Client()
    colleague.force_login(make_user("colleague", FUNDING_ADMINS, is_staff=True))
    for attempt in AccessAttempt.objects.filter(username="controller"):
        delete = f"/admin/axes/accessattempt/{attempt.pk}/delete/"
        assert colleague.post(delete, {"post": "yes"}).status_code == 302
    assert guess_round(client, HTTP_X_FORWARDED_FOR="198.51.100.7") == [302, 200, 200, 200, 200]


def test_another_user_is_not_locked(client, device, policy_staff):
    for number in range(2):
        guess_round(client, HTTP_X_FORWARDED_FOR=f"198.51.100.{number}")
    TOTPDevice.objects.create(user=policy_staff, name="phone", confirmed=True)
    other = Client()
    assert other.post(SITE, {"username": "policy", "password": PASSWORD}).status_code == 302
    assert other.post(VERIFY, {"code": WRONG}).status_code == 200


@pytest.mark.skipif(
    not connection.features.has_select_for_update, reason="SQLite serialises every write anyway"
)
def test_codes_sent_at_once_are_checked_one_at_a_time(transactional_db):
    # Sixteen sessions of one user send a wrong code at the same moment: each waits for the one
    # before, so the fifth locks the code step and no more than five are checked.
    restore_groups()  # an earlier transactional test's flush took them
    admin = make_user("controller", FUNDING_ADMINS, is_staff=True)
    TOTPDevice.objects.create(user=admin, name="phone", confirmed=True)
    sessions = [Client() for _ in range(16)]
    for number, session in enumerate(sessions):
        extra = {"HTTP_X_FORWARDED_FOR": f"198.51.100.{number}"}
        session.post(SITE, {"username": "controller", "password": PASSWORD}, **extra)
    barrier = threading.Barrier(len(sessions))

    def guess(number):
        barrier.wait()
        try:
            extra = {"HTTP_X_FORWARDED_FOR": f"198.51.100.{number}"}
            return sessions[number].post(VERIFY, {"code": WRONG}, **extra).status_code
        finally:
            connection.close()

    with ThreadPoolExecutor(len(sessions)) as pool:
        answers = sorted(pool.map(guess, range(len(sessions))))
    assert answers == [200] * 4 + [429] * 12
    assert code_failures() == 5
