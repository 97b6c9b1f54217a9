"""Funding admins give a second factor (TOTP or a recovery code) before any admin page."""

import re
from base64 import b32decode
from urllib.parse import quote

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import SignInEvent
from tests.support.users import PASSWORD

ADMIN_PAGES = ["/admin/", "/admin/funding/contribution/", "/admin/axes/accessattempt/"]


@pytest.fixture(autouse=True)
def require_two_factor(settings):
    settings.ADMIN_REQUIRE_2FA = True


def sign_in(client, username="controller", password=PASSWORD):
    response = client.post("/accounts/login/", {"username": username, "password": password})
    assert response.status_code == 302
    return response


def code_for(device) -> str:
    return f"{totp(device.bin_key):06d}"


@pytest.fixture
def totp_device(funding_admin):
    return TOTPDevice.objects.create(user=funding_admin, name="phone", confirmed=True)


@pytest.mark.parametrize("path", ADMIN_PAGES)
def test_admin_without_a_device_reaches_no_admin_page_but_the_set_up(client, funding_admin, path):
    sign_in(client)
    response = client.get(path, follow=True)
    assert response.redirect_chain[-1][0].startswith("/accounts/two-factor/setup/?next=")
    assert response.status_code == 200
    assert "Tweestapsverificatie instellen" in response.content.decode()


def test_setting_up_an_app_lets_the_admin_in(client, funding_admin):
    sign_in(client)
    setup = client.get("/accounts/two-factor/setup/?next=/admin/")
    assert setup.status_code == 200
    step = client.post(
        "/accounts/two-factor/setup/?next=/admin/", {"setup_view-current_step": "welcome"}
    )
    assert 'src="/accounts/two-factor/setup/qr/"' in step.content.decode()
    key = b32decode(client.session["django_two_factor-qr_secret_key"])
    assert client.get("/accounts/two-factor/setup/qr/")["Content-Type"].startswith("image/svg")

    wrong = client.post(
        "/accounts/two-factor/setup/?next=/admin/",
        {"setup_view-current_step": "generator", "generator-token": "000000"},
    )
    assert wrong.status_code == 200
    assert not TOTPDevice.objects.filter(user=funding_admin).exists()
    done = client.post(
        "/accounts/two-factor/setup/?next=/admin/",
        {"setup_view-current_step": "generator", "generator-token": f"{totp(key):06d}"},
    )
    assert done["Location"] == "/accounts/two-factor/setup/complete/?next=%2Fadmin%2F"
    assert TOTPDevice.objects.get(user=funding_admin).confirmed
    assert client.get("/admin/").status_code == 200
    assert SignInEvent.objects.filter(kind="two_factor_set_up", user=funding_admin).exists()

    codes = client.post("/accounts/two-factor/recovery-codes/", {"next": "/admin/"})
    page = client.get(codes["Location"])
    assert len(re.findall(r"<li><code>\w+</code></li>", page.content.decode())) == 10


def test_admin_with_a_device_is_asked_for_a_code_and_a_right_one_lets_in(client, totp_device):
    sign_in(client)
    asked = client.get("/admin/funding/contribution/", follow=True)
    assert asked.redirect_chain[-1][0] == (
        "/accounts/two-factor/?next=%2Fadmin%2Ffunding%2Fcontribution%2F"
    )
    assert client.get("/accounts/two-factor/?next=/admin/").status_code == 200
    response = client.post(
        "/accounts/two-factor/", {"code": code_for(totp_device), "next": "/admin/funding/"}
    )
    assert response["Location"] == "/admin/funding/"
    assert client.get("/admin/funding/contribution/").status_code == 200
    passed = SignInEvent.objects.get(kind="two_factor_passed")
    assert passed.detail == "authenticator app"


def test_admin_sign_in_page_leads_to_the_code_too(client, totp_device):
    response = client.post(
        "/admin/login/?next=/admin/",
        {"username": "controller", "password": PASSWORD, "next": "/admin/"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == "/accounts/two-factor/?next=%2Fadmin%2F"


def test_a_recovery_code_works_once(client, funding_admin, totp_device):
    backup = StaticDevice.objects.create(user=funding_admin, name="backup")
    backup.token_set.create(token="r3covery1")
    sign_in(client)
    assert client.post("/accounts/two-factor/", {"code": "r3covery1"}).status_code == 302
    assert client.get("/admin/").status_code == 200
    assert SignInEvent.objects.get(kind="two_factor_passed").detail == "recovery code"

    client.post("/accounts/logout/")
    sign_in(client)
    again = client.post("/accounts/two-factor/", {"code": "r3covery1"})
    assert again.status_code == 200
    assert "Deze code is niet geldig" in again.content.decode()
    assert client.get("/admin/").status_code == 302


def test_wrong_codes_count_toward_the_lockout(client, totp_device):
    sign_in(client)
    for _ in range(4):
        assert client.post("/accounts/two-factor/", {"code": "123456"}).status_code == 200
    locked = client.post("/accounts/two-factor/", {"code": "123456"})
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session  # the half-signed-in session has ended
    again = client.post("/accounts/login/", {"username": "controller", "password": PASSWORD})
    assert again.status_code == 429
    assert SignInEvent.objects.filter(kind="two_factor_failed").count() == 5


def test_a_code_is_not_asked_where_the_setting_is_off(client, funding_admin, settings):
    settings.ADMIN_REQUIRE_2FA = False
    sign_in(client)
    assert client.get("/admin/").status_code == 200


def test_policy_staff_need_no_code_for_the_dashboards(client, policy_staff):
    sign_in(client, "policy")
    assert client.get("/dashboard/").status_code == 200


def test_policy_staff_need_a_code_where_the_setting_says_so(client, policy_staff, settings):
    settings.STAFF_REQUIRE_2FA = True
    sign_in(client, "policy")
    response = client.get("/dashboard/")
    assert response["Location"] == "/accounts/two-factor/setup/?next=%2Fdashboard%2F"


@pytest.mark.parametrize(
    "path",
    [
        "/dashboard/",
        "/dashboard/ai-fabriek-groningen/",
        "/dashboard/ai-fabriek-groningen/contributions/",
    ],
)
def test_funding_admins_need_a_code_for_the_dashboards_where_staff_do(
    client, aifabriek, funding_admin, settings, path
):
    settings.STAFF_REQUIRE_2FA = True
    sign_in(client)
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/two-factor/setup/?next={quote(path, safe='')}"


def test_funding_admins_need_their_code_for_the_dashboards_too(client, aifabriek, totp_device):
    # The dashboards show the records the admin shows: the admin's code is asked for both.
    sign_in(client)
    response = client.get("/dashboard/ai-fabriek-groningen/contributions/?export=csv")
    assert response["Location"] == (
        "/accounts/two-factor/?next=%2Fdashboard%2Fai-fabriek-groningen%2Fcontributions%2F"
        "%3Fexport%3Dcsv"
    )
    client.post("/accounts/two-factor/", {"code": code_for(totp_device)})
    assert client.get("/dashboard/ai-fabriek-groningen/").status_code == 200
