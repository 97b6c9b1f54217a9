"""A signed-in request reads its user from the cache, and never a right the user lost.

The tests sign in, make one request so that the cache holds the user, change what the user
is or may do the way the app changes it (a saved row, a group's members, a team), and check
that the very next request answers with the change.
"""

import pytest
from django.contrib.auth import HASH_SESSION_KEY, SESSION_KEY
from django.contrib.auth.models import Group, Permission
from django.core.cache import cache
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from funding.models import ProgrammeMembership
from funding.permissions import FUNDING_ADMINS, POLICY_STAFF
from tests.support.users import make_user

pytestmark = pytest.mark.django_db

DASHBOARD = "/dashboard/ai-fabriek-groningen/"
ADMIN_LIST = "/admin/funding/contribution/"


@pytest.fixture
def warm_staff(client, aifabriek, policy_staff):
    """Policy staff, signed in, with one dashboard request behind them (the cache is warm)."""
    client.force_login(policy_staff)
    assert client.get(DASHBOARD).status_code == 200
    return client


def test_a_warm_request_reads_nothing_of_the_user_from_the_database(
    warm_staff, django_assert_num_queries
):
    with django_assert_num_queries(0):
        response = warm_staff.get(DASHBOARD)
    assert response.status_code == 200
    assert response.wsgi_request.user.username == "policy"


def test_leaving_the_group_closes_the_dashboards_at_the_next_request(warm_staff, policy_staff):
    policy_staff.groups.remove(Group.objects.get(name=POLICY_STAFF))
    assert warm_staff.get(DASHBOARD).status_code == 403


def test_the_group_emptied_from_its_side_closes_the_dashboards(warm_staff):
    Group.objects.get(name=POLICY_STAFF).user_set.clear()
    assert warm_staff.get(DASHBOARD).status_code == 403


def test_a_renamed_group_gives_its_members_no_more_rights(warm_staff):
    group = Group.objects.get(name=POLICY_STAFF)
    group.name = "Former policy staff"
    group.save()
    assert warm_staff.get(DASHBOARD).status_code == 403


def test_a_deleted_group_gives_its_members_no_more_rights(warm_staff):
    Group.objects.get(name=POLICY_STAFF).delete()
    assert warm_staff.get(DASHBOARD).status_code == 403


def test_a_deactivated_user_is_signed_out_at_the_next_request(warm_staff, policy_staff):
    policy_staff.is_active = False
    policy_staff.save()
    response = warm_staff.get(DASHBOARD)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_a_deleted_user_is_signed_out_at_the_next_request(warm_staff, policy_staff):
    policy_staff.delete()
    assert warm_staff.get(DASHBOARD).status_code == 302


def test_a_password_change_signs_the_other_sessions_out(warm_staff, policy_staff):
    policy_staff.set_password("another-password-of-some-length")
    policy_staff.save()
    response = warm_staff.get(DASHBOARD)
    assert response.status_code == 302
    assert SESSION_KEY not in warm_staff.session


def test_the_session_that_changed_the_password_stays_signed_in(warm_staff, policy_staff):
    policy_staff.set_password("another-password-of-some-length")
    policy_staff.save()
    # What `update_session_auth_hash` leaves in the session of the person who changed it.
    session = warm_staff.session
    session[HASH_SESSION_KEY] = policy_staff.get_session_auth_hash()
    session.save()
    assert warm_staff.get(DASHBOARD).status_code == 200


def test_joining_a_team_opens_that_programme_and_leaving_closes_it(client, aifabriek):
    member = make_user("member")
    client.force_login(member)
    assert client.get(DASHBOARD).status_code == 403
    membership = ProgrammeMembership.objects.create(programme=aifabriek, user=member, role="viewer")
    assert client.get(DASHBOARD).status_code == 200
    membership.delete()
    assert client.get(DASHBOARD).status_code == 403


def test_a_permission_taken_from_the_group_is_gone_at_the_next_request(
    client, aifabriek, funding_admin
):
    client.force_login(funding_admin)
    assert client.get(ADMIN_LIST).status_code == 200
    group = Group.objects.get(name=FUNDING_ADMINS)
    group.permissions.remove(Permission.objects.get(codename="view_contribution"))
    group.permissions.remove(Permission.objects.get(codename="change_contribution"))
    assert client.get(ADMIN_LIST).status_code == 403


def test_a_permission_taken_from_the_permissions_side_is_gone_too(client, aifabriek, funding_admin):
    client.force_login(funding_admin)
    assert client.get(ADMIN_LIST).status_code == 200
    for codename in ("view_contribution", "change_contribution"):
        Permission.objects.get(codename=codename).group_set.clear()
    assert client.get(ADMIN_LIST).status_code == 403


@pytest.fixture
def verified_admin(client, aifabriek, funding_admin, settings):
    """A funding admin who gave a second factor, with one admin request behind them."""
    settings.ADMIN_REQUIRE_2FA = True
    device = TOTPDevice.objects.create(user=funding_admin, name="phone", confirmed=True)
    client.force_login(funding_admin)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    assert client.get(ADMIN_LIST).status_code == 200
    return client, device


def test_the_second_factor_is_read_from_the_cache(verified_admin, django_assert_num_queries):
    client, device = verified_admin
    assert client.get(DASHBOARD).status_code == 200
    with django_assert_num_queries(0):
        response = client.get(DASHBOARD)
    assert response.status_code == 200
    assert response.wsgi_request.user.otp_device == device


def test_a_deleted_device_is_no_second_factor_at_the_next_request(verified_admin):
    client, device = verified_admin
    device.delete()
    response = client.get(ADMIN_LIST)
    assert response.status_code == 302
    assert DEVICE_ID_SESSION_KEY not in client.session


def test_another_users_device_is_no_second_factor(verified_admin, policy_staff):
    client, _device = verified_admin
    theirs = TOTPDevice.objects.create(user=policy_staff, name="theirs", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = theirs.persistent_id
    session.save()
    assert client.get(ADMIN_LIST).status_code == 302


def test_a_flushed_cache_signs_nobody_out(warm_staff, django_assert_num_queries):
    cache.clear()  # Redis flushed or restarted empty
    # The session comes back from its table, the user from theirs; then it is warm again.
    response = warm_staff.get(DASHBOARD)
    assert response.status_code == 200
    assert response.wsgi_request.user.username == "policy"
    with django_assert_num_queries(0):
        assert warm_staff.get(DASHBOARD).status_code == 200


def test_without_a_shared_cache_every_request_reads_the_user(
    warm_staff, settings, django_assert_num_queries
):
    settings.SIGNED_IN_CACHE_SECONDS = 0
    with django_assert_num_queries(2):  # the user; their groups and team roles, read together
        assert warm_staff.get(DASHBOARD).status_code == 200


def test_the_cache_keeps_no_second_factor_secret(verified_admin):
    _client, device = verified_admin
    # The tests' cache is Django's memory cache: its values are pickled bytes.
    held = b"".join(cache._cache.values())
    assert device.persistent_id.encode() in held
    assert device.key.encode() not in held


def test_memberships_deleted_in_bulk_close_the_programme_too(client, aifabriek):
    member = make_user("member")
    ProgrammeMembership.objects.create(programme=aifabriek, user=member, role="viewer")
    client.force_login(member)
    assert client.get(DASHBOARD).status_code == 200
    ProgrammeMembership.objects.filter(user=member).delete()
    assert client.get(DASHBOARD).status_code == 403
