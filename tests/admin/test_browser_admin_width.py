"""The change pages with tabular inlines fit a 1280 px wide window, without sideways scrolling."""

import pytest

from funding.models import Contribution, Programme
from tests.support.browser import sign_in_to_admin

pytestmark = pytest.mark.browser
SHOTS = "/work/shots"


def widest(page):
    """The page's width and, to explain a failure, the elements that reach furthest right."""
    return page.evaluate(
        """() => {
            const reach = [...document.querySelectorAll('body *')]
                .map(e => [Math.round(e.getBoundingClientRect().right), e.tagName, e.className])
                .sort((a, b) => b[0] - a[0]).slice(0, 5);
            return [document.documentElement.scrollWidth, reach];
        }"""
    )


@pytest.mark.parametrize("locale", ["en-GB", "nl-NL"])
def test_change_pages_with_inlines_fit_1280_pixels(
    live_aifabriek, browser_page, funding_admin, locale
):
    base_url = live_aifabriek.url
    pages = {
        "contribution": Contribution.objects.get(key="eu-cofinanciering"),
        "programme": Programme.objects.get(slug="ai-fabriek-groningen"),
    }
    page = browser_page(width=1280, height=800, locale=locale)
    sign_in_to_admin(page, base_url, funding_admin.username)
    widths = {}
    for name, obj in pages.items():
        page.goto(f"{base_url}/admin/funding/{name}/{obj.pk}/change/")
        page.screenshot(path=f"{SHOTS}/fix7-{name}-{locale}.png", full_page=True)
        widths[name] = widest(page)
    assert {name: width for name, (width, _) in widths.items() if width > 1280} == {}, widths
    assert page.console_errors == []
