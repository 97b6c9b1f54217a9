"""The change log as a person reaches and reads it, in Debian's chromium: both languages,
desktop and phone. Set SHOTS_DIR to keep a full-page screenshot of each page checked."""

import pytest

from tests.support.browser import axe_violations, keep_screenshot
from tests.support.pages import address_in

pytestmark = pytest.mark.browser
PROGRAMME = "/programmes/ai-fabriek-groningen/"
CHANGES = PROGRAMME + "changes/"
SIZES = {"desktop": (1280, 800), "phone": (390, 844)}
LANGUAGES = {"nl": "nl-NL", "en": "en-GB"}
LINK_TEXT = {
    "nl": "Wat er veranderde, wanneer, en op wiens gezag",
    "en": "What changed, when, and on whose word",
}


@pytest.fixture
def decided(live_aifabriek):
    """The shipped data with the EU's decision recorded, so the log shows a before and after."""
    from datetime import date

    from funding.models import Programme, Source, StatusChange

    eu = Programme.objects.get(slug="ai-fabriek-groningen").contributions.get(
        key="eu-cofinanciering"
    )
    eu.status = "committed"
    eu.status_change = StatusChange(
        effective_on=date(2025, 11, 3), source=Source.objects.get(key="ez-ai-fabriek-200-miljoen")
    )
    eu.save()
    return live_aifabriek


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("size", SIZES)
def test_change_log_renders_without_errors_or_serious_a11y_violations(
    decided, browser_page, size, language
):
    page = browser_page(*SIZES[size], locale=LANGUAGES[language])
    assert page.goto(decided.url + address_in(CHANGES, language)).status == 200
    assert page.locator("html").get_attribute("lang") == language
    assert page.locator("h1").count() == 1
    assert page.locator("li.change").count() == 20
    assert axe_violations(page) == []
    assert page.console_errors == []
    assert page.evaluate("document.documentElement.scrollWidth") <= SIZES[size][0]
    keep_screenshot(page, f"changes-{language}-{size}")


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_person_clicks_from_the_programme_page_to_the_change_log(decided, browser_page, language):
    page = browser_page(*SIZES["phone"], locale=LANGUAGES[language])
    page.goto(decided.url + address_in(PROGRAMME, language))
    assert page.locator(".as-of time").get_attribute("datetime")
    with page.expect_navigation():
        page.get_by_role("link", name=LINK_TEXT[language]).click()
    assert page.url == decided.url + address_in(CHANGES, language)
    first = page.locator("li.change").first
    assert {"nl": "toegezegd", "en": "committed"}[language] in first.locator(
        ".change__after"
    ).inner_text()
    assert first.locator("time").first.get_attribute("datetime") == "2025-11-03"


def test_a_feed_entry_opens_at_its_entry_in_the_change_log(decided, browser_page):
    import xml.etree.ElementTree as ET

    from django.test import Client

    atom = "{http://www.w3.org/2005/Atom}"
    feed = ET.fromstring(Client().get(PROGRAMME + "feed/").content)
    link = feed.find(f"{atom}entry").find(f"{atom}link").get("href")
    page = browser_page(*SIZES["desktop"], locale=LANGUAGES["en"])
    page.goto(decided.url + link.removeprefix("http://testserver"))
    anchor = link.rpartition("=")[2]
    assert page.url == f"{decided.url}{CHANGES}#{anchor}"
    assert page.locator(f"#{anchor}").is_visible()
