"""A second factor is set up, replaced or completed only after a code from the device one has.

A funding admin's password alone must never be enough to swap the authenticator app and so
open the admin. The walk covers every address of signing in and of two-factor, found in the
URLconf, so an address added later is covered without touching this file.
"""

import re
from base64 import b32decode

import pytest
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import SignInEvent
from tests.support.pages import address_in
from tests.support.urlconf import all_routes
from tests.support.users import PASSWORD

SECRET_KEY_IN_SESSION = "django_two_factor-qr_secret_key"
# What a set-up would leave behind in the audit.
CHANGE_EVENTS = ["two_factor_set_up", "second_factor_replaced", "recovery_codes_created"]


@pytest.fixture(autouse=True)
def require_two_factor(settings):
    settings.ADMIN_REQUIRE_2FA = True


@pytest.fixture
def totp_device(funding_admin):
    return TOTPDevice.objects.create(user=funding_admin, name="phone", confirmed=True)


def password_only(client=None):
    """Signed in with the password; no code given in this session."""
    client = client or Client()
    response = client.post("/accounts/login/", {"username": "controller", "password": PASSWORD})
    assert response.status_code == 302
    return client


def code_for(device) -> str:
    return f"{totp(device.bin_key):06d}"


def view_module(route) -> str:
    return getattr(route.callback, "view_class", route.callback).__module__


def sign_in_routes():
    """Every address of signing in, signing out and two-factor, wherever it is included."""
    return [
        route
        for route in all_routes()
        if route.pattern.startswith("accounts/")
        or view_module(route).startswith(("accounts.", "two_factor."))
        or route.name in {"admin:login", "admin:logout"}
    ]


def sample_address(route) -> str:
    path = re.sub(r"<int:\w+>", "1", route.pattern)
    path = re.sub(r"<(?:str|slug|path|uuid):\w+>", "x", path)
    if re.search(r"[<(^$]", path):
        raise ValueError(f"no sample address for {route.pattern!r}: teach sample_address")
    return "/" + path


def wizard_steps(secret: str | None):
    """Form data a set-up wizard would take, the generator step with a valid code for the key."""
    key = b32decode(secret) if secret else b"attacker's own key!!"
    return [
        {"setup_view-current_step": "welcome", "next": "/admin/"},
        {"setup_view-current_step": "method", "method-method": "generator"},
        {"setup_view-current_step": "generator", "generator-token": f"{totp(key):06d}"},
        {"next": "/admin/"},
    ]


def try_every_way(client, address) -> str | None:
    """GET, then POST each wizard step; return a set-up secret if one was ever handed out."""
    seen = None
    client.get(address)
    for step in range(len(wizard_steps(None))):
        seen = seen or client.session.get(SECRET_KEY_IN_SESSION)
        client.post(address, wizard_steps(seen)[step])
    return seen or client.session.get(SECRET_KEY_IN_SESSION)


def test_the_walk_finds_the_set_up_pages():
    patterns = {route.pattern for route in sign_in_routes()}
    assert {
        "accounts/login/",
        "accounts/logout/",
        "accounts/two-factor/",
        "accounts/two-factor/setup/",
        "accounts/two-factor/setup/qr/",
        "accounts/two-factor/setup/complete/",
        "accounts/two-factor/recovery-codes/",
        "admin/login/",
    } <= patterns


@pytest.mark.parametrize("route", sign_in_routes(), ids=lambda route: route.pattern)
def test_no_sign_in_page_changes_a_second_factor_on_the_password_alone(
    funding_admin, totp_device, route
):
    client = password_only()
    secret = try_every_way(client, sample_address(route))

    assert secret is None  # no new key was handed out
    assert list(TOTPDevice.objects.filter(user=funding_admin)) == [totp_device]
    assert not StaticDevice.objects.filter(user=funding_admin).exists()
    assert not SignInEvent.objects.filter(kind__in=CHANGE_EVENTS).exists()
    admin = client.get("/admin/")
    assert admin.status_code == 302
    assert admin["Location"] != "/admin/"


