"""`is_staff` follows membership of "Funding admins", so a user's rights come from the groups.

Django's admin needs `is_staff` to let a user sign in; whoever joins Funding admins gets it, and
whoever leaves loses it (superusers keep theirs). Membership can change from either side, the
user's groups or the group's users, so both are watched.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db.models.signals import m2m_changed

from funding.permissions import FUNDING_ADMINS


def _set_staff(user_pks, is_staff: bool) -> None:
    users = get_user_model().objects.filter(pk__in=user_pks)
    if not is_staff:
        users = users.filter(is_superuser=False)
    users.exclude(is_staff=is_staff).update(is_staff=is_staff)


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
        joined = False
    else:
        if _funding_admins_pk() not in (pk_set or ()):
            return
        joined = action == "post_add"
    _set_staff([user.pk], joined)
    if joined or not user.is_superuser:
        user.is_staff = joined


def _group_side(group, action, pk_set):
    """`group.user_set.add/remove/clear/set` on Funding admins."""
    if group.name != FUNDING_ADMINS:
        return
    if action == "pre_clear":
        group._leaving_users = list(group.user_set.values_list("pk", flat=True))
    elif action == "post_clear":
        _set_staff(getattr(group, "_leaving_users", []), False)
    else:
        _set_staff(pk_set or (), action == "post_add")


def membership_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if action not in ("post_add", "post_remove", "pre_clear", "post_clear"):
        return
    if reverse:
        _group_side(instance, action, pk_set)
    else:
        _user_side(instance, action, pk_set)


def connect() -> None:
    m2m_changed.connect(
        membership_changed,
        sender=get_user_model().groups.through,
        dispatch_uid="funding-staff-follows-funding-admins",
    )
