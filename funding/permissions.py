"""Who may see or edit what: the one place every surface asks.

Rights come from two portfolio-wide groups and from programme teams:

- "Policy staff" see every programme's dashboards and exports.
- "Funding admins" (and superusers) manage teams and may edit and approve on every programme.
- A programme team member (funding/models/teams.py) has a role on one programme: a viewer sees
  its dashboards and exports, an editor also proposes changes in the admin, an approver also
  approves or rejects other people's proposals.

Whatever the rights, nobody approves their own proposal (the four-eyes rule).

What a user is and holds (groups, team roles) is read once per request and kept on the user
object; `user_facts` and `remember_facts` let a longer-lived cache keep them: accounts/signed_in.py
keeps them per user in the shared cache, and retires them when a signal says they changed. A fact
added here needs its signal there, or a lost right would outlive the change.
"""

import hashlib

from django.contrib.auth.models import Group
from django.db.models import IntegerField, Value

from funding.models.teams import ROLE_RANK, ProgrammeMembership, TeamRole

POLICY_STAFF = "Policy staff"
FUNDING_ADMINS = "Funding admins"

# The models a funding admin edits in the admin (lower-case model names of this app).
EDITABLE_MODELS = [
    "organisation",
    "source",
    "programme",
    "partnerrole",
    "contribution",
    "contributionsource",
    "contributionshare",
    "statusevent",
    "payment",
    "milestone",
    "dateestimate",
    "decisionestimate",
]

DASHBOARD_GROUPS = (POLICY_STAFF, FUNDING_ADMINS)


def _read_facts(user) -> None:
    """Reads the user's groups and team roles in one query and keeps them on the user object,
    which the authentication middleware loads afresh for every request."""
    groups, teams = set(), {}
    if user.is_authenticated and user.pk is not None:
        # One UNION: a page that asks both (the header's admin link, a dashboard's access)
        # pays one query, not two.
        named = (
            Group.objects.filter(user=user)
            .order_by()
            .values_list(Value("group"), "name", Value(0, output_field=IntegerField()))
        )
        roles = (
            ProgrammeMembership.objects.filter(user=user)
            .order_by()
            .values_list(Value("team"), "role", "programme_id")
        )
        for kind, name, programme_id in named.union(roles, all=True):
            if kind == "group":
                groups.add(name)
            else:
                teams[programme_id] = name
    user._group_names = frozenset(groups)
    user._team_roles = teams


def group_names(user) -> frozenset[str]:
    """The names of the user's groups, read once per request (with the team roles)."""
    if not hasattr(user, "_group_names"):
        _read_facts(user)
    return user._group_names


def team_roles(user) -> dict[int, str]:
    """The user's role per programme id, read once per request (with the groups)."""
    if not hasattr(user, "_team_roles"):
        _read_facts(user)
    return user._team_roles


def forget_facts(user) -> None:
    """Drops what was read of the user, after their groups or teams changed in this request."""
    for name in ("_group_names", "_team_roles"):
        user.__dict__.pop(name, None)


def user_facts(user) -> dict:
    """What this module reads of a user beyond its row, for a cache to keep between requests."""
    return {"groups": group_names(user), "teams": team_roles(user)}


def remember_facts(user, facts: dict) -> None:
    """Puts facts kept by `user_facts` back on a user object, so no query reads them again."""
    user._group_names = frozenset(facts["groups"])
    user._team_roles = dict(facts["teams"])


def _programme_id(programme) -> int:
    return programme if isinstance(programme, int) else programme.pk


def _has_role(user, programme, least: str) -> bool:
    role = team_roles(user).get(_programme_id(programme))
    return role is not None and ROLE_RANK[role] >= ROLE_RANK[least]


def is_funding_admin(user) -> bool:
    """Funding admins (and superusers) edit every programme and manage teams."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return FUNDING_ADMINS in group_names(user)


def sees_every_programme(user) -> bool:
    """Policy staff, funding admins and superusers see the whole portfolio."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return not group_names(user).isdisjoint(DASHBOARD_GROUPS)


def visible_programme_ids(user) -> frozenset[int] | None:
    """The programmes whose dashboards and exports the user may see: None means every one."""
    if sees_every_programme(user):
        return None
    if not user.is_authenticated or not user.is_active:
        return frozenset()
    return frozenset(team_roles(user))


def visible_programmes(user, queryset):
    """`queryset` (of programmes) limited to those the user may see."""
    ids = visible_programme_ids(user)
    return queryset if ids is None else queryset.filter(pk__in=ids)


def may_view_programme(user, programme) -> bool:
    ids = visible_programme_ids(user)
    return ids is None or _programme_id(programme) in ids


def editable_programme_ids(user) -> frozenset[int] | None:
    """The programmes whose records the user may change (as proposals where the four-eyes rule
    holds): None means every one."""
    if is_funding_admin(user):
        return None
    if not user.is_authenticated or not user.is_active:
        return frozenset()
    return frozenset(
        pk for pk, role in team_roles(user).items() if ROLE_RANK[role] >= ROLE_RANK[TeamRole.EDITOR]
    )


def may_edit_programme(user, programme) -> bool:
    ids = editable_programme_ids(user)
    return ids is None or _programme_id(programme) in ids


def may_approve(user, programme) -> bool:
    """Whether the user approves or rejects proposals on the programme (never their own: the
    four-eyes rule checks that, not this)."""
    return is_funding_admin(user) or (
        user.is_authenticated and user.is_active and _has_role(user, programme, TeamRole.APPROVER)
    )


def can_view_dashboards(user) -> bool:
    """Policy staff, funding admins, superusers, and any programme team member."""
    if not user.is_authenticated or not user.is_active:
        return False
    return sees_every_programme(user) or bool(team_roles(user))


def may_view_dashboards(user) -> bool:
    """`can_view_dashboards`, as the dashboards and the header ask it: no query of its own once
    the user's groups and teams are read."""
    return can_view_dashboards(user)


def may_enter_admin(user) -> bool:
    """Funding admins, and editors and approvers of some programme (who see only theirs)."""
    if is_funding_admin(user):
        return True
    return bool(editable_programme_ids(user))


def can_edit_in_admin(user) -> bool:
    """Whether to offer a link to the admin."""
    return user.is_active and may_enter_admin(user)


def scope_key(programme_ids: frozenset[int] | None) -> str:
    """A set of programmes as a short word for cache keys: "all" (None), or a hash of the ids.

    People whose rights cover the same programmes share cached pages; nobody gets a page built
    for others."""
    if programme_ids is None:
        return "all"
    listed = ",".join(str(pk) for pk in sorted(programme_ids))
    return "teams-" + hashlib.sha256(listed.encode()).hexdigest()[:16]


def visible_scope(user) -> str:
    """What the user sees (`visible_programme_ids`), as a cache key's part."""
    return scope_key(visible_programme_ids(user))


def editable_scope(user) -> str:
    """What the user may edit (`editable_programme_ids`: the admin's lists), as a key's part."""
    return scope_key(editable_programme_ids(user))


def may_manage_teams(user) -> bool:
    """Who gives and takes programme roles in the admin: funding admins (and superusers)."""
    return is_funding_admin(user)


def may_read_audit(user) -> bool:
    """Who reads and exports the governance audit: funding admins (and superusers)."""
    return is_funding_admin(user)


def may_add_shared_records(user) -> bool:
    """Organisations and sources serve every programme: editors of any programme may add one
    (a new funder or document for their records)."""
    return may_enter_admin(user)


def may_change_shared_records(user) -> bool:
    """Changing or deleting an organisation or source changes every programme that cites it:
    funding admins only."""
    return is_funding_admin(user)
