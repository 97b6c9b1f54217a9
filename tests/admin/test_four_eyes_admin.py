"""The admin's write paths under the four-eyes rule, each tried by one funding admin alone:
nothing public changes and a proposal exists; another approves, and the public sees it."""

from decimal import Decimal

import pytest
from django.urls import reverse

from funding.audit import AuditKind
from funding.governance.context import switching
from funding.models import (
    AuditEvent,
    Contribution,
    Milestone,
    Programme,
    Proposal,
    ProposalAction,
    ProposalState,
)
from funding.permissions import FUNDING_ADMINS
from tests.support.admin_forms import HEADER, confirm, form_data, sign_in_in_english, upload
from tests.support.factories import ContributionFactory
from tests.support.four_eyes import eu_contribution, rule_on
from tests.support.pages import html_in
from tests.support.users import make_user

SLUG = "ai-fabriek-groningen"
PAGE = f"/programmes/{SLUG}/"
API = f"/api/programmes/{SLUG}/"
CHANGES = f"/programmes/{SLUG}/changes/"


@pytest.fixture
def programme(aifabriek):
    return rule_on(aifabriek)


@pytest.fixture
def editor(db):
    return make_user("editor", FUNDING_ADMINS, is_staff=True, email="editor@example.org")


@pytest.fixture
def approver(db):
    return make_user("approver", FUNDING_ADMINS, is_staff=True, email="approver@example.org")


@pytest.fixture
def eu(programme):
    return eu_contribution()


def public_pending(client) -> str:
    """The EU's requested €70 million as the API shows it (the pending total)."""
    client.logout()
    return client.get(API).json()["pending"]


def public_page(client) -> str:
    client.logout()
    return client.get(PAGE, HTTP_ACCEPT_LANGUAGE="nl").content.decode()


def change_url(obj) -> str:
    return reverse(f"admin:funding_{obj._meta.model_name}_change", args=[obj.pk])


def post_form(client, obj, form_id, **changes):
    data = form_data(client.get(change_url(obj)), form_id) | changes
    return client.post(change_url(obj), data)


def decide(client, proposal, decision, reason="Checked against the letter"):
    url = reverse("admin:funding_proposal_decide", args=[proposal.pk])
    return client.post(url, {"decision": decision, "reason": reason})


def test_a_changed_amount_awaits_approval_then_goes_public(client, editor, approver, eu):
    sign_in_in_english(client, editor)
    response = post_form(client, eu, "contribution_form", amount="80000000.00")
    assert response.status_code == 302
    messages = [str(m) for m in response.wsgi_request._messages]
    assert any("awaiting approval" in message for message in messages)
    proposal = Proposal.objects.get()
    assert (proposal.action, proposal.after) == ("change", {"amount": "80000000.00"})
    assert public_pending(client) == "70000000.00"
    assert "€ 70.000.000" in public_page(client)
    # The editor sees it on the record and on the proposal, with no approve button.
    sign_in_in_english(client, editor)
    assert "Awaiting approval" in client.get(change_url(eu)).content.decode()
    page = client.get(reverse("admin:funding_proposal_change", args=[proposal.pk])).content
    assert b'value="approve"' not in page and b'value="withdraw"' in page
    assert decide(client, proposal, "approve").status_code == 403
    assert public_pending(client) == "70000000.00"
    # Another approver approves it, with a reason.
    sign_in_in_english(client, approver)
    page = client.get(reverse("admin:funding_proposal_change", args=[proposal.pk])).content
    assert b'value="approve"' in page
    assert decide(client, proposal, "approve").status_code == 302
    assert public_pending(client) == "80000000.00"
    assert "€ 80.000.000" in public_page(client)
    for language, words in [
        ("en", "by a second person (an approver of the programme)"),
        ("nl", "door een tweede persoon (een goedkeurder van het programma)"),
    ]:
        log = html_in(client, CHANGES, language)
        assert words in log
        assert "approver" not in log.replace("an approver of the programme", "")  # no names


def test_a_forged_approval_by_the_proposer_is_refused(client, editor, eu):
    sign_in_in_english(client, editor)
    post_form(client, eu, "contribution_form", amount="1.00")
    proposal = Proposal.objects.get()
    for decision in ("approve", "reject", "approve_batch", "break_glass", "nonsense"):
        assert decide(client, proposal, decision).status_code == 403
    assert Proposal.objects.get().state == ProposalState.PENDING


def test_a_superuser_cannot_approve_their_own_with_break_glass_off(client, eu, settings):
    settings.FOUR_EYES_BREAK_GLASS = False
    root = make_user("root", is_superuser=True, is_staff=True)
    sign_in_in_english(client, root)
    post_form(client, eu, "contribution_form", amount="1.00")
    proposal = Proposal.objects.get()
    assert decide(client, proposal, "approve").status_code == 403
    assert decide(client, proposal, "break_glass").status_code == 403
    assert public_pending(client) == "70000000.00"


def test_a_rejection_needs_a_reason_and_tells_the_proposer(
    client, editor, approver, eu, mailoutbox
):
    sign_in_in_english(client, editor)
    post_form(client, eu, "contribution_form", amount="1.00")
    assert [m.to for m in mailoutbox] == [["approver@example.org"]]
    proposal = Proposal.objects.get()
    sign_in_in_english(client, approver)
    response = decide(client, proposal, "reject", reason="")
    assert any("reason" in str(m) for m in response.wsgi_request._messages)
    assert Proposal.objects.get().state == ProposalState.PENDING
    decide(client, proposal, "reject", reason="No source gives one euro")
    assert Proposal.objects.get().state == ProposalState.REJECTED
    assert mailoutbox[-1].to == ["editor@example.org"]
    assert public_pending(client) == "70000000.00"


