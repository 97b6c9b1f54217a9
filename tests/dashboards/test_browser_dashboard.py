"""The staff dashboards as a signed-in policy officer sees them, in Debian's chromium."""

import pytest

from funding.permissions import POLICY_STAFF
from tests.support.browser import axe_violations, sign_in_in_browser
from tests.support.users import make_user

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
    sign_in_in_browser(page, live_aifabriek.url, policy_staff.username)
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
    sign_in_in_browser(page, live_aifabriek.url, policy_staff.username)
    page.goto(live_aifabriek.url + path)
    page.locator("table").first.wait_for()
    if path == "/dashboard/":
        page.locator("#comparison-plot svg.main-svg").first.wait_for()
    assert axe_violations(page) == []
    assert page.console_errors == []
    assert page.evaluate("document.documentElement.scrollWidth") <= size[0]


def test_signing_out_from_the_nav(live_aifabriek, policy_staff, browser_page):
    page = browser_page()
    sign_in_in_browser(page, live_aifabriek.url, policy_staff.username)
    page.goto(live_aifabriek.url + "/en/dashboard/")
    page.get_by_role("button", name="Sign out policy").click()
    page.wait_for_url(live_aifabriek.url + "/en/")
    page.goto(live_aifabriek.url + "/en/dashboard/")
    assert "/en/accounts/login/" in page.url


def test_on_a_phone_the_funder_chart_keeps_its_axis_labels_level_and_whole(
    live_aifabriek, policy_staff, browser_page
):
    page = browser_page(390, 844)
    sign_in_in_browser(page, live_aifabriek.url, policy_staff.username)
    page.goto(live_aifabriek.url + "/en/dashboard/ai-fabriek-groningen/")
    page.locator("#by-funder-plot svg.main-svg").first.wait_for()
    ticks = page.locator("#by-funder-plot .xtick text")
    labels = ticks.all_text_contents()
    assert labels == ["€0", "€40M", "€80M"]  # every other one of €0, €20M … €80M
    for index in range(ticks.count()):
        assert "rotate" not in (ticks.nth(index).get_attribute("transform") or "")
    plot = page.locator("#by-funder-plot").bounding_box()
    for index in range(ticks.count()):
        box = ticks.nth(index).bounding_box()
        assert plot["x"] <= box["x"] and box["x"] + box["width"] <= plot["x"] + plot["width"]
        assert box["y"] + box["height"] <= plot["y"] + plot["height"]


def test_the_sign_out_button_looks_like_the_links_beside_it(
    live_aifabriek, policy_staff, browser_page
):
    page = browser_page()
    sign_in_in_browser(page, live_aifabriek.url, policy_staff.username)
    page.goto(live_aifabriek.url + "/en/dashboard/")
    button = page.get_by_role("button", name="Sign out policy")
    style = button.evaluate(
        "b => { const s = getComputedStyle(b); "
        "return [s.textDecorationLine, s.fontWeight, s.color]; }"
    )
    link = page.locator(".site-nav a").first.evaluate("a => getComputedStyle(a).color")
    assert style[0] == "underline" and style[1] == "400" and style[2] == link
