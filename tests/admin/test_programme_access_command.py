"""`manage.py programme_access USER SLUG ROLE [--remove]`: a role on one programme's team."""

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.core.management.base import CommandError

from funding.models import AuditEvent, AuditKind, ProgrammeMembership
from tests.support.factories import ProgrammeFactory
from tests.support.users import make_user

SLUG = "ai-fabriek-groningen"


def programme_access(*args) -> str:
    from io import StringIO

    out = StringIO()
    call_command("programme_access", *args, stdout=out)
    return out.getvalue().strip()


def roles_of(user) -> dict[str, str]:
    return dict(user.programme_memberships.values_list("programme__slug", "role"))


@pytest.fixture
def anna(db):
    return make_user("anna")


def test_it_gives_a_role_and_records_it(aifabriek, anna):
    assert programme_access("anna", SLUG, "editor") == f"anna is now editor of {SLUG}."
    assert roles_of(anna) == {SLUG: "editor"}
    event = AuditEvent.objects.get()
    assert (event.kind, event.actor, event.actor_name) == (AuditKind.TEAM_ADDED, None, "")
    assert (event.programme, event.subject) == (aifabriek, "anna")
    assert (event.before, event.after) == ({}, {"role": "editor"})
    assert event.reason == "manage.py programme_access"


def test_it_changes_a_role_with_before_and_after(aifabriek, anna):
    programme_access("anna", SLUG, "viewer")
    out = programme_access("anna", SLUG, "approver")
    assert out == f"anna is now approver of {SLUG} (was viewer)."
    assert roles_of(anna) == {SLUG: "approver"}
    changed = AuditEvent.objects.get(kind=AuditKind.TEAM_CHANGED)
    assert (changed.before, changed.after) == ({"role": "viewer"}, {"role": "approver"})


def test_giving_the_same_role_again_changes_and_records_nothing(aifabriek, anna):
    programme_access("anna", SLUG, "viewer")
    assert (
        programme_access("anna", SLUG, "viewer")
        == f"anna is already viewer of {SLUG}; nothing changed."
    )
    assert AuditEvent.objects.count() == 1


def test_remove_takes_the_role_away_and_records_it(aifabriek, anna):
    programme_access("anna", SLUG, "editor")
    assert programme_access("anna", SLUG, "editor", "--remove") == (
        f"anna is no longer editor of {SLUG}."
    )
    assert roles_of(anna) == {}
    removed = AuditEvent.objects.get(kind=AuditKind.TEAM_REMOVED)
    assert (removed.before, removed.after, removed.subject) == ({"role": "editor"}, {}, "anna")
    assert not User.objects.get(pk=anna.pk).is_staff


def test_remove_of_another_role_than_held_changes_nothing(aifabriek, anna):
    programme_access("anna", SLUG, "approver")
    with pytest.raises(CommandError, match="anna is approver of ai-fabriek-groningen, not viewer"):
        programme_access("anna", SLUG, "viewer", "--remove")
    assert roles_of(anna) == {SLUG: "approver"}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("nobody", SLUG, "viewer"), "Unknown user 'nobody'"),
        (("anna", "no-such-programme", "viewer"), "Unknown programme 'no-such-programme'"),
        (("anna", SLUG, "owner"), "Unknown role 'owner': give one of viewer, editor, approver."),
        (("nobody", "no-such-programme", "owner"), "Unknown role 'owner'"),
        (("anna", SLUG, "Editor", "--remove"), "Unknown role 'Editor'"),
    ],
)
def test_a_bad_value_is_named_exits_non_zero_and_changes_nothing(aifabriek, anna, args, message):
    with pytest.raises(CommandError, match=message) as refused:
        programme_access(*args)
    assert refused.value.returncode == 1
    assert "\n" not in str(refused.value)
    assert not ProgrammeMembership.objects.exists()
    assert not AuditEvent.objects.exists()


def test_roles_on_two_programmes_are_kept_apart(aifabriek, anna):
    other = ProgrammeFactory(slug="elders")
    programme_access("anna", SLUG, "viewer")
    programme_access("anna", "elders", "editor")
    assert roles_of(anna) == {SLUG: "viewer", other.slug: "editor"}
