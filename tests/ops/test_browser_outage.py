"""The outage page as a visitor sees it in chromium: readable, in their language, no axe errors."""

import pytest
from django.db import OperationalError
from django.db.backends.base.base import BaseDatabaseWrapper

from aifabriek.ops import outage
from tests.support.browser import axe_violations
from tests.support.pages import address_in

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("locale, heading", [("nl-NL", "tijdelijk niet"), ("en-GB", "temporarily")])
def test_the_outage_page_passes_axe(live_server, browser_page, monkeypatch, locale, heading):
    monkeypatch.setattr(outage, "tracker", outage.OutageTracker())

    def unreachable(*args, **kwargs):
        raise OperationalError("connection refused")

    # Every connection, the live server's thread included.
    monkeypatch.setattr(BaseDatabaseWrapper, "cursor", unreachable)
    page = browser_page(locale=locale)
    response = page.goto(f"{live_server.url}{address_in('/', locale[:2])}")
    assert response.status == 503
    assert heading in page.locator("h1").inner_text()
    # Chromium reports the page's own 503; its styles and icon loaded.
    assert page.console_errors == [
        "Failed to load resource: the server responded with a status of 503 (Service Unavailable)"
    ]
    assert page.locator("footer").evaluate("e => getComputedStyle(e).backgroundColor") != (
        "rgba(0, 0, 0, 0)"
    )
    assert axe_violations(page) == []
