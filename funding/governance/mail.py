"""Telling people: a new proposal goes to the programme's approvers, a decision to the proposer.

The approvers are the programme's team approvers; a programme with no team approver is looked
after by the funding admins (and superusers), who approve on every programme, so they hear of it
instead. The proposer is never told of their own proposal; a person with no address is told on
the dashboard only. Mail goes through Django's mail (settings EMAIL_*, from the environment).
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mass_mail
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from funding.models.teams import TeamRole
from funding.permissions import FUNDING_ADMINS


def approvers_of(programme_id: int):
    """The people to tell of a proposal on the programme, with an address."""
    users = get_user_model().objects.filter(is_active=True).exclude(email="")
    team = users.filter(
        programme_memberships__programme_id=programme_id,
        programme_memberships__role=TeamRole.APPROVER,
    )
    if team.exists():
        return team
    return users.filter(Q(is_superuser=True) | Q(groups__name=FUNDING_ADMINS)).distinct()


def _link(proposal) -> str:
    path = reverse("admin:funding_proposal_change", args=[proposal.pk])
    return settings.SITE_URL.rstrip("/") + path if settings.SITE_URL else path


def _what(proposal) -> str:
    lines = [f"{proposal.content_type.name}: {proposal.subject} ({proposal.get_action_display()})"]
    for name in sorted(set(proposal.before) | set(proposal.after)):
        lines.append(
            f"  {name}: {proposal.before.get(name, '—')} → {proposal.after.get(name, '—')}"
        )
    return "\n".join(lines)


def proposed(proposals) -> int:
    """One message per approver for the proposals (an import's batch is one message)."""
    if not proposals:
        return 0
    first = proposals[0]
    proposer = first.proposer
    recipients = approvers_of(first.programme_id)
    if proposer is not None:
        recipients = recipients.exclude(pk=proposer.pk)
    addresses = sorted({user.email for user in recipients})
    if not addresses:
        return 0
    subject = _("Awaiting your approval: %(count)s change(s) to %(programme)s") % {
        "count": len(proposals),
        "programme": first.programme,
    }
    body = "\n\n".join(
        [
            _("%(who)s proposed a change to what the public sees; it waits for a second person.")
            % {"who": proposer.get_username() if proposer else _("someone")},
            *(f"{_what(p)}\n{_link(p)}" for p in proposals),
        ]
    )
    messages = [(subject, body, None, [address]) for address in addresses]
    return send_mass_mail(messages, fail_silently=False)


def decided(proposal) -> int:
    """Tells the proposer what became of their proposal."""
    proposer = proposal.proposer
    if proposer is None or not proposer.email or proposer.pk == proposal.decider_id:
        return 0
    subject = _("Your proposal was %(state)s: %(subject)s") % {
        "state": proposal.get_state_display(),
        "subject": proposal.subject,
    }
    body = "\n\n".join(
        [
            _("Your proposal on %(programme)s was %(state)s.")
            % {"programme": proposal.programme, "state": proposal.get_state_display()},
            _what(proposal),
            _("Reason: %(reason)s") % {"reason": proposal.reason},
            _link(proposal),
        ]
    )
    return send_mass_mail([(subject, body, None, [proposer.email])], fail_silently=False)
