"""Signed-in sessions end after 30 minutes without activity and after 12 hours in any case."""

import io
import re
import time

import pytest
from django.contrib.auth.models import User
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management import call_command

from accounts.models import SignInEvent
from accounts.sessions import LAST_ACTIVITY, SIGNED_IN_AT
from tests.support.users import PASSWORD


def sign_in(client, username="policy"):
    response = client.post("/accounts/login/", {"username": username, "password": PASSWORD})
    assert response.status_code == 302


def shift_session(client, **seconds_ago):
    session = client.session
    now = int(time.time())
    for key, ago in seconds_ago.items():
        session[key] = now - ago
    session.save()


def test_signing_in_starts_both_clocks(client, policy_staff):
    before = int(time.time())
    sign_in(client)
    assert before <= client.session[SIGNED_IN_AT] <= int(time.time())
    assert client.session[LAST_ACTIVITY] == client.session[SIGNED_IN_AT]


def test_half_an_hour_without_activity_signs_out(client, policy_staff):
    sign_in(client)
    shift_session(client, last_activity=30 * 60 + 1)
    response = client.get("/dashboard/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert "_auth_user_id" not in client.session
    assert SignInEvent.objects.filter(kind="session_expired", username="policy").count() == 1


def test_activity_within_the_idle_limit_keeps_the_session_and_moves_the_clock(client, policy_staff):
    sign_in(client)
    shift_session(client, last_activity=29 * 60)
    assert client.get("/dashboard/").status_code == 200
    assert int(time.time()) - client.session[LAST_ACTIVITY] < 5


def test_twelve_hours_after_sign_in_the_session_ends_however_active(client, policy_staff):
    sign_in(client)
    shift_session(client, signed_in_at=12 * 60 * 60 + 1, last_activity=10)
    assert client.get("/dashboard/").status_code == 302
    assert "_auth_user_id" not in client.session


def test_limits_come_from_the_settings(client, policy_staff, settings):
    settings.SESSION_IDLE_SECONDS = 60
    sign_in(client)
    shift_session(client, last_activity=61)
    assert client.get("/dashboard/").status_code == 302


@pytest.mark.parametrize("password", ["short-pw-11", "123456789012345", "password1234"])
def test_weak_passwords_are_refused(db, password):
    with pytest.raises(ValidationError):
        validate_password(password, User(username="someone"))


def test_demo_passwords_satisfy_the_validators(db, settings):
    settings.DEBUG = True
    out = io.StringIO()
    call_command("create_demo_users", stdout=out)
    passwords = dict(re.findall(r"^\s+(\w+)\s+\(.*\): password (\S+)$", out.getvalue(), re.M))
    assert set(passwords) == {"staff", "controller"}
    for username, password in passwords.items():
        user = User.objects.get(username=username)
        assert len(password) >= 12
        validate_password(password, user)
        assert user.check_password(password)
