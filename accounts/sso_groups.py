"""Group membership from the provider's claims: added and removed at every sign-in.

Only the two groups that rights come from are managed; `is_staff` follows Funding admins
through funding/staff_sync.py. Someone whose claims name neither group still signs in, and
the dashboards answer with the 403 page that says whom to ask.
"""

from django.conf import settings
from django.contrib.auth.models import Group

from accounts.audit import record
from accounts.models import SignInEvent
from funding.permissions import FUNDING_ADMINS, POLICY_STAFF


def claim_values(claims) -> set[str]:
    value = claims.get(settings.OIDC_GROUPS_CLAIM, [])
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list | tuple):
        return set()
    return {str(item) for item in value}


def groups_for(claims) -> set[str]:
    values = claim_values(claims)
    wanted = set()
    if values & set(settings.OIDC_POLICY_STAFF_VALUES):
        wanted.add(POLICY_STAFF)
    if values & set(settings.OIDC_FUNDING_ADMIN_VALUES):
        wanted.add(FUNDING_ADMINS)
    return wanted


def follow_claims(user, claims, *, request=None) -> None:
    managed = {POLICY_STAFF, FUNDING_ADMINS}
    wanted = groups_for(claims)
    current = set(user.groups.filter(name__in=managed).values_list("name", flat=True))
    added, removed = sorted(wanted - current), sorted(current - wanted)
    if added:
        user.groups.add(*Group.objects.filter(name__in=added))
    if removed:
        user.groups.remove(*Group.objects.filter(name__in=removed))
    if added or removed:
        detail = "; ".join(
            part
            for part in (
                f"added: {', '.join(added)}" if added else "",
                f"removed: {', '.join(removed)}" if removed else "",
            )
            if part
        )
        record(SignInEvent.Kind.GROUPS_CHANGED, request=request, user=user, detail=detail)
