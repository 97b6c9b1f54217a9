"""Signing in as a person does, in Debian's chromium: the organisation's account, two-factor
set-up and the lockout page, each checked with axe in Dutch and English."""

from base64 import b32decode

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.models import User
from django_otp.oath import totp

from funding.permissions import FUNDING_ADMINS, POLICY_STAFF
from tests.support.browser import axe_violations, sign_in_in_browser
from tests.support.oidc_provider import ADMIN_VALUE, POLICY_VALUE, set_claims
from tests.support.pages import address_in
from tests.support.users import make_user

pytestmark = pytest.mark.browser

LANGUAGES = pytest.mark.parametrize(
    ("locale", "words"),
    [("nl-NL", "Inloggen via uw organisatie"), ("en-GB", "Sign in with your organisation")],
    ids=["nl", "en"],
)


def sign_in_at_provider(page, subject):
    page.get_by_placeholder("sub").fill(subject)
    page.get_by_role("button", name="Authorize").click()
    page.wait_for_url("http://localhost:*/**")
    # The provider's own page asks the internet for its stylesheet; only our pages count.
    page.console_errors.clear()


@LANGUAGES
def test_organisation_account_signs_in_to_the_dashboard(
    live_aifabriek, sso, browser_page, locale, words
):
    subject = f"kim-{locale}@ez.example"
    set_claims(subject, groups=[POLICY_VALUE], preferred_username=f"kim-{locale}")
    page = browser_page(locale=locale)
    dashboard = live_aifabriek.url + address_in("/dashboard/", locale[:2])
    page.goto(dashboard)
    assert address_in("/accounts/login/", locale[:2]) in page.url
    assert axe_violations(page) == []
    page.get_by_role("link", name=words).click()
    sign_in_at_provider(page, subject)
    page.wait_for_url(dashboard)
    page.console_errors.clear()
    page.reload()
    assert page.locator("h1").count() == 1
    assert page.locator("header button", has_text=f"kim-{locale}").count() == 1
    user = User.objects.get(sso_identity__subject=subject)
    assert list(user.groups.values_list("name", flat=True)) == [POLICY_STAFF]
    assert page.console_errors == []


@pytest.mark.parametrize("locale", ["nl-NL", "en-GB"], ids=["nl", "en"])
def test_organisation_admin_sets_up_two_factor_then_reaches_the_admin(
    live_aifabriek, sso, browser_page, settings, locale
):
    settings.ADMIN_REQUIRE_2FA = True
    subject = f"lot-{locale}@ez.example"
    set_claims(subject, groups=[ADMIN_VALUE], preferred_username=f"lot-{locale}")
    page = browser_page(390, 844, locale=locale)
    page.goto(live_aifabriek.url + "/accounts/oidc/authenticate/?next=/admin/")
    sign_in_at_provider(page, subject)
    page.wait_for_url("**/accounts/two-factor/setup/?next=%2Fadmin%2F")
    page.console_errors.clear()
    assert User.objects.get(sso_identity__subject=subject).groups.get().name == FUNDING_ADMINS
    assert axe_violations(page) == []
    page.locator("main button[type=submit]").click()
    # The QR code is an image our server draws (SVG); it must load under the strict CSP.
    page.wait_for_function("() => document.querySelector('img.qr-code')?.naturalWidth > 0")
    assert axe_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    key = b32decode(page.locator("code.secret-key").inner_text())
    page.fill("#id_generator-token", f"{totp(key):06d}")
    page.locator("main button[type=submit]").click()
    page.wait_for_url("**/accounts/two-factor/setup/complete/**")
    assert axe_violations(page) == []
    page.locator("main a", has_text="codes").first.click()
    page.locator("main button[type=submit]").click()
    page.locator(".recovery-codes code").first.wait_for()
    assert page.locator(".recovery-codes code").count() == 10
    assert axe_violations(page) == []
    page.locator("main a[href='/admin/']").click()
    page.wait_for_url(live_aifabriek.url + "/admin/")
    assert page.locator("#site-name").count() == 1
    assert page.console_errors == []


@pytest.mark.parametrize(
    ("locale", "words"),
    [("nl-NL", "Inloggen is gepauzeerd"), ("en-GB", "Signing in is paused")],
    ids=["nl", "en"],
)
def test_lockout_page(live_aifabriek, browser_page, locale, words):
    make_user("policy", POLICY_STAFF)
    page = browser_page(390, 844, locale=locale)
    for _ in range(5):
        sign_in_in_browser(page, live_aifabriek.url, "policy", "wrong-password", locale[:2])
    assert AccessAttempt.objects.get().failures_since_start == 5
    assert page.locator("h1").inner_text() == words
    assert axe_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


@pytest.mark.parametrize("locale", ["nl-NL", "en-GB"], ids=["nl", "en"])
def test_code_page(live_aifabriek, browser_page, settings, locale):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    settings.ADMIN_REQUIRE_2FA = True
    # django-otp refuses every code for a second after a wrong one; a person takes longer than
    # that to type the next, the browser does not.
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    admin = make_user("controller", FUNDING_ADMINS, is_staff=True)
    device = TOTPDevice.objects.create(user=admin, name="phone", confirmed=True)
    page = browser_page(locale=locale)
    sign_in_in_browser(page, live_aifabriek.url, "controller")
    page.goto(live_aifabriek.url + "/admin/")
    page.wait_for_url("**/accounts/two-factor/?next=%2Fadmin%2F")
    assert axe_violations(page) == []
    page.fill("#id_code", "000000")
    page.locator("main button[type=submit]").click()
    assert page.locator("#id_code[aria-invalid=true]").count() == 1
    assert axe_violations(page) == []
    page.fill("#id_code", f"{totp(device.bin_key):06d}")
    page.locator("main button[type=submit]").click()
    page.wait_for_url(live_aifabriek.url + "/admin/")
