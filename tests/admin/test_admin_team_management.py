"""Teams in the admin: funding admins give, change and take roles, every change audited; the
governance audit is theirs to read and export, nobody's to change; `is_staff` follows roles."""

import csv
import io

import pytest
from django.contrib.auth.models import Group, User
from django.urls import reverse

from funding.models import AuditEvent, AuditKind, ProgrammeMembership, TeamRole
from funding.permissions import FUNDING_ADMINS
from funding.teams import give_role, take_role
from tests.support.admin_forms import form_data, sign_in_in_english
from tests.support.users import make_member, make_user

TEAM_LIST = reverse("admin:funding_programmemembership_changelist")
AUDIT_LIST = reverse("admin:funding_auditevent_changelist")
AUDIT_CSV = reverse("admin:funding_auditevent_export")


@pytest.fixture
def controller(client, funding_admin):
    return sign_in_in_english(client, funding_admin)


def is_staff(user) -> bool:
    return User.objects.get(pk=user.pk).is_staff


def test_a_funding_admin_gives_changes_and_takes_a_role_each_audited(
    controller, funding_admin, aifabriek
):
    anna = make_user("anna")
    added = controller.post(
        reverse("admin:funding_programmemembership_add"),
        {"user": anna.pk, "programme": aifabriek.pk, "role": "viewer"},
    )
    assert added.status_code == 302
    membership = ProgrammeMembership.objects.get(user=anna)
    change = reverse("admin:funding_programmemembership_change", args=[membership.pk])
    assert controller.post(change, {"role": "approver"}).status_code == 302
    delete = reverse("admin:funding_programmemembership_delete", args=[membership.pk])
    assert controller.post(delete, {"post": "yes"}).status_code == 302
    events = AuditEvent.objects.order_by("pk")
    assert [(e.kind, e.before, e.after) for e in events] == [
        (AuditKind.TEAM_ADDED, {}, {"role": "viewer"}),
        (AuditKind.TEAM_CHANGED, {"role": "viewer"}, {"role": "approver"}),
        (AuditKind.TEAM_REMOVED, {"role": "approver"}, {}),
    ]
    assert {(e.actor, e.subject, e.programme) for e in events} == {
        (funding_admin, "anna", aifabriek)
    }


def test_the_team_on_the_programmes_page_is_audited_too(controller, funding_admin, aifabriek):
    anna = make_user("anna")
    url = reverse("admin:funding_programme_change", args=[aifabriek.pk])
    data = form_data(controller.get(url), "programme_form")
    data |= {
        "memberships-TOTAL_FORMS": "1",
        "memberships-0-user": str(anna.pk),
        "memberships-0-role": "editor",
        "memberships-0-programme": str(aifabriek.pk),
    }
    response = controller.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert dict(anna.programme_memberships.values_list("programme", "role")) == {
        aifabriek.pk: "editor"
    }
    event = AuditEvent.objects.get()
    assert (event.kind, event.actor, event.subject, event.after) == (
        AuditKind.TEAM_ADDED,
        funding_admin,
        "anna",
        {"role": "editor"},
    )
    assert is_staff(anna)


def test_an_editor_manages_no_team_and_reads_no_audit(client, aifabriek):
    client.force_login(make_member("edith", aifabriek, TeamRole.EDITOR))
    for url in (TEAM_LIST, reverse("admin:funding_programmemembership_add"), AUDIT_LIST, AUDIT_CSV):
        assert client.get(url).status_code == 403, url
    assert not ProgrammeMembership.objects.exclude(user__username="edith").exists()


def test_the_audit_is_read_only(controller, aifabriek):
    give_role(user=make_user("anna"), programme=aifabriek, role="viewer")
    event = AuditEvent.objects.get()
    assert controller.get(AUDIT_LIST).status_code == 200
    assert controller.get(reverse("admin:funding_auditevent_add")).status_code == 403
    change = reverse("admin:funding_auditevent_change", args=[event.pk])
    assert controller.get(change).status_code == 200
    assert controller.post(change, {"subject": "rewritten"}).status_code == 403
    delete = reverse("admin:funding_auditevent_delete", args=[event.pk])
    assert controller.post(delete, {"post": "yes"}).status_code == 403
    assert AuditEvent.objects.get().subject == "anna"


def test_the_audit_exports_the_filtered_list_as_csv(controller, aifabriek):
    anna = make_user("anna")
    give_role(user=anna, programme=aifabriek, role="viewer", via="manage.py programme_access")
    give_role(user=anna, programme=aifabriek, role="editor")
    take_role(user=anna, programme=aifabriek)
    page = controller.get(AUDIT_LIST, {"kind__exact": "team_changed"}).content.decode()
    assert f'href="{AUDIT_CSV}?kind__exact=team_changed"' in page
    response = controller.get(AUDIT_CSV, {"kind__exact": "team_changed"})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[0] == ["when", "what", "who", "programme", "record", "before", "after", "why"]
    assert [row[1:] for row in rows[1:]] == [
        [
            "team member's role changed",
            "",
            "AI-fabriek Groningen",
            "anna",
            "role: viewer",
            "role: editor",
            "",
        ]
    ]
    everything = controller.get(AUDIT_CSV)
    assert len(b"".join(everything.streaming_content).decode().splitlines()) == 4


def test_is_staff_follows_editor_and_approver_roles_not_viewer(aifabriek):
    anna = make_user("anna")
    give_role(user=anna, programme=aifabriek, role="viewer")
    assert not is_staff(anna)
    give_role(user=anna, programme=aifabriek, role="approver")
    assert is_staff(anna)
    give_role(user=anna, programme=aifabriek, role="viewer")
    assert not is_staff(anna)
    give_role(user=anna, programme=aifabriek, role="editor")
    take_role(user=anna, programme=aifabriek)
    assert not is_staff(anna)


def test_a_funding_admin_keeps_is_staff_without_a_role_and_an_editor_without_the_group(aifabriek):
    anna = make_user("anna")
    anna.groups.add(Group.objects.get(name=FUNDING_ADMINS))
    give_role(user=anna, programme=aifabriek, role="editor")
    take_role(user=anna, programme=aifabriek)
    assert is_staff(anna)
    give_role(user=anna, programme=aifabriek, role="editor")
    anna.groups.clear()
    assert (is_staff(anna), anna.is_staff) == (True, True)
