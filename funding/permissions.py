"""The two groups that rights come from, and what each may do."""

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


def group_names(user) -> frozenset[str]:
    """The names of the user's groups, read once per request: kept on the user object, which
    the authentication middleware loads afresh for every request."""
    if not hasattr(user, "_group_names"):
        user._group_names = frozenset(user.groups.values_list("name", flat=True))
    return user._group_names


def can_view_dashboards(user) -> bool:
    """Policy staff and funding admins (and superusers) may see the dashboards."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return not group_names(user).isdisjoint(DASHBOARD_GROUPS)


def may_view_dashboards(user) -> bool:
    """`can_view_dashboards`, as the dashboards and the header ask it: no query of its own once
    the user's groups are read (`group_names`)."""
    return can_view_dashboards(user)


def can_edit_in_admin(user) -> bool:
    """Whether to offer a link to the admin: staff users who may change contributions."""
    return user.is_active and user.is_staff and user.has_perm("funding.change_contribution")


def is_funding_admin(user) -> bool:
    """Funding admins (and superusers) edit in the admin; nobody else may enter it."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return FUNDING_ADMINS in group_names(user)
