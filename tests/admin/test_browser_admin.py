"""A controller commits the EU contribution in the admin, sees the totals move, and reverts."""

import pytest

from funding.models import Contribution, Source
from tests.support.browser import axe_violations, sign_in_to_admin

pytestmark = pytest.mark.browser
PUBLIC_PAGE = "/programmes/ai-fabriek-groningen/"
DASHBOARD = "/dashboard/ai-fabriek-groningen/"
API = "/api/programmes/ai-fabriek-groningen/"


def accessibility_violations(page):
    """axe-core's findings; the inline styles axe itself applies while measuring are not ours."""
    errors_before = len(page.console_errors)
    violations = axe_violations(page)
    del page.console_errors[errors_before:]
    return violations


def shown_totals(page, base_url, path):
    """Committed and pending as the page at `path` shows them in its KPI cards."""
    page.goto(base_url + path)
    return (
        page.locator(".kpi--committed .kpi__value").first.inner_text(),
        page.locator(".kpi--pending .kpi__value").inner_text(),
    )


def totals_everywhere(page, base_url):
    """Committed and pending on the public page, the staff dashboard and in the open data."""
    api = page.request.get(base_url + API).json()
    return {
        "public page": shown_totals(page, base_url, PUBLIC_PAGE),
        "dashboard": shown_totals(page, base_url, DASHBOARD),
        "api": (api["committed"], api["pending"]),
    }


BEFORE = {
    "public page": ("€ 130.000.000", "€ 70.000.000"),
    "dashboard": ("€ 130.000.000", "€ 70.000.000"),
    "api": ("130000000.00", "70000000.00"),
}
AFTER_COMMITMENT = {
    "public page": ("€ 200.000.000", "€ 0"),
    "dashboard": ("€ 200.000.000", "€ 0"),
    "api": ("200000000.00", "0.00"),
}


def test_a_controller_commits_the_eu_contribution_and_reverts_it(
    live_aifabriek, browser_page, funding_admin
):
    base_url = live_aifabriek.url
    eu = Contribution.objects.get(key="eu-cofinanciering")
    source = Source.objects.get(key="ez-ai-fabriek-200-miljoen")
    page = browser_page(locale="nl-NL")
    sign_in_to_admin(page, base_url, funding_admin.username)
    assert totals_everywhere(page, base_url) == BEFORE

    page.goto(f"{base_url}/admin/funding/contribution/")
    page.locator("#result_list").get_by_role("link", name="Europese Unie").click()
    page.select_option("#id_status", "committed")
    page.fill("#id_status_effective_on", "2025-11-03")
    page.select_option("#id_status_source", str(source.pk))
    page.fill("#id_status_quote", "Testbesluit: de cofinanciering is toegekend.")
    assert accessibility_violations(page) == []
    page.locator("input[name=_save]").click()
    page.locator(".messagelist .success").wait_for()
    assert totals_everywhere(page, base_url) == AFTER_COMMITMENT

    page.goto(f"{base_url}/admin/funding/contribution/{eu.pk}/history/")
    history = page.locator("#change-history")
    assert "controller" in history.inner_text()
    assert accessibility_violations(page) == []
    # The oldest version (as loaded) is the last row; open it and revert to it.
    history.locator("tbody tr").last.get_by_role("link").click()
    assert page.locator("#id_status").input_value() == "requested"
    page.locator("input[name=_save]").first.click()
    assert totals_everywhere(page, base_url) == BEFORE

    eu.refresh_from_db()
    assert (eu.status, eu.version) == ("requested", 3)
    assert eu.history.first().history_user == funding_admin
    assert page.console_errors == []
