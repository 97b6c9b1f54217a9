"""A programme's four-eyes switch: turned off or on only by someone who approves on the
programme, with a reason, audited. The switch itself changes at once (it is the approvers'
decision, not a change to a public figure)."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from funding.audit import AuditKind, record_governance
from funding.governance.context import switching
from funding.governance.proposals import ProposalError
from funding.permissions import may_approve


def set_four_eyes(programme, on: bool, *, user, reason: str) -> bool:
    """Turns the rule on or off for `programme`; False when it already was so."""
    if not may_approve(user, programme):
        raise PermissionDenied(_("Only an approver of this programme may turn the rule off or on."))
    reason = (reason or "").strip()
    if not reason:
        raise ProposalError(_("Give the reason for turning the four-eyes rule off or on."))
    if programme.four_eyes == on:
        return False
    before = {"four_eyes": programme.four_eyes}
    programme.four_eyes = on
    programme._history_user = user
    with switching():
        programme.save(update_fields=["four_eyes"])
    record_governance(
        AuditKind.FOUR_EYES_ON if on else AuditKind.FOUR_EYES_OFF,
        actor=user,
        programme=programme,
        subject=str(programme),
        before=before,
        after={"four_eyes": on},
        reason=reason,
    )
    return True
