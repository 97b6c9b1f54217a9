"""Rights come from the groups: joining Funding admins opens the admin, leaving closes it."""

import pytest
from django.contrib.auth.models import Group, User
from django.urls import reverse

from funding.permissions import FUNDING_ADMINS, POLICY_STAFF
from tests.support.users import PASSWORD, make_user

LOGIN = reverse("admin:login")
LIST = reverse("admin:funding_contribution_changelist")


def signs_in_and_sees_the_list(client, user) -> bool:
    """Sign in through the admin's own form, as a person would, then open the contribution list."""
    client.logout()
    client.post(LOGIN, {"username": user.username, "password": PASSWORD, "next": LIST})
    return client.get(LIST).status_code == 200


def is_staff(user) -> bool:
    return User.objects.get(pk=user.pk).is_staff


@pytest.fixture
def admins(db):
    return Group.objects.get(name=FUNDING_ADMINS)


@pytest.fixture
def newcomer(db):
    return make_user("newcomer")


def test_joining_and_leaving_from_the_users_side(client, aifabriek, admins, newcomer):
    assert not signs_in_and_sees_the_list(client, newcomer)
    newcomer.groups.add(admins)
    assert (is_staff(newcomer), newcomer.is_staff) == (True, True)
    assert signs_in_and_sees_the_list(client, newcomer)
    newcomer.groups.remove(admins)
    assert (is_staff(newcomer), newcomer.is_staff) == (False, False)
    assert not signs_in_and_sees_the_list(client, newcomer)


def test_joining_and_leaving_from_the_groups_side(client, aifabriek, admins, newcomer):
    admins.user_set.add(newcomer)
    assert is_staff(newcomer)
    assert signs_in_and_sees_the_list(client, newcomer)
    admins.user_set.remove(newcomer)
    assert not is_staff(newcomer)
    assert not signs_in_and_sees_the_list(client, newcomer)


def test_clearing_and_setting_groups_follow_too(admins, newcomer):
    newcomer.groups.set([admins])
    assert is_staff(newcomer)
    newcomer.groups.clear()
    assert not is_staff(newcomer)
    admins.user_set.set([newcomer])
    assert is_staff(newcomer)
    admins.user_set.clear()
    assert not is_staff(newcomer)


def test_other_groups_leave_is_staff_alone(admins, newcomer):
    policy = Group.objects.get(name=POLICY_STAFF)
    newcomer.groups.add(policy)
    assert not is_staff(newcomer)
    newcomer.groups.add(admins)
    newcomer.groups.remove(policy)
    policy.user_set.clear()
    assert is_staff(newcomer)


def test_a_superuser_who_leaves_stays_staff(admins):
    boss = User.objects.create_superuser("boss", password=PASSWORD)
    boss.groups.add(admins)
    boss.groups.remove(admins)
    admins.user_set.add(boss)
    admins.user_set.clear()
    assert is_staff(boss) and boss.is_staff
