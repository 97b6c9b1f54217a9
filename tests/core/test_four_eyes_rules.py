"""The four-eyes rule below the admin: what is guarded, what changes at once, and the decision
functions with programme team roles (funding/governance/)."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command

from funding.audit import AuditKind
from funding.dataset import load_data_file
from funding.governance import proposals as governance
from funding.governance.queries import awaiting_approval_by, awaiting_others, break_glass_uses
from funding.governance.rules import ApprovalRequired, guarded_changes
from funding.governance.switch import set_four_eyes
from funding.models import (
    AuditEvent,
    Contribution,
    Milestone,
    Programme,
    Proposal,
    ProposalState,
    Source,
    StatusChange,
)
from tests.support.factories import ContributionFactory, ProgrammeFactory
from tests.support.four_eyes import eu_contribution, member, rule_on, team
from tests.support.users import make_user

MILLION_70 = Decimal("70000000.00")
MILLION_80 = Decimal("80000000.00")


@pytest.fixture
def programme(aifabriek):
    return rule_on(aifabriek)


@pytest.fixture
def eu(programme):
    return eu_contribution()


def propose_amount(eu, editor, amount=MILLION_80) -> Proposal:
    eu.amount = amount
    return governance.propose(eu, guarded_changes(eu), proposer=editor, note="EU grant raised")


def test_the_shipped_programme_is_loaded_with_the_rule_on(db):
    load_data_file()
    assert Programme.objects.get(slug="ai-fabriek-groningen").four_eyes is True


def test_a_new_programme_has_the_rule_on_by_default(db):
    assert Programme(name="x", slug="x", target=1).four_eyes is True


def test_a_direct_save_of_a_public_amount_is_refused(eu):
    eu.amount = MILLION_80
    with pytest.raises(ApprovalRequired, match="amount"):
        eu.save()
    assert Contribution.objects.get(pk=eu.pk).amount == MILLION_70


def test_the_shell_is_refused_too(eu):
    code = (
        "from funding.models import Contribution; "
        f"c = Contribution.objects.get(pk={eu.pk}); c.amount = 1; c.save()"
    )
    with pytest.raises(ApprovalRequired):
        call_command("shell", command=code)
    assert Contribution.objects.get(pk=eu.pk).amount == MILLION_70


def test_a_queryset_update_of_a_guarded_field_is_refused(eu):
    with pytest.raises(ApprovalRequired):
        Contribution.objects.filter(pk=eu.pk).update(amount=1)
    with pytest.raises(ApprovalRequired):
        Contribution.objects.filter(pk=eu.pk).update(is_public=False)
    assert Contribution.objects.get(pk=eu.pk).amount == MILLION_70


def test_a_queryset_delete_of_a_public_record_is_refused(programme):
    with pytest.raises(ApprovalRequired):
        Milestone.objects.filter(programme=programme).delete()
    assert Milestone.objects.filter(programme=programme).count() == 5


def test_free_text_changes_at_once(eu):
    eu.notes = "Besluit verwacht in 2026."
    eu.save()
    Contribution.objects.filter(pk=eu.pk).update(instrument_en="EU cofinancing")
    eu.refresh_from_db()
    assert (eu.notes, eu.instrument_en) == ("Besluit verwacht in 2026.", "EU cofinancing")


def test_a_record_nobody_outside_sees_changes_at_once_until_it_would_be_published(programme):
    hidden = ContributionFactory(programme=programme, is_public=False, amount=Decimal("5.00"))
    hidden.amount = Decimal("6.00")
    hidden.save()
    assert Contribution.objects.get(pk=hidden.pk).amount == Decimal("6.00")
    hidden.is_public = True
    with pytest.raises(ApprovalRequired, match="is_public"):
        hidden.save()


def test_a_new_public_record_in_a_guarded_programme_is_refused(programme):
    with pytest.raises(ApprovalRequired):
        ContributionFactory(programme=programme, is_public=True)


def test_a_programme_with_the_rule_off_changes_at_once(db):
    programme = ProgrammeFactory(four_eyes=False)
    contribution = ContributionFactory(programme=programme)
    contribution.amount = Decimal("1.00")
    contribution.save()
    assert Contribution.objects.get(pk=contribution.pk).amount == Decimal("1.00")


def test_an_editor_proposes_and_another_approver_applies(programme, eu):
    editor, approver = team(programme)
    proposal = propose_amount(eu, editor)
    assert Contribution.objects.get(pk=eu.pk).amount == MILLION_70
    assert (proposal.before, proposal.after) == (
        {"amount": "70000000.00"},
        {"amount": "80000000.00"},
    )
    assert list(awaiting_approval_by(approver)) == [proposal]
    assert list(awaiting_others(editor)) == [proposal]
    assert awaiting_approval_by(editor).count() == 0
    governance.approve(proposal, user=approver, reason="Confirmed by the Commission's letter")
    eu.refresh_from_db()
    assert eu.amount == MILLION_80
    assert eu.history.first().history_change_reason == "four-eyes: approved"
    proposal.refresh_from_db()
    assert (proposal.state, proposal.decider) == (ProposalState.APPROVED, approver)
    kinds = list(AuditEvent.objects.order_by("pk").values_list("kind", "actor__username"))
    assert kinds == [(AuditKind.PROPOSED, "editor"), (AuditKind.APPROVED, "approver")]
    approved = AuditEvent.objects.get(kind=AuditKind.APPROVED)
    assert (approved.before, approved.after, approved.reason) == (
        {"amount": "70000000.00"},
        {"amount": "80000000.00"},
        "Confirmed by the Commission's letter",
    )


def test_an_approved_status_change_records_its_event(programme, eu):
    editor, approver = team(programme)
    source = Source.objects.first()
    eu.status = "committed"
    change = guarded_changes(eu)
    extra = governance.status_change_extra(
        StatusChange(effective_on=date(2025, 11, 3), source=source, quote="toegekend")
    )
    proposal = governance.propose(eu, change, proposer=editor, extra=extra)
    assert eu.status_events.count() == 1
    governance.approve(proposal, user=approver, reason="Grant letter")
    event = eu_contribution().status_events.last()
    assert (event.status, event.effective_on, event.source, event.approved) == (
        "committed",
        date(2025, 11, 3),
        source,
        True,
    )


def test_nobody_approves_their_own_proposal(programme, eu, settings):
    settings.FOUR_EYES_BREAK_GLASS = False
    root = make_user("root", is_superuser=True, is_staff=True)
    proposal = propose_amount(eu, root)
    with pytest.raises(PermissionDenied):
        governance.approve(proposal, user=root, reason="mine")
    with pytest.raises(PermissionDenied):
        governance.apply_alone(proposal, user=root, reason="mine")
    assert Contribution.objects.get(pk=eu.pk).amount == MILLION_70


def test_an_editor_may_not_approve(programme, eu):
    editor, _approver = team(programme)
    other = member("other-editor", programme, "editor")
    proposal = propose_amount(eu, editor)
    with pytest.raises(PermissionDenied):
        governance.approve(proposal, user=other, reason="looks fine")


def test_an_approver_of_another_programme_may_not_approve(programme, eu):
    editor, _approver = team(programme)
    elsewhere = member("elsewhere", ProgrammeFactory(), "approver")
    proposal = propose_amount(eu, editor)
    assert awaiting_approval_by(elsewhere).count() == 0
    with pytest.raises(PermissionDenied):
        governance.approve(proposal, user=elsewhere, reason="looks fine")


def test_break_glass_lets_a_superuser_apply_alone_and_is_audited(programme, eu, settings):
    settings.FOUR_EYES_BREAK_GLASS = True
    root = make_user("root", is_superuser=True, is_staff=True)
    proposal = propose_amount(eu, root)
    governance.apply_alone(proposal, user=root, reason="Minister's deadline tonight")
    assert Contribution.objects.get(pk=eu.pk).amount == MILLION_80
    use = break_glass_uses().get()
    assert (use.actor, use.reason, use.after) == (
        root,
        "Minister's deadline tonight",
        {"amount": "80000000.00"},
    )
    assert break_glass_uses([programme.pk]).count() == 1
    assert break_glass_uses([]).count() == 0


def test_a_decision_needs_a_reason(programme, eu):
    editor, approver = team(programme)
    proposal = propose_amount(eu, editor)
    with pytest.raises(governance.ProposalError, match="reason"):
        governance.reject(proposal, user=approver, reason="  ")
    governance.reject(proposal, user=approver, reason="No source for 80 million")
    proposal.refresh_from_db()
    assert (proposal.state, proposal.reason) == (ProposalState.REJECTED, "No source for 80 million")
    assert Contribution.objects.get(pk=eu.pk).amount == MILLION_70


def test_only_the_proposer_withdraws(programme, eu):
    editor, approver = team(programme)
    proposal = propose_amount(eu, editor)
    with pytest.raises(PermissionDenied):
        governance.withdraw(proposal, user=approver)
    governance.withdraw(proposal, user=editor, reason="typo")
    proposal.refresh_from_db()
    assert proposal.state == ProposalState.WITHDRAWN
    assert AuditEvent.objects.filter(kind=AuditKind.WITHDRAWN, actor=editor).count() == 1


def test_a_stale_proposal_is_refused_at_approval(programme, eu):
    editor, approver = team(programme)
    first = propose_amount(eu, editor, Decimal("75000000.00"))
    second = propose_amount(eu_contribution(), editor, MILLION_80)
    governance.approve(first, user=approver, reason="ok")
    with pytest.raises(governance.ProposalError, match="changed since"):
        governance.approve(second, user=approver, reason="ok")
    second.refresh_from_db()
    assert second.state == ProposalState.STALE
    assert Contribution.objects.get(pk=eu.pk).amount == Decimal("75000000.00")


def test_only_an_approver_turns_the_rule_off_and_it_is_audited(programme, eu):
    editor, approver = team(programme)
    with pytest.raises(PermissionDenied):
        set_four_eyes(programme, False, user=editor, reason="faster")
    with pytest.raises(governance.ProposalError):
        set_four_eyes(programme, False, user=approver, reason="")
    programme.four_eyes = False
    with pytest.raises(ApprovalRequired):
        programme.save()  # the switch itself only through set_four_eyes
    programme.refresh_from_db()
    assert set_four_eyes(programme, False, user=approver, reason="Year-end clean-up") is True
    event = AuditEvent.objects.get(kind=AuditKind.FOUR_EYES_OFF)
    assert (event.actor, event.before, event.after, event.reason) == (
        approver,
        {"four_eyes": True},
        {"four_eyes": False},
        "Year-end clean-up",
    )
    eu = eu_contribution()
    eu.amount = MILLION_80
    eu.save()
    assert Contribution.objects.get(pk=eu.pk).amount == MILLION_80
    set_four_eyes(programme, True, user=approver, reason="Done")
    assert AuditEvent.objects.filter(kind=AuditKind.FOUR_EYES_ON).count() == 1


def test_approvers_hear_of_a_proposal_and_the_proposer_of_the_decision(programme, eu, mailoutbox):
    editor, approver = team(programme)
    silent = member("no-address", programme, "approver")
    proposal = propose_amount(eu, editor)
    assert [message.to for message in mailoutbox] == [["approver@example.org"]]
    assert "80000000.00" in mailoutbox[0].body and "70000000.00" in mailoutbox[0].body
    governance.approve(proposal, user=silent, reason="Letter of 3 November")
    assert mailoutbox[1].to == ["editor@example.org"]
    assert "approved" in mailoutbox[1].subject and "Letter of 3 November" in mailoutbox[1].body


def test_without_team_approvers_the_funding_admins_hear_of_it(programme, eu, mailoutbox):
    editor = member("editor", programme, "editor", email="editor@example.org")
    admin = make_user("controller", "Funding admins", email="controller@example.org")
    make_user("staff", "Policy staff", email="staff@example.org")
    propose_amount(eu, editor)
    assert [message.to for message in mailoutbox] == [[admin.email]]


def test_an_approved_payment_is_created_and_completes_the_commitment(programme):
    from funding.models import Payment

    editor, approver = team(programme)
    rijk = Contribution.objects.get(key="rijk")
    payment = Payment(contribution=rijk, paid_on=date(2026, 1, 5), amount=MILLION_70)
    with pytest.raises(ApprovalRequired):
        Payment(contribution=rijk, paid_on=date(2026, 1, 5), amount=MILLION_70).save()
    proposal = governance.propose(payment, guarded_changes(payment), proposer=editor)
    assert (proposal.action, proposal.object_id, rijk.payments.count()) == ("create", None, 0)
    governance.approve(proposal, user=approver, reason="Paid on 5 January")
    rijk.refresh_from_db()
    assert (rijk.payments.get().amount, rijk.status) == (MILLION_70, "disbursed")
    assert rijk.status_events.last().approved is True
