"""The English public page in Debian's chromium: English texts in the page's language, Dutch ones
(quotes, texts without an English version) marked lang="nl", axe-clean on desktop and phone."""

import pytest

from tests.support.browser import axe_violations
from tests.support.factories import ProgrammeFactory

pytestmark = pytest.mark.browser
PAGE = "/programmes/ai-fabriek-groningen/"
SIZES = {"desktop": (1280, 800), "phone": (390, 844)}

# The language a screen reader reads an element in: its own lang or its nearest ancestor's.
LANGUAGE_OF = "(element) => element.closest('[lang]').getAttribute('lang')"


def open_english(browser_page, url, size):
    # The browser prefers Dutch: the English address decides.
    page = browser_page(*SIZES[size], locale="nl-NL")
    assert page.goto(url).status == 200
    assert page.locator("html").get_attribute("lang") == "en"
    return page


@pytest.mark.parametrize("size", SIZES)
def test_english_programme_page_is_in_english_with_dutch_quotes_marked(
    live_aifabriek, browser_page, size
):
    page = open_english(browser_page, live_aifabriek.url + "/en" + PAGE, size)
    lead = page.locator("p.lead")
    assert lead.inner_text().startswith("A Dutch AI factory in Groningen")
    assert lead.get_attribute("lang") is None
    assert lead.evaluate(LANGUAGE_OF) == "en"
    assert page.locator("h1").inner_text() == "AI Factory Groningen"
    quotes = page.locator("blockquote")
    assert quotes.count() > 5
    assert set(quotes.evaluate_all("all => all.map(q => q.getAttribute('lang'))")) == {"nl"}
    assert axe_violations(page) == []
    assert page.console_errors == []
    assert page.evaluate("document.documentElement.scrollWidth") <= SIZES[size][0]


@pytest.mark.parametrize("size", SIZES)
def test_a_programme_without_english_text_shows_the_dutch_marked(
    live_aifabriek, browser_page, size
):
    ProgrammeFactory(slug="alleen-nl", name="Alleen Nederlands", description="Een beschrijving")
    page = open_english(browser_page, live_aifabriek.url + "/en/programmes/alleen-nl/", size)
    assert page.locator("h1").evaluate(LANGUAGE_OF) == "nl"
    assert page.locator("p.lead").evaluate(LANGUAGE_OF) == "nl"
    # The page's own words stay English.
    assert page.locator("#funding-heading").evaluate(LANGUAGE_OF) == "en"
    assert axe_violations(page) == []
