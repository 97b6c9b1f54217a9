"""Programme roles from the provider's claims (`programme:<slug>:<role>`), at every sign-in."""

import logging

import pytest
from django.contrib.auth.models import User

from accounts.sso_groups import programme_roles_for
from funding.models import AuditEvent, AuditKind, TeamRole
from funding.teams import give_role
from tests.support.factories import ProgrammeFactory
from tests.support.oidc_provider import sign_in_with_organisation

SLUG = "ai-fabriek-groningen"


def roles_of(user) -> dict[str, str]:
    return dict(user.programme_memberships.values_list("programme__slug", "role"))


def test_the_claims_values_become_roles_the_highest_kept(settings):
    settings.OIDC_GROUPS_CLAIM = "groups"
    settings.OIDC_PROGRAMME_ROLE_PREFIX = "programme:"
    claims = {
        "groups": [
            "programme:a:viewer",
            "programme:a:approver",
            "programme:b:editor",
            "programme:with:colon:viewer",
            "tracker-readers",
        ]
    }
    assert programme_roles_for(claims) == {"a": "approver", "b": "editor", "with:colon": "viewer"}


def test_an_empty_prefix_manages_no_roles(settings):
    settings.OIDC_PROGRAMME_ROLE_PREFIX = ""
    assert programme_roles_for({"groups": ["programme:a:viewer"]}) is None


def test_a_claim_gives_changes_and_takes_a_role_each_audited(client, sso, aifabriek):
    subject = "ilse@ez.example"
    sign_in_with_organisation(client, subject, groups=[f"programme:{SLUG}:editor"])
    user = User.objects.get(sso_identity__subject=subject)
    assert roles_of(user) == {SLUG: "editor"}
    assert user.is_staff
    assert client.get(f"/dashboard/{SLUG}/").status_code == 200
    client.post("/accounts/logout/")

    sign_in_with_organisation(client, subject, groups=[f"programme:{SLUG}:viewer"])
    assert roles_of(user) == {SLUG: "viewer"}
    assert not User.objects.get(pk=user.pk).is_staff
    client.post("/accounts/logout/")

    sign_in_with_organisation(client, subject, groups=[])
    assert roles_of(user) == {}
    events = AuditEvent.objects.order_by("pk")
    assert [(e.kind, e.before, e.after) for e in events] == [
        (AuditKind.TEAM_ADDED, {}, {"role": "editor"}),
        (AuditKind.TEAM_CHANGED, {"role": "editor"}, {"role": "viewer"}),
        (AuditKind.TEAM_REMOVED, {"role": "viewer"}, {}),
    ]
    assert {(e.actor, e.subject, e.reason) for e in events} == {
        (None, user.username, "single sign-on")
    }


def test_the_provider_manages_roles_given_elsewhere_too(client, sso, aifabriek):
    other = ProgrammeFactory(slug="elders")
    # A role given in the admin before this person first signs in with the provider.
    sign_in_with_organisation(client, "jan@ez.example", groups=[], preferred_username="jan")
    user = User.objects.get(sso_identity__subject="jan@ez.example")
    give_role(user=user, programme=other, role=TeamRole.APPROVER)
    client.post("/accounts/logout/")
    sign_in_with_organisation(client, "jan@ez.example", groups=[f"programme:{SLUG}:viewer"])
    assert roles_of(user) == {SLUG: "viewer"}


@pytest.mark.parametrize(
    "value",
    ["programme:no-such-programme:editor", f"programme:{SLUG}:owner", "programme:editor"],
)
def test_an_unknown_programme_or_role_is_logged_and_ignored(client, sso, aifabriek, caplog, value):
    with caplog.at_level(logging.WARNING, logger="accounts.sso_groups"):
        response = sign_in_with_organisation(
            client, "kees@ez.example", groups=[value, f"programme:{SLUG}:viewer"]
        )
    assert response.status_code == 302
    user = User.objects.get(sso_identity__subject="kees@ez.example")
    assert roles_of(user) == {SLUG: "viewer"}
    assert any(value.split(":")[1] in record.getMessage() for record in caplog.records)


def test_without_the_prefix_the_roles_given_in_the_admin_stay(client, sso, settings, aifabriek):
    settings.OIDC_PROGRAMME_ROLE_PREFIX = ""
    sign_in_with_organisation(client, "lotte@ez.example", groups=[f"programme:{SLUG}:viewer"])
    user = User.objects.get(sso_identity__subject="lotte@ez.example")
    assert roles_of(user) == {}
    give_role(user=user, programme=aifabriek, role=TeamRole.EDITOR)
    client.post("/accounts/logout/")
    sign_in_with_organisation(client, "lotte@ez.example", groups=[])
    assert roles_of(user) == {SLUG: "editor"}
