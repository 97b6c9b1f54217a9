"""Writes the governance audit (funding/models/audit.py): the one function every surface calls
when a proposal, decision, break-glass use, team change or four-eyes switch happens."""

from funding.models.audit import AuditEvent, AuditKind

__all__ = ["AuditKind", "record_governance"]


def record_governance(
    kind: str,
    *,
    actor=None,
    programme=None,
    subject: str = "",
    before: dict | None = None,
    after: dict | None = None,
    reason: str = "",
) -> AuditEvent:
    """Adds one audit row. `before` and `after` hold JSON values (strings for money and dates)."""
    return AuditEvent.objects.create(
        kind=kind,
        actor=actor if actor is not None and actor.is_authenticated else None,
        actor_name=actor.get_username() if actor is not None and actor.is_authenticated else "",
        programme=programme,
        programme_name=str(programme)[:300] if programme is not None else "",
        subject=str(subject)[:300],
        before=before or {},
        after=after or {},
        reason=reason,
    )