@pytest.mark.parametrize(
    "path",
    [
        "/accounts/two-factor/setup/",
        "/accounts/two-factor/setup/qr/",
        "/accounts/two-factor/setup/complete/",
        "/accounts/two-factor/recovery-codes/",
    ],
)
def test_a_set_up_page_asks_a_password_only_session_for_its_code(totp_device, path):
    client = password_only()
    for response in (client.get(path), client.post(path, {"setup_view-current_step": "welcome"})):
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/two-factor/?next=")


def test_the_reported_replacement_by_password_is_refused(client, funding_admin, totp_device):
    password_only(client)
    welcome = client.post("/accounts/two-factor/setup/", {"setup_view-current_step": "welcome"})
    assert welcome["Location"] == "/accounts/two-factor/?next=%2Faccounts%2Ftwo-factor%2Fsetup%2F"
    assert SECRET_KEY_IN_SESSION not in client.session
    attempt = client.post(
        "/accounts/two-factor/setup/",
        {"setup_view-current_step": "generator", "generator-token": "123456"},
    )
    assert attempt.status_code == 302
    assert TOTPDevice.objects.filter(user=funding_admin).count() == 1
    assert client.get("/admin/").status_code == 302


def set_up_app(client) -> TOTPDevice:
    """Walk the set-up wizard to its end with the key it shows."""
    assert client.get("/accounts/two-factor/setup/").status_code == 200
    client.post("/accounts/two-factor/setup/", {"setup_view-current_step": "welcome"})
    key = b32decode(client.session[SECRET_KEY_IN_SESSION])
    done = client.post(
        "/accounts/two-factor/setup/",
        {"setup_view-current_step": "generator", "generator-token": f"{totp(key):06d}"},
    )
    assert done["Location"] == "/accounts/two-factor/setup/complete/"
    return TOTPDevice.objects.get(key=key.hex())


def test_after_a_code_the_app_is_replaced_and_recorded(client, funding_admin, totp_device):
    recovery = StaticDevice.objects.create(user=funding_admin, name="backup")
    recovery.token_set.create(token="r3covery1")
    password_only(client)
    asked = client.get("/accounts/two-factor/setup/")
    assert client.post(asked["Location"], {"code": code_for(totp_device)}).status_code == 302
    page = client.get(address_in("/accounts/two-factor/setup/", "en"))
    assert "The app you set up now replaces it" in page.content.decode()

    new_device = set_up_app(client)

    assert list(TOTPDevice.objects.filter(user=funding_admin)) == [new_device]
    assert StaticToken.objects.filter(device__user=funding_admin).count() == 1
    replaced = SignInEvent.objects.get(kind="second_factor_replaced")
    assert (replaced.user, replaced.detail) == (funding_admin, "authenticator app; removed: phone")
    assert not SignInEvent.objects.filter(kind="two_factor_set_up").exists()
    assert client.get("/admin/").status_code == 200


def test_a_first_set_up_is_recorded_as_set_up_not_replaced(client, funding_admin):
    password_only(client)
    set_up_app(client)
    assert SignInEvent.objects.get(kind="two_factor_set_up").detail == "authenticator app"
    assert not SignInEvent.objects.filter(kind="second_factor_replaced").exists()


def test_recovery_codes_alone_also_ask_for_a_code_before_an_app(client, funding_admin):
    recovery = StaticDevice.objects.create(user=funding_admin, name="backup")
    recovery.token_set.create(token="r3covery1")
    password_only(client)
    assert client.get("/accounts/two-factor/setup/").status_code == 302
    client.post("/accounts/two-factor/", {"code": "r3covery1"})
    set_up_app(client)
    replaced = SignInEvent.objects.get(kind="second_factor_replaced")
    assert replaced.detail == "authenticator app; removed: none (recovery codes only)"
