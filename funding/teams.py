"""Giving and taking programme roles, each change recorded in the governance audit.

The admin, `manage.py programme_access` and single sign-on all change teams through these
functions, so that no path forgets the audit. `actor` is the person who made the change (None
for a command or the provider's claims: `via` then says which).
"""

from django.db import transaction

from funding import audit
from funding.models.teams import ProgrammeMembership


def _membership_subject(user) -> str:
    return user.get_username()


def record_change(*, membership, before: str | None, actor=None, via: str = "") -> None:
    """Audits a membership saved with role `before` (None: it is new); nothing when unchanged."""
    if before == membership.role:
        return
    audit.record_governance(
        audit.AuditKind.TEAM_ADDED if before is None else audit.AuditKind.TEAM_CHANGED,
        actor=actor,
        programme=membership.programme,
        subject=_membership_subject(membership.user),
        before={} if before is None else {"role": before},
        after={"role": membership.role},
        reason=via,
    )


def record_removal(*, membership, actor=None, via: str = "") -> None:
    audit.record_governance(
        audit.AuditKind.TEAM_REMOVED,
        actor=actor,
        programme=membership.programme,
        subject=_membership_subject(membership.user),
        before={"role": membership.role},
        after={},
        reason=via,
    )


def give_role(*, user, programme, role: str, actor=None, via: str = "") -> str | None:
    """Gives `user` the role on `programme` (replacing another role); returns the role they had
    (None if none). Audited when it changes anything."""
    with transaction.atomic():
        membership = (
            ProgrammeMembership.objects.select_for_update()
            .filter(user=user, programme=programme)
            .first()
        )
        before = membership.role if membership is not None else None
        if before == role:
            return before
        if membership is None:
            membership = ProgrammeMembership(user=user, programme=programme)
        membership.role = role
        membership.save()
        record_change(membership=membership, before=before, actor=actor, via=via)
    return before


def take_role(*, user, programme, actor=None, via: str = "") -> str | None:
    """Takes away the user's role on `programme`; returns it (None if they had none)."""
    with transaction.atomic():
        membership = (
            ProgrammeMembership.objects.select_for_update()
            .filter(user=user, programme=programme)
            .select_related("programme", "user")
            .first()
        )
        if membership is None:
            return None
        membership.delete()
        record_removal(membership=membership, actor=actor, via=via)
    return membership.role
