"""What the dashboard's cockpit reads of the four-eyes rule: querysets, so that a caller can
count them and take a page."""

from django.db.models import Q

from funding.models import AuditEvent, AuditKind, Proposal
from funding.models.teams import TeamRole
from funding.permissions import is_funding_admin, team_roles


def awaiting_approval_by(user):
    """Pending proposals on programmes `user` approves on, other people's only."""
    if not user.is_authenticated or not user.is_active:
        return Proposal.objects.none()
    pending = Proposal.objects.pending().select_related("programme", "proposer", "content_type")
    pending = pending.exclude(proposer=user)
    if is_funding_admin(user):
        return pending
    approves = [pk for pk, role in team_roles(user).items() if role == TeamRole.APPROVER]
    return pending.filter(programme_id__in=approves)


def awaiting_others(user):
    """The user's own proposals, waiting for someone else."""
    if not user.is_authenticated:
        return Proposal.objects.none()
    return (
        Proposal.objects.pending().filter(proposer=user).select_related("programme", "content_type")
    )


def break_glass_uses(programme_ids=None):
    """Every change a superuser applied alone (break-glass), newest first; None: every programme."""
    uses = AuditEvent.objects.filter(kind=AuditKind.BREAK_GLASS).select_related("programme")
    if programme_ids is not None:
        uses = uses.filter(Q(programme_id__in=programme_ids))
    return uses
