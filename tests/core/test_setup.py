"""Settings, groups and the commands a new user runs."""

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import call_command

from tests.support.commands import PRODUCTION, manage_as_production


def test_production_passes_the_deploy_check():
    result = manage_as_production("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize("missing", ["SECRET_KEY", "ALLOWED_HOSTS"])
def test_production_refuses_to_start_without(missing):
    env = {k: v for k, v in PRODUCTION.items() if k != missing}
    result = manage_as_production("check", **env)
    assert result.returncode != 0
    assert f"{missing} must be set when DEBUG is off" in result.stderr


@pytest.mark.django_db
def test_groups_exist_after_migrate_with_their_rights():
    staff = set(
        Group.objects.get(name="Policy staff").permissions.values_list("codename", flat=True)
    )
    admins = set(
        Group.objects.get(name="Funding admins").permissions.values_list("codename", flat=True)
    )
    assert {"view_contribution", "view_programme", "view_milestone"} <= staff
    assert not any(code.startswith(("add_", "change_", "delete_")) for code in staff)
    assert {"add_contribution", "change_contribution", "delete_contribution"} <= admins
    assert {"change_dateestimate", "change_source", "add_milestone"} <= admins


@pytest.mark.django_db
def test_demo_users_get_generated_passwords_printed_once(capsys, settings):
    settings.DEBUG = True
    call_command("create_demo_users", site_url="http://127.0.0.1:8000/")
    first = capsys.readouterr().out
    staff = User.objects.get(username="staff")
    assert list(staff.groups.values_list("name", flat=True)) == ["Policy staff"]
    password = first.split("staff       (Policy staff): password ")[1].split()[0]
    assert len(password) >= 16
    assert staff.check_password(password)
    call_command("create_demo_users", site_url="http://127.0.0.1:8000/")
    assert password not in capsys.readouterr().out
    assert User.objects.filter(username__in=["staff", "controller"]).count() == 2


@pytest.mark.django_db
def test_no_demo_users_with_debug_off(capsys, settings):
    settings.DEBUG = False
    call_command("create_demo_users")
    assert "DEBUG is off" in capsys.readouterr().out
    assert not User.objects.exists()


def test_demo_team_of_the_shipped_programme_is_created_with_printed_passwords(
    capsys, settings, aifabriek
):
    settings.DEBUG = True
    call_command("create_demo_users", site_url="http://127.0.0.1:8000/")
    out = capsys.readouterr().out
    for username, role in (("editor", "editor"), ("approver", "approver")):
        user = User.objects.get(username=username)
        assert dict(user.programme_memberships.values_list("programme__slug", "role")) == {
            "ai-fabriek-groningen": role
        }
        assert (list(user.groups.all()), user.is_staff) == ([], True)
        label = f"{username:<11} ({role} of ai-fabriek-groningen): password "
        assert user.check_password(out.split(label)[1].split()[0])
