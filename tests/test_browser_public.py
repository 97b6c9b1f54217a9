"""The public programme page as a person sees it, in Debian's chromium."""

import pytest

from tests.conftest import axe_violations

pytestmark = pytest.mark.browser
PAGE = "/programmes/ai-fabriek-groningen/"


@pytest.mark.parametrize("size", [(1280, 800), (390, 844)], ids=["desktop", "phone"])
def test_programme_page_renders_without_errors_or_serious_a11y_violations(
    live_aifabriek, browser_page, size
):
    page = browser_page(*size)
    page.goto(live_aifabriek.url + PAGE)
    assert page.locator("h1").inner_text() == "AI-fabriek Groningen"
    assert page.locator(".estimate").count() == 4
    assert axe_violations(page) == []
    assert page.console_errors == []
    # Nothing is wider than the screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= size[0]