def test_free_text_is_saved_at_once_and_the_amount_proposed(client, editor, eu):
    sign_in_in_english(client, editor)
    post_form(client, eu, "contribution_form", amount="1.00", notes="Besluit in 2026")
    eu.refresh_from_db()
    assert (eu.notes, eu.amount) == ("Besluit in 2026", Decimal("70000000.00"))
    assert Proposal.objects.get().after == {"amount": "1.00"}


def test_a_record_nobody_outside_sees_is_saved_at_once(client, editor, programme):
    hidden = ContributionFactory(programme=programme, is_public=False)
    sign_in_in_english(client, editor)
    post_form(client, hidden, "contribution_form", amount="5.00")
    assert Contribution.objects.get(pk=hidden.pk).amount == Decimal("5.00")
    assert not Proposal.objects.exists()


def test_an_inline_change_on_the_programme_page_is_proposed(client, editor, programme, eu):
    sign_in_in_english(client, editor)
    data = form_data(client.get(change_url(programme)), "programme_form")
    row = next(k for k, v in data.items() if k.endswith("-id") and v == str(eu.pk))
    prefix = row.rsplit("-", 1)[0]
    response = client.post(change_url(programme), data | {f"{prefix}-amount": "90000000.00"})
    assert response.status_code == 302
    assert Proposal.objects.get().after == {"amount": "90000000.00"}
    assert public_pending(client) == "70000000.00"


def test_a_delete_is_proposed_not_done(client, editor, approver, programme):
    milestone = Milestone.objects.filter(programme=programme, is_public=True).first()
    sign_in_in_english(client, editor)
    url = reverse("admin:funding_milestone_delete", args=[milestone.pk])
    assert client.post(url, {"post": "yes"}).status_code == 302
    proposal = Proposal.objects.get()
    assert proposal.action == ProposalAction.DELETE
    assert Milestone.objects.filter(pk=milestone.pk).exists()
    sign_in_in_english(client, approver)
    decide(client, proposal, "approve")
    assert not Milestone.objects.filter(pk=milestone.pk).exists()


def test_the_delete_action_on_a_selection_is_proposed(client, editor, programme):
    public = list(Milestone.objects.filter(programme=programme).values_list("pk", flat=True))
    sign_in_in_english(client, editor)
    client.post(
        reverse("admin:funding_milestone_changelist"),
        {"action": "delete_selected", "_selected_action": public, "post": "yes"},
    )
    assert Milestone.objects.filter(pk__in=public).count() == len(public)
    assert Proposal.objects.filter(action=ProposalAction.DELETE).count() == len(public)


def test_an_import_becomes_one_batch_approved_together(client, editor, approver, programme):
    sign_in_in_english(client, editor)
    content = (
        HEADER + "eu-cofinanciering,europese-unie,Europese cofinancieringsaanvraag,"
        "85000000.00,requested,ja\n"
        "nieuw,europese-unie,Nieuw,1000.00,requested,ja\n"
    ).encode()
    preview = upload(client, programme, "changes.csv", content)
    assert not Proposal.objects.exists()  # the preview proposes nothing
    confirm(client, preview)
    proposals = list(Proposal.objects.order_by("pk"))
    assert {p.subject.split(":")[0]: p.after for p in proposals} == {
        "Europese Unie (Europese cofinancieringsaanvraag)": {"amount": "85000000.00"},
        "Europese Unie (Nieuw)": {"is_public": True},
    }
    assert len({p.batch for p in proposals}) == 1 and proposals[0].batch is not None
    assert public_pending(client) == "70000000.00"
    assert Contribution.objects.get(key="nieuw").is_public is False
    sign_in_in_english(client, approver)
    decide(client, proposals[0], "approve_batch")
    assert public_pending(client) == "85001000.00"


def test_a_revert_is_proposed(client, editor, approver, programme, eu):
    with switching():
        Programme.objects.filter(pk=programme.pk).update(four_eyes=False)
    eu.amount = Decimal("60000000.00")
    eu.save()
    rule_on(programme)
    original = eu.history.last()
    sign_in_in_english(client, editor)
    url = reverse("admin:funding_contribution_simple_history", args=[eu.pk, original.pk])
    client.post(url, form_data(client.get(url), "historicalcontribution_form"))
    proposal = Proposal.objects.get()
    assert proposal.after == {"amount": "70000000.00"}
    assert proposal.note.startswith("Reverted to the version of ")
    assert Contribution.objects.get(pk=eu.pk).amount == Decimal("60000000.00")


def test_the_switch_is_an_approvers_decision_with_a_reason(client, approver, programme, eu):
    sign_in_in_english(client, approver)
    url = reverse("admin:funding_programme_four_eyes", args=[programme.pk])
    client.post(url, {"on": "0", "reason": ""})
    assert Programme.objects.get(pk=programme.pk).four_eyes is True
    client.post(url, {"on": "0", "reason": "Migration weekend"})
    assert Programme.objects.get(pk=programme.pk).four_eyes is False
    assert AuditEvent.objects.get(kind=AuditKind.FOUR_EYES_OFF).reason == "Migration weekend"
    post_form(client, eu, "contribution_form", amount="1.00")
    assert not Proposal.objects.exists()
    assert public_pending(client) == "1.00"
    sign_in_in_english(client, approver)
    assert client.get(url).status_code == 405
