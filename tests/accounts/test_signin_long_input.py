"""Over-long or NUL-bearing input to any sign-in form is a form error, never a 500, and is kept
nowhere: the user name is bounded by the User model (150) before django-axes records anything.

Run on PostgreSQL too: SQLite keeps a string of any length in a varchar column, PostgreSQL
refuses it (the 500 this guards against).
"""

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.auth.models import User
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import SignInEvent, SsoIdentity
from tests.support.oidc_provider import sign_in_with_organisation
from tests.support.pages import address_in
from tests.support.users import PASSWORD

SIGN_IN_PAGES = ["/accounts/login/", "/admin/login/"]
BAD_VALUES = {
    "300 characters": "x" * 300,
    "10,000 characters": "x" * 10_000,
    "a NUL": "contr\x00oller",
    "only NULs": "\x00" * 300,
}
RECORDS = [AccessAttempt, AccessFailureLog, AccessLog, SignInEvent, TOTPDevice, User, SsoIdentity]


@pytest.fixture(autouse=True)
def require_two_factor(settings):
    settings.ADMIN_REQUIRE_2FA = True


def counts():
    return {model.__name__: model.objects.count() for model in RECORDS}


@pytest.mark.parametrize("path", SIGN_IN_PAGES)
@pytest.mark.parametrize("value", BAD_VALUES.values(), ids=BAD_VALUES.keys())
def test_a_user_name_the_user_model_cannot_hold_is_a_form_error(client, funding_admin, path, value):
    before = counts()
    # The sign-in page in English: by its address, and for the admin's by the browser's language.
    response = client.post(
        address_in(path, "en"),
        {"username": value, "password": PASSWORD},
        headers={"accept-language": "en"},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "at most 150 characters" in page or "Null characters are not allowed." in page
    assert counts() == before
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("path", SIGN_IN_PAGES)
def test_a_user_name_of_the_longest_allowed_length_is_still_checked(client, db, path):
    longest = "x" * 150
    response = client.post(path, {"username": longest, "password": "wrong-password"})
    assert response.status_code == 200
    assert AccessAttempt.objects.get().username == longest
    assert SignInEvent.objects.get(kind="failed").username == longest


def test_the_sign_in_page_tells_the_browser_the_limit(client, db):
    page = client.get("/accounts/login/").content.decode()
    assert 'autocomplete="username" maxlength="150" required' in page


@pytest.mark.parametrize("value", BAD_VALUES.values(), ids=BAD_VALUES.keys())
def test_the_code_field_refuses_bad_values_and_keeps_nothing(client, funding_admin, value):
    TOTPDevice.objects.create(user=funding_admin, name="phone", confirmed=True)
    client.post("/accounts/login/", {"username": "controller", "password": PASSWORD})
    before = counts()
    response = client.post(
        address_in("/accounts/two-factor/", "en"), {"code": value, "next": value}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "at most 16 characters" in page or "Null characters are not allowed." in page
    assert counts() == before


@pytest.mark.parametrize("value", BAD_VALUES.values(), ids=BAD_VALUES.keys())
def test_the_set_up_fields_refuse_bad_values_and_keep_nothing(client, funding_admin, value):
    client.post("/accounts/login/", {"username": "controller", "password": PASSWORD})
    before = counts()
    setup = "/accounts/two-factor/setup/"
    answers = [
        client.get(setup, {"next": value}),
        client.post(setup, {"setup_view-current_step": "welcome", "next": value}),
        client.post(setup, {"setup_view-current_step": "generator", "generator-token": value}),
        client.post(setup, {"setup_view-current_step": value, "generator-token": value}),
    ]
    assert [response.status_code < 500 for response in answers] == [True] * 4
    assert counts() == before


@pytest.mark.parametrize("value", BAD_VALUES.values(), ids=BAD_VALUES.keys())
def test_the_single_sign_on_addresses_refuse_bad_values_and_keep_nothing(client, db, sso, value):
    before = counts()
    callback = "/accounts/oidc/callback/"
    assert client.get(callback, {"code": value, "state": value}).status_code == 302
    assert client.get(callback, {"error": value}).status_code == 302
    assert client.get("/accounts/oidc/authenticate/", {"next": value}).status_code == 302
    # With a sign-in under way (a state in the session), a state that does not match is refused.
    assert client.get(callback, {"code": value, "state": value}).status_code == 400
    assert counts() == before


def test_over_long_or_nul_claims_from_the_provider_are_cut_to_fit(client, db, sso):
    response = sign_in_with_organisation(
        client,
        "long-claims",
        preferred_username="p" * 300,
        email="e" * 300 + "@ez.example",
        given_name="Anna\x00" + "g" * 300,
        family_name="f" * 10_000,
    )
    assert response.status_code == 302
    user = User.objects.get(sso_identity__subject="long-claims")
    assert (user.username, user.email) == ("p" * 140, "e" * 150)
    assert (user.first_name, user.last_name) == ("Anna" + "g" * 146, "f" * 150)


def test_a_subject_the_identity_cannot_hold_is_a_failed_sign_in(client, db, sso):
    response = sign_in_with_organisation(client, "s" * 300)
    assert response["Location"] == "/accounts/login/?sso=failed"
    assert not User.objects.exists()
    assert SignInEvent.objects.get().kind == "failed"
