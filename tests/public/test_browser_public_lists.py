"""Searching, sorting and paging the long public lists in Debian's chromium: both languages,
desktop and phone, with axe."""

import pytest

from tests.support.browser import LANGUAGES, SIZES, axe_violations, keep_screenshot
from tests.support.pages import address_in
from tests.support.scale import big_programme, many_programmes

pytestmark = pytest.mark.browser
WORDS = {
    "nl": {
        "search": "Naam bevat",
        "sort": "Sorteren op",
        "show": "Programma's tonen",
        "target_desc": "Doel, grootste eerst",
        "next": "Volgende pagina",
        "funder": "Naam van de financier bevat",
        "find": "Zoeken",
    },
    "en": {
        "search": "Name contains",
        "sort": "Sort by",
        "show": "Show programmes",
        "target_desc": "Target, largest first",
        "next": "Next page",
        "funder": "Funder name contains",
        "find": "Search",
    },
}


@pytest.fixture
def live_portfolio(live_aifabriek):
    many_programmes(60)
    big_programme(60)
    return live_aifabriek


def check_page(page, size):
    assert axe_violations(page) == []
    assert page.console_errors == []
    assert page.evaluate("document.documentElement.scrollWidth") <= SIZES[size][0]


def row_names(page, table):
    return page.locator(f"{table} tbody th").all_inner_texts()


# Each language once on a desktop and once on a phone, over the two tests (browser tests are slow).
@pytest.mark.parametrize("size, language", [("desktop", "nl"), ("phone", "en")])
def test_home_search_and_sort_by_label(live_portfolio, browser_page, size, language):
    words = WORDS[language]
    page = browser_page(*SIZES[size], locale=LANGUAGES[language])
    page.goto(live_portfolio.url + address_in("/", language))
    check_page(page, size)
    page.get_by_label(words["search"]).fill("scale 0")
    page.get_by_label(words["sort"]).select_option(label=words["target_desc"])
    with page.expect_navigation():
        page.get_by_role("button", name=words["show"]).click()
    names = row_names(page, ".programme-table")
    assert names[:2] == ["Scale 059", "Scale 058"]
    assert len(names) == 50
    with page.expect_navigation():
        page.get_by_role("link", name=words["next"]).click()
    assert row_names(page, ".programme-table") == [f"Scale {n:03}" for n in range(9, -1, -1)]
    check_page(page, size)
    keep_screenshot(page, f"public-home-search-{language}-{size}")


@pytest.mark.parametrize("size, language", [("desktop", "en"), ("phone", "nl")])
def test_big_programme_totals_paging_and_funder_search(
    live_portfolio, browser_page, size, language
):
    words = WORDS[language]
    page = browser_page(*SIZES[size], locale=LANGUAGES[language])
    page.goto(live_portfolio.url + address_in("/programmes/scheme/", language))
    check_page(page, size)
    assert page.locator(".totals-table").count() == 2
    with page.expect_navigation():
        page.get_by_role("link", name=words["next"]).click()
    assert "page=2" in page.url
    page.get_by_label(words["funder"]).fill("Funder 07")
    with page.expect_navigation():
        page.get_by_role("button", name=words["find"], exact=True).click()
    funders = page.locator(".stack-table:not(.totals-table) tbody th").all_inner_texts()
    assert len(funders) == 2 and all(name.startswith("Funder 07") for name in funders)
    check_page(page, size)
    keep_screenshot(page, f"public-big-programme-{language}-{size}")
