"""Users and their password for tests: made as the data migration makes the groups."""

from django.contrib.auth.models import Group, User

from funding.permissions import EDITABLE_MODELS, FUNDING_ADMINS, POLICY_STAFF

PASSWORD = "a-test-password-of-some-length"


def make_user(username, group_name=None, **extra):
    user = User.objects.create_user(username=username, password=PASSWORD, **extra)
    if group_name:
        user.groups.add(Group.objects.get(name=group_name))
    return user


def restore_groups():
    """Make the two groups again, as the data migration does.

    A transactional test's flush empties every table, the groups that migration 0002 made
    included; permissions come back with the flush's post-migrate signal, groups do not.
    """
    from django.contrib.auth.models import Permission

    funding = Permission.objects.filter(
        content_type__app_label="funding", content_type__model__in=EDITABLE_MODELS
    )
    staff, _ = Group.objects.get_or_create(name=POLICY_STAFF)
    staff.permissions.set(funding.filter(codename__startswith="view_"))
    admins, _ = Group.objects.get_or_create(name=FUNDING_ADMINS)
    admins.permissions.set(funding)


def make_member(username, programme, role, **extra):
    """A user in no group with one role on one programme's team, given as the admin gives it."""
    from funding.teams import give_role

    user = make_user(username, **extra)
    give_role(user=user, programme=programme, role=role)
    user.refresh_from_db()  # `is_staff` follows the role (funding/staff_sync.py)
    return user
