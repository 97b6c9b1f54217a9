"""The staff dashboards as a signed-in policy officer sees them, in Debian's chromium."""

import pytest

from funding.permissions import POLICY_STAFF
from tests.conftest import axe_violations, make_user, sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def policy_staff(live_aifabriek):
    return make_user("policy", POLICY_STAFF)


SIZES = pytest.mark.parametrize("size", [(1280, 800), (390, 844)], ids=["desktop", "phone"])


@SIZES
def test_dashboard_draws_its_charts_without_errors_or_serious_a11y_violations(
    live_aifabriek, policy_staff, browser_page, size
):
    page = browser_page(*size)
    sign_in(page, live_aifabriek.url, policy_staff.username)
    page.goto(live_aifabriek.url + "/dashboard/ai-fabriek-groningen/")
    for name in ["progress", "by-funder", "over-time"]:
        page.locator(f"#{name}-plot svg.main-svg").first.wait_for()
    assert page.locator("#by-funder-plot .bars path").count() > 0
    assert axe_violations(page) == []
    assert page.console_errors == []
    assert page.evaluate("document.documentElement.scrollWidth") <= size[0]


@SIZES
@pytest.mark.parametrize(
    "path", ["/dashboard/", "/dashboard/ai-fabriek-groningen/contributions/?sort=amount"]
)
def test_portfolio_and_table_pass_axe(live_aifabriek, policy_staff, browser_page, size, path):
    page = browser_page(*size)
    sign_in(page, live_aifabriek.url, policy_staff.username)
    page.goto(live_aifabriek.url + path)
    page.locator("table").first.wait_for()
    if path == "/dashboard/":
        page.locator("#comparison-plot svg.main-svg").first.wait_for()
    assert axe_violations(page) == []
    assert page.console_errors == []
    assert page.evaluate("document.documentElement.scrollWidth") <= size[0]


def test_signing_out_from_the_nav(live_aifabriek, policy_staff, browser_page):
    page = browser_page()
    sign_in(page, live_aifabriek.url, policy_staff.username)
    page.goto(live_aifabriek.url + "/dashboard/")
    page.get_by_role("button", name="Sign out policy").click()
    page.wait_for_url(live_aifabriek.url + "/")
    page.goto(live_aifabriek.url + "/dashboard/")
    assert "/accounts/login/" in page.url
