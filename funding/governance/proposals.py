"""Proposing, approving, rejecting, withdrawing and applying changes under the four-eyes rule.

Every step is audited (funding/audit.py) with the values before and after and the reason, and
tells the people it concerns (mail.py). Nobody decides on their own proposal, superusers
included; only break-glass (a setting, off by default) lets a superuser apply their own change
alone, and every such use is audited as BREAK_GLASS.
"""

import datetime
import uuid

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from funding.audit import AuditKind, record_governance
from funding.governance import mail
from funding.governance.context import applying_approval, breaking_glass
from funding.governance.rules import (
    APPROVED_REASON,
    GuardedChange,
    from_json,
    to_json,
)
from funding.models import Proposal, ProposalAction, ProposalState, StatusChange
from funding.permissions import may_approve


class ProposalError(Exception):
    """A decision that cannot be taken as asked (not pending, stale, no reason, invalid)."""


def new_batch() -> uuid.UUID:
    return uuid.uuid4()


def _create_values(instance) -> dict:
    """Every value a new record needs, for a proposal to create it."""
    skip = {"id", "version", "earliest", "latest"}
    return {
        field.name: to_json(field, getattr(instance, field.attname))
        for field in instance._meta.concrete_fields
        if field.name not in skip and not field.primary_key
    }


def propose(
    instance,
    change: GuardedChange,
    *,
    proposer,
    note: str = "",
    batch=None,
    extra: dict | None = None,
    notify: bool = True,
) -> Proposal:
    """Records `change` to `instance` as a pending proposal; the live row is left as it is."""
    from funding.models import Programme

    programme_id = change.programme_id
    if programme_id is None and isinstance(instance, Programme):
        programme_id = instance.pk
    after = _create_values(instance) if change.action == ProposalAction.CREATE else change.after
    proposal = Proposal.objects.create(
        programme_id=programme_id,
        content_type=ContentType.objects.get_for_model(type(instance)),
        object_id=None if change.action == ProposalAction.CREATE else instance.pk,
        subject=str(instance)[:300],
        action=change.action,
        before=change.before,
        after=after,
        extra=extra or {},
        proposer=proposer,
        note=note,
        batch=batch,
    )
    record_governance(
        AuditKind.PROPOSED,
        actor=proposer,
        programme=proposal.programme,
        subject=_proposal_subject(proposal),
        before=proposal.before,
        after=proposal.after,
        reason=note,
    )
    if notify:
        mail.proposed([proposal])
    return proposal


def _proposal_subject(proposal: Proposal) -> str:
    return f"{proposal.content_type.name} “{proposal.subject}” ({proposal.get_action_display()})"


def _check_decider(proposal: Proposal, user, *, own_allowed: bool = False) -> None:
    if proposal.state != ProposalState.PENDING:
        raise ProposalError(
            _("This proposal is %(state)s; only a proposal awaiting approval can be decided.")
            % {"state": proposal.get_state_display()}
        )
    if proposal.proposer_id == user.pk and not own_allowed:
        raise PermissionDenied(_("Nobody approves or rejects their own proposal."))
    if not may_approve(user, proposal.programme_id):
        raise PermissionDenied(_("You may not approve proposals on this programme."))


def may_decide(user, proposal: Proposal) -> bool:
    """Whether to offer `user` the approve and reject buttons on `proposal`."""
    return (
        proposal.state == ProposalState.PENDING
        and proposal.proposer_id != user.pk
        and may_approve(user, proposal.programme_id)
    )


def break_glass_allowed(user) -> bool:
    return bool(settings.FOUR_EYES_BREAK_GLASS) and user.is_active and user.is_superuser


def _decision_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ProposalError(_("Give the reason for the decision."))
    return reason


def approve(proposal: Proposal, *, user, reason: str) -> None:
    """Applies the proposal to the live rows, if another approver decides so; audited."""
    reason = _decision_reason(reason)
    _check_decider(proposal, user)
    _apply_checked(proposal, user=user, reason=reason, kind=AuditKind.APPROVED)
    mail.decided(proposal)


def approve_batch(batch, *, user, reason: str) -> int:
    """Approves an import's proposals together: all of them, or none."""
    reason = _decision_reason(reason)
    proposals = list(Proposal.objects.pending().filter(batch=batch).order_by("pk"))
    if not proposals:
        raise ProposalError(_("No proposal of this import awaits approval."))
    for proposal in proposals:
        _check_decider(proposal, user)
    with transaction.atomic():
        for proposal in proposals:
            _apply_checked(proposal, user=user, reason=reason, kind=AuditKind.APPROVED)
    for proposal in proposals:
        mail.decided(proposal)
    return len(proposals)


def apply_alone(proposal: Proposal, *, user, reason: str) -> None:
    """Break-glass: a superuser applies a proposal (their own included) alone; audited."""
    if not break_glass_allowed(user):
        raise PermissionDenied(_("Break-glass is off: another approver must decide."))
    reason = _decision_reason(reason)
    _check_decider(proposal, user, own_allowed=True)
    _apply_checked(proposal, user=user, reason=reason, kind=AuditKind.BREAK_GLASS)
    mail.decided(proposal)


