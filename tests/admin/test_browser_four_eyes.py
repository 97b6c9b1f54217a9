"""Two browsers, an editor and an approver: the EU contribution's new amount stays out of every
public face until the second person approves it."""

import pytest

from funding.models import Contribution, Proposal
from funding.permissions import FUNDING_ADMINS
from tests.support.browser import sign_in_to_admin
from tests.support.four_eyes import rule_on
from tests.support.users import make_user

pytestmark = pytest.mark.browser
SLUG = "ai-fabriek-groningen"
PUBLIC_PAGE = f"/programmes/{SLUG}/"
API = f"/api/programmes/{SLUG}/"
BADGE = f"/programmes/{SLUG}/badge.svg"
FEED = f"/programmes/{SLUG}/feed/"
CHANGES = f"/programmes/{SLUG}/changes/"


def public_faces(page, base_url) -> dict:
    page.goto(base_url + PUBLIC_PAGE)
    # A browser may keep a public page for PUBLIC_MAX_AGE seconds (funding/cache_headers.py); a
    # reload asks the site again, as a visitor who wants the latest figure does.
    page.reload()
    return {
        "page": page.locator(".kpi--pending .kpi__value").inner_text(),
        "api": page.request.get(base_url + API).json()["pending"],
        "badge": page.request.get(base_url + BADGE).body(),
        "feed": page.request.get(base_url + FEED).body(),
    }


def test_an_editor_proposes_and_an_approver_approves(live_aifabriek, browser_page):
    base_url = live_aifabriek.url
    from funding.models import Programme

    rule_on(Programme.objects.get(slug=SLUG))
    make_user("editor", FUNDING_ADMINS, is_staff=True)
    make_user("approver", FUNDING_ADMINS, is_staff=True)
    eu = Contribution.objects.get(key="eu-cofinanciering")
    visitor = browser_page(locale="nl-NL")
    before = public_faces(visitor, base_url)
    assert (before["page"], before["api"]) == ("€ 70.000.000", "70000000.00")

    editor = browser_page(locale="en-GB")
    sign_in_to_admin(editor, base_url, "editor")
    editor.goto(f"{base_url}/admin/funding/contribution/{eu.pk}/change/")
    editor.fill("#id_amount", "80000000.00")
    editor.locator("input[name=_save]").click()
    assert "awaiting approval" in editor.locator(".messagelist .warning").inner_text()
    # Every public face still shows the approved state, byte for byte where it can.
    assert public_faces(visitor, base_url) == before

    proposal = Proposal.objects.get()
    proposal_url = f"{base_url}/admin/funding/proposal/{proposal.pk}/change/"
    editor.goto(proposal_url)
    assert editor.get_by_role("button", name="Approve").count() == 0
    assert editor.get_by_role("button", name="Withdraw my proposal").count() == 1
    token = editor.locator("input[name=csrfmiddlewaretoken]").first.input_value()
    forged = editor.request.post(
        f"{base_url}/admin/funding/proposal/{proposal.pk}/decide/",
        form={"csrfmiddlewaretoken": token, "decision": "approve", "reason": "mine"},
        headers={"Referer": proposal_url},
    )
    assert forged.status == 403
    assert public_faces(visitor, base_url) == before

    approver = browser_page(locale="en-GB")
    sign_in_to_admin(approver, base_url, "approver")
    approver.goto(f"{base_url}/admin/funding/proposal/")
    approver.locator("#result_list tbody a").first.click()
    assert "80000000.00" in approver.locator("main").inner_text()
    approver.fill("#decision-reason", "The Commission's letter of 3 November gives 80 million.")
    approver.get_by_role("button", name="Approve", exact=True).click()
    assert "approved" in approver.locator(".messagelist .success").inner_text()

    after = public_faces(visitor, base_url)
    assert (after["page"], after["api"]) == ("€ 80.000.000", "80000000.00")
    visitor.goto(base_url + CHANGES)
    entry = visitor.locator("li.change").first
    assert "€ 80.000.000" in entry.inner_text()
    assert "door een tweede persoon (een goedkeurder van het programma)" in entry.inner_text()
