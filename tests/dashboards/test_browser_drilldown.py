"""Drill-down and scenarios in Debian's chromium: a figure clicked opens the rows that add up to
it, and the scenario and forecast sections pass axe in both languages and on a phone."""

import re
from decimal import Decimal

import pytest

from funding.models import Contribution, DecisionEstimate, Source
from funding.permissions import POLICY_STAFF
from tests.support.browser import axe_violations, sign_in_in_browser
from tests.support.pages import address_in
from tests.support.users import make_user

pytestmark = pytest.mark.browser
DASHBOARD = "/dashboard/ai-fabriek-groningen/"
SIZES = pytest.mark.parametrize("size", [(1280, 800), (390, 844)], ids=["desktop", "phone"])
LANGUAGES = pytest.mark.parametrize("locale", ["en-GB", "nl-NL"])


@pytest.fixture
def policy_staff(live_aifabriek):
    return make_user("policy", POLICY_STAFF)


@pytest.fixture
def dated_decision(live_aifabriek):
    """A source that dates the EU decision, so the forecast draws its chart."""
    return DecisionEstimate.objects.create(
        contribution=Contribution.objects.get(key="eu-cofinanciering"),
        precision="part",
        year=2026,
        period=3,
        source=Source.objects.first(),
    )


def euros(text: str) -> Decimal:
    """The amount a cell like "€70,000,000" or "€ 70.000.000" shows (whole euros here)."""
    return Decimal(re.sub(r"[^\d]", "", text) or "0")


def column_total(page, heading: str) -> Decimal:
    headings = [
        text.strip() for text in page.locator("table.contribution-table thead th").all_inner_texts()
    ]
    column = next(n for n, text in enumerate(headings) if text.startswith(heading))
    # Rows of contributions start with a header cell; the "no rows" row does not.
    rows = page.locator("table.contribution-table tbody tr:has(th)")
    cells = [rows.nth(n).locator("th, td").nth(column).inner_text() for n in range(rows.count())]
    return sum((euros(cell) for cell in cells), Decimal(0))


@pytest.mark.parametrize(
    "figure, column", [("committed", "Amount"), ("pending", "Amount"), ("disbursed", "Disbursed")]
)
def test_clicking_a_card_opens_the_rows_that_add_up_to_it(
    live_aifabriek, policy_staff, browser_page, figure, column
):
    page = browser_page()
    sign_in_in_browser(page, live_aifabriek.url, policy_staff.username)
    page.goto(live_aifabriek.url + address_in(DASHBOARD, "en"))
    card = page.locator("li.kpi", has=page.locator(f'a[data-figure="{figure}"]'))
    shown = euros(card.locator(".kpi__value").inner_text())
    link = card.locator("a.kpi__rows")
    count = re.search(r"(\d+) of (\d+) contributions", link.inner_text()).group(0)
    with page.expect_navigation():
        link.click()
    assert "/contributions/?" in page.url
    assert column_total(page, column) == shown
    assert page.locator(".filtered-rows__count").inner_text() == count
    assert axe_violations(page) == []


@SIZES
@LANGUAGES
def test_scenarios_and_forecast_pass_axe(
    live_aifabriek, policy_staff, dated_decision, browser_page, size, locale
):
    page = browser_page(*size, locale=locale)
    sign_in_in_browser(page, live_aifabriek.url, policy_staff.username)
    page.goto(live_aifabriek.url + address_in(DASHBOARD, locale[:2]))
    page.locator("#forecast-plot svg.main-svg").first.wait_for()
    # The shipped data has one pending request: its row, and no "all together" row.
    assert page.locator("table.scenario-table tbody tr").count() == 1
    assert axe_violations(page) == []
    assert page.console_errors == []
    assert page.evaluate("document.documentElement.scrollWidth") <= size[0]


@SIZES
@LANGUAGES
def test_the_dashboard_without_dated_decisions_passes_axe(
    live_aifabriek, policy_staff, browser_page, size, locale
):
    page = browser_page(*size, locale=locale)
    sign_in_in_browser(page, live_aifabriek.url, policy_staff.username)
    page.goto(live_aifabriek.url + address_in(DASHBOARD, locale[:2]))
    page.locator("#over-time-plot svg.main-svg").first.wait_for()
    assert page.locator("#forecast-plot").count() == 0
    assert page.locator("table.forecast-table").is_visible()
    assert axe_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= size[0]


@SIZES
@LANGUAGES
def test_the_public_scenario_sentence_passes_axe(live_aifabriek, browser_page, size, locale):
    page = browser_page(*size, locale=locale)
    page.goto(live_aifabriek.url + address_in("/programmes/ai-fabriek-groningen/", locale[:2]))
    sentence = page.locator("#scenarios").inner_text()
    assert ("€130 million" if locale == "en-GB" else "€ 130 miljoen") in sentence
    assert axe_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= size[0]