def reject(proposal: Proposal, *, user, reason: str) -> None:
    reason = _decision_reason(reason)
    _check_decider(proposal, user)
    _close(proposal, ProposalState.REJECTED, user=user, reason=reason)
    record_governance(
        AuditKind.REJECTED,
        actor=user,
        programme=proposal.programme,
        subject=_proposal_subject(proposal),
        before=proposal.before,
        after=proposal.after,
        reason=reason,
    )
    mail.decided(proposal)


def withdraw(proposal: Proposal, *, user, reason: str = "") -> None:
    """The proposer takes back their own pending proposal."""
    if proposal.proposer_id != user.pk:
        raise PermissionDenied(_("Only the person who proposed a change may withdraw it."))
    if proposal.state != ProposalState.PENDING:
        raise ProposalError(_("Only a proposal awaiting approval can be withdrawn."))
    _close(proposal, ProposalState.WITHDRAWN, user=user, reason=reason)
    record_governance(
        AuditKind.WITHDRAWN,
        actor=user,
        programme=proposal.programme,
        subject=_proposal_subject(proposal),
        before=proposal.before,
        after=proposal.after,
        reason=reason,
    )


def _close(proposal: Proposal, state: str, *, user, reason: str) -> None:
    proposal.state = state
    proposal.decider = user
    proposal.decided_at = timezone.now()
    proposal.reason = reason
    proposal.save(update_fields=["state", "decider", "decided_at", "reason"])


def _apply_checked(proposal: Proposal, *, user, reason: str, kind: str) -> None:
    stale = stale_reason(proposal)
    if stale:
        _close(proposal, ProposalState.STALE, user=user, reason=stale)
        raise ProposalError(stale)
    try:
        with transaction.atomic():
            apply(proposal, actor=user, break_glass=kind == AuditKind.BREAK_GLASS)
            _close(proposal, ProposalState.APPROVED, user=user, reason=reason)
            record_governance(
                kind,
                actor=user,
                programme=proposal.programme,
                subject=_proposal_subject(proposal),
                before=proposal.before,
                after=proposal.after,
                reason=reason,
            )
    except ValidationError as error:
        raise ProposalError(
            _("The change cannot be applied as it stands: %(errors)s")
            % {"errors": " ".join(error.messages)}
        ) from error


def _current(proposal: Proposal):
    model = proposal.model
    return model._base_manager.filter(pk=proposal.object_id).first()


def stale_reason(proposal: Proposal) -> str:
    """Why the proposal no longer fits the record (changed or gone since), or ''."""
    if proposal.action == ProposalAction.CREATE:
        return ""
    instance = _current(proposal)
    if instance is None:
        return _("The record was deleted since this change was proposed; it cannot be applied.")
    model = type(instance)
    for name, value in proposal.before.items():
        field = model._meta.get_field(name)
        if to_json(field, getattr(instance, field.attname)) != value:
            return _(
                "The record changed since this change was proposed (%(field)s is no longer "
                "what the proposal started from); it cannot be applied. Propose it again."
            ) % {"field": field.verbose_name}
    return ""


def apply(proposal: Proposal, *, actor, break_glass: bool = False) -> None:
    """Writes the proposal to the live rows, through the models (and their checks)."""
    model = proposal.model
    context = breaking_glass() if break_glass else applying_approval()
    with context:
        if proposal.action == ProposalAction.DELETE:
            instance = _current(proposal)
            instance._history_user = actor
            instance._change_reason = APPROVED_REASON
            instance.delete()
            return
        creating = proposal.action == ProposalAction.CREATE
        instance = model() if creating else _current(proposal)
        for name, value in proposal.after.items():
            field = model._meta.get_field(name)
            setattr(instance, field.attname, from_json(field, value))
        status = proposal.extra.get("status_change")
        if status is not None:
            instance.status_change = _status_change(status)
        # A revert restores an earlier state: the status may go back where no decision leads.
        instance._reverting = bool(proposal.extra.get("reverting"))
        instance.full_clean(validate_unique=False, validate_constraints=False)
        instance._history_user = actor
        instance._change_reason = APPROVED_REASON
        instance.save()


def _date(value):
    return datetime.date.fromisoformat(value) if value else None


def _status_change(values: dict) -> StatusChange:
    from funding.models import Source

    source_id = values.get("source")
    return StatusChange(
        effective_on=_date(values.get("effective_on")),
        source=Source.objects.filter(pk=source_id).first() if source_id else None,
        quote=values.get("quote", ""),
        note=values.get("note", ""),
    )


def status_change_extra(change: StatusChange | None) -> dict:
    """A status change's date and source, as a proposal keeps them until it is applied."""
    if change is None:
        return {}
    return {
        "status_change": {
            "effective_on": change.effective_on.isoformat() if change.effective_on else None,
            "source": change.source.pk if change.source else None,
            "quote": change.quote,
            "note": change.note,
        }
    }
