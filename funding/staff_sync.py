"""`is_staff` follows the rights that open the admin, so a user's rights come from the groups
and the programme teams.

Django's admin needs `is_staff` to let a user sign in. Whoever is in Funding admins, or an
editor or approver of some programme, has it; whoever is neither loses it (superusers keep
theirs). Group membership can change from either side, the user's groups or the group's users,
so both are watched; a team role changes with its row (saved or deleted).
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db.models import Exists, OuterRef, Q
from django.db.models.signals import m2m_changed, post_delete, post_save

from funding.models.teams import ProgrammeMembership, TeamRole
from funding.permissions import FUNDING_ADMINS

# The roles that work in the admin (funding/permissions.py `editable_programme_ids`).
ADMIN_ROLES = [TeamRole.EDITOR, TeamRole.APPROVER]


def _refresh_staff(user_pks) -> None:
    """Sets `is_staff` of these users from what they now hold: two UPDATEs at most."""
    User = get_user_model()
    edits = Exists(ProgrammeMembership.objects.filter(user=OuterRef("pk"), role__in=ADMIN_ROLES))
    admin = Exists(
        User.groups.through.objects.filter(user=OuterRef("pk"), group__name=FUNDING_ADMINS)
    )
    users = User.objects.filter(pk__in=list(user_pks))
    users.filter(admin | edits, is_staff=False).update(is_staff=True)
    users.filter(~Q(admin | edits), is_staff=True, is_superuser=False).update(is_staff=False)


def _funding_admins_pk():
    return Group.objects.filter(name=FUNDING_ADMINS).values_list("pk", flat=True).first()


def _user_side(user, action, pk_set):
    """`user.groups.add/remove/clear/set`: did Funding admins come or go?"""
    if action == "pre_clear":
        user._was_funding_admin = user.groups.filter(name=FUNDING_ADMINS).exists()
        return
    if action == "post_clear":
        if not getattr(user, "_was_funding_admin", False):
            return
    elif _funding_admins_pk() not in (pk_set or ()):
        return
    _refresh_staff([user.pk])
    # The object in hand follows too, for the rest of this request.
    user.is_staff = (
        get_user_model().objects.filter(pk=user.pk).values_list("is_staff", flat=True).first()
        or False
    )


def _group_side(group, action, pk_set):
    """`group.user_set.add/remove/clear/set` on Funding admins."""
    if group.name != FUNDING_ADMINS:
        return
    if action == "pre_clear":
        group._leaving_users = list(group.user_set.values_list("pk", flat=True))
    elif action == "post_clear":
        _refresh_staff(getattr(group, "_leaving_users", []))
    else:
        _refresh_staff(pk_set or ())


def membership_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if action not in ("post_add", "post_remove", "pre_clear", "post_clear"):
        return
    if reverse:
        _group_side(instance, action, pk_set)
    else:
        _user_side(instance, action, pk_set)


def team_changed(sender, instance, **kwargs):
    _refresh_staff([instance.user_id])
    user = instance._state.fields_cache.get("user")
    if user is not None:
        # The object in hand follows too, so that a later save of it keeps the new value.
        user.is_staff = (
            get_user_model().objects.filter(pk=user.pk).values_list("is_staff", flat=True).first()
            or False
        )


def connect() -> None:
    m2m_changed.connect(
        membership_changed,
        sender=get_user_model().groups.through,
        dispatch_uid="funding-staff-follows-funding-admins",
    )
    post_save.connect(
        team_changed, sender=ProgrammeMembership, dispatch_uid="funding-staff-follows-teams"
    )
    post_delete.connect(
        team_changed, sender=ProgrammeMembership, dispatch_uid="funding-staff-follows-team-exits"
    )
