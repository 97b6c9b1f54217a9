"""Group membership and programme roles from the provider's claims, at every sign-in.

Only the two groups that rights come from are managed; `is_staff` follows Funding admins
and editor or approver roles through funding/staff_sync.py. Someone whose claims name neither
group nor programme still signs in, and the dashboards answer with the 403 page that says whom
to ask.

Programme roles come from the same claim, as values `<prefix><slug>:<role>` (the prefix is the
setting OIDC_PROGRAMME_ROLE_PREFIX, "programme:" unless set; empty turns this off). While it is
on, the provider manages every programme role of a person who signs in with it, as it manages
the two groups: a role given in the admin or by the command lasts until their next sign-in
(docs/decisions.md). A value naming an unknown programme or role is logged and ignored.
"""

import logging

from django.conf import settings
from django.contrib.auth.models import Group

from accounts.audit import record
from accounts.models import SignInEvent
from funding.models import Programme
from funding.models.teams import ROLE_RANK, TeamRole
from funding.permissions import FUNDING_ADMINS, POLICY_STAFF, forget_facts
from funding.teams import give_role, take_role

logger = logging.getLogger(__name__)
# Recorded as why, in the governance audit.
VIA = "single sign-on"


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


def programme_roles_for(claims) -> dict[str, str] | None:
    """The role per programme slug that the claims give; None when the provider manages none.

    A programme named twice keeps its highest role.
    """
    prefix = settings.OIDC_PROGRAMME_ROLE_PREFIX
    if not prefix:
        return None
    roles = {}
    for value in sorted(claim_values(claims)):
        if not value.startswith(prefix):
            continue
        slug, separator, role = value[len(prefix) :].rpartition(":")
        if not separator or not slug or role not in TeamRole.values:
            logger.warning("ignored programme claim %r: not %s<slug>:<role>", value, prefix)
            continue
        if slug not in roles or ROLE_RANK[role] > ROLE_RANK[roles[slug]]:
            roles[slug] = role
    return roles


def follow_programme_claims(user, claims) -> None:
    """Gives, changes and takes the user's programme roles as the claims say; each audited."""
    wanted = programme_roles_for(claims)
    if wanted is None:
        return
    programmes = {
        programme.slug: programme for programme in Programme.objects.filter(slug__in=wanted)
    }
    for slug in sorted(set(wanted) - set(programmes)):
        logger.warning("ignored programme claim for %r: no programme has that slug", slug)
    current = dict(user.programme_memberships.values_list("programme_id", "role"))
    for slug, programme in programmes.items():
        if current.get(programme.pk) != wanted[slug]:
            give_role(user=user, programme=programme, role=wanted[slug], via=VIA)
    kept = {programme.pk for programme in programmes.values()}
    for programme in Programme.objects.filter(pk__in=set(current) - kept):
        take_role(user=user, programme=programme, via=VIA)


def follow_claims(user, claims, *, request=None) -> None:
    follow_programme_claims(user, claims)
    _follow_group_claims(user, claims, request=request)
    # What this request read of the user's groups and roles before is out of date.
    forget_facts(user)


def _follow_group_claims(user, claims, *, request=None) -> None:
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
