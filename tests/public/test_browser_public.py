"""The public pages as a person sees them, in Debian's chromium: both languages, desktop and phone.

Set SHOTS_DIR to keep a full-page screenshot of each page checked.
"""

import pytest

from tests.support.browser import LANGUAGES, SIZES, axe_violations, keep_screenshot
from tests.support.pages import address_in

pytestmark = pytest.mark.browser
PAGE = "/programmes/ai-fabriek-groningen/"
PAGES = {"home": "/", "programme": PAGE, "accessibility": "/toegankelijkheid/"}

# Tab through the page and record which links got focus and whether the focus was visible.
TAB_WALK = """
() => {
  const element = document.activeElement;
  const style = getComputedStyle(element);
  return {
    index: element.dataset.kbd === undefined ? null : Number(element.dataset.kbd),
    visible: style.outlineStyle !== 'none' || style.boxShadow !== 'none',
    tag: element.tagName,
  };
}
"""
NUMBER_LINKS = """
() => {
  const links = Array.from(document.querySelectorAll('a[href]'));
  links.forEach((link, index) => { link.dataset.kbd = index; });
  const focusable = document.querySelectorAll('a[href], button, input:not([type=hidden])');
  return [links.length, focusable.length];
}
"""


def open_page(browser_page, base_url, path, size, language):
    page = browser_page(*SIZES[size], locale=LANGUAGES[language])
    response = page.goto(base_url + address_in(path, language))
    assert response.status == 200
    return page


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("name", PAGES)
def test_public_page_renders_without_errors_or_serious_a11y_violations(
    live_aifabriek, browser_page, name, size, language
):
    page = open_page(browser_page, live_aifabriek.url, PAGES[name], size, language)
    assert page.locator("html").get_attribute("lang") == language
    assert page.locator("h1").count() == 1
    assert axe_violations(page) == []
    assert page.console_errors == []
    # Nothing is wider than the screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= SIZES[size][0]
    keep_screenshot(page, f"public-{name}-{language}-{size}")


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("size", SIZES)
def test_programme_page_shows_both_estimates_and_its_own_number_format(
    live_aifabriek, browser_page, size, language
):
    page = open_page(browser_page, live_aifabriek.url, PAGE, size, language)
    names = {"nl": "AI-fabriek Groningen", "en": "AI Factory Groningen"}
    assert page.locator("h1").inner_text() == names[language]
    assert page.locator(".estimate").count() == 4
    committed = page.locator(".kpi--committed .kpi__value").inner_text()
    assert committed == {"nl": "€ 130.000.000", "en": "€130,000,000"}[language]
    dates = page.locator(".estimate__date").all_inner_texts()
    assert (
        dates[-2:]
        == {"nl": ["eind 2026", "begin 2027"], "en": ["late 2026", "early 2027"]}[language]
    )


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("name", ["home", "programme"])
def test_keyboard_alone_reaches_every_link_with_visible_focus(
    live_aifabriek, browser_page, name, size, language
):
    page = open_page(browser_page, live_aifabriek.url, PAGES[name], size, language)
    links, focusable = page.evaluate(NUMBER_LINKS)
    reached, unseen = set(), []
    for _ in range(focusable + 3):
        page.keyboard.press("Tab")
        focus = page.evaluate(TAB_WALK)
        if focus["tag"] == "BODY":
            break  # the walk has left the page
        if focus["index"] is not None:
            reached.add(focus["index"])
        if not focus["visible"]:
            unseen.append(focus)
    assert reached == set(range(links))
    assert unseen == []


def test_skip_link_comes_first_and_moves_focus_to_the_content(live_aifabriek, browser_page):
    page = open_page(browser_page, live_aifabriek.url, PAGE, "phone", "nl")
    page.keyboard.press("Tab")
    skip = page.locator(".skip-link")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    assert skip.is_visible() and skip.bounding_box()["y"] >= 0
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_language_switch_turns_the_page_into_english(live_aifabriek, browser_page):
    page = open_page(browser_page, live_aifabriek.url, PAGE, "desktop", "nl")
    page.get_by_role("link", name="English", exact=True).click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator(".kpi--committed .kpi__value").inner_text() == "€130,000,000"
    assert (
        page.get_by_role("link", name="English", exact=True).get_attribute("aria-current") == "true"
    )
    assert page.url == live_aifabriek.url + "/en" + PAGE


@pytest.mark.parametrize("language", LANGUAGES)
def test_not_found_page_has_no_serious_a11y_violations(live_aifabriek, browser_page, language):
    page = browser_page(*SIZES["phone"], locale=LANGUAGES[language])
    assert page.goto(live_aifabriek.url + address_in("/programmes/nope/", language)).status == 404
    assert page.locator("html").get_attribute("lang") == language
    assert page.locator("h1").count() == 1
    assert axe_violations(page) == []
    # The browser reports the 404 status of the page itself; nothing else may fail.
    assert [error for error in page.console_errors if "404" not in error] == []
