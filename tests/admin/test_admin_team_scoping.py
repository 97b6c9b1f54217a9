"""An editor of one programme (A) in the admin: everything of another programme (B) is out of
reach, its lists, pages, choices, actions, import, history and revert, and its names unseen."""

import json
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from funding.models import Contribution, Milestone, Organisation, Source, TeamRole
from tests.support.admin_forms import HEADER, form_data, sign_in_in_english, upload
from tests.support.factories import (
    ContributionFactory,
    MilestoneFactory,
    PaymentFactory,
    ProgrammeFactory,
)
from tests.support.users import make_member

B_NAME, B_LINE = "Elders programme", "Elders budget line"


@pytest.fixture
def elsewhere(aifabriek):
    """Programme B, with a record of each kind."""
    programme = ProgrammeFactory(slug="elders", name=B_NAME, target=Decimal("9876543.21"))
    contribution = ContributionFactory(
        programme=programme, key="elders-grant", instrument=B_LINE, amount=Decimal("123456.78")
    )
    return {
        "programme": programme,
        "contribution": contribution,
        "milestone": MilestoneFactory(programme=programme, title="Elders milestone"),
        "payment": PaymentFactory(contribution=contribution, amount=Decimal("1000.00")),
    }


@pytest.fixture
def editor(client, aifabriek, elsewhere):
    return sign_in_in_english(client, make_member("edith", aifabriek, TeamRole.EDITOR))


def admin_url(record, view="change", *args):
    meta = record._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_{view}", args=[record.pk, *args])


def leaks(response) -> list[str]:
    page = response.content.decode()
    return [text for text in (B_NAME, B_LINE, "123,456.78", "9,876,543.21") if text in page]


def test_the_lists_hold_only_their_programmes_records(editor, aifabriek):
    for name in ("contribution", "milestone", "payment", "programme", "partnerrole"):
        response = editor.get(reverse(f"admin:funding_{name}_changelist"))
        assert response.status_code == 200, name
        assert leaks(response) == [], name
    contributions = editor.get(reverse("admin:funding_contribution_changelist"))
    listed = contributions.context["cl"].queryset
    assert set(listed.values_list("programme__slug", flat=True)) == {aifabriek.slug}
    assert listed.count() == aifabriek.contributions.count()


@pytest.mark.parametrize("kind", ["programme", "contribution", "milestone", "payment"])
@pytest.mark.parametrize("view", ["change", "history", "delete"])
def test_another_programmes_record_answers_404_as_an_unknown_one(editor, elsewhere, kind, view):
    record = elsewhere[kind]
    response = editor.get(admin_url(record, view))
    unknown = editor.get(admin_url(record, view).replace(f"/{record.pk}/", "/987654/"))
    # Deleting a programme is the funding admins' (403 for any); the rest is not found.
    expected = 403 if (kind, view) == ("programme", "delete") else 404
    assert (response.status_code, unknown.status_code) == (expected, expected)
    assert leaks(response) == []


def test_a_post_to_another_programmes_record_changes_nothing(editor, elsewhere):
    milestone = elsewhere["milestone"]
    response = editor.post(admin_url(milestone), {"title": "Taken over", "status": "planned"})
    assert response.status_code == 404
    assert Milestone.objects.get(pk=milestone.pk).title == "Elders milestone"
    deleted = editor.post(admin_url(milestone, "delete"), {"post": "yes"})
    assert deleted.status_code == 404
    assert Milestone.objects.filter(pk=milestone.pk).exists()


def test_history_and_revert_of_another_programmes_record_answer_404(editor, elsewhere):
    contribution = elsewhere["contribution"]
    version = contribution.history.earliest("history_date")
    url = reverse(
        "admin:funding_contribution_simple_history", args=[contribution.pk, version.history_id]
    )
    assert editor.get(url).status_code == 404
    assert editor.post(url, {"amount": "1.00"}).status_code == 404
    assert Contribution.objects.get(pk=contribution.pk).amount == Decimal("123456.78")


def test_the_programme_choices_offer_only_their_programmes(editor, aifabriek, elsewhere):
    form = editor.get(reverse("admin:funding_contribution_add")).context["adminform"].form
    assert list(form.fields["programme"].queryset) == [aifabriek]
    milestone_form = editor.get(reverse("admin:funding_payment_add")).context["adminform"].form
    contributions = milestone_form.fields["contribution"].queryset
    assert set(contributions.values_list("programme__slug", flat=True)) == {aifabriek.slug}


def test_a_record_cannot_be_added_to_another_programme(editor, elsewhere):
    response = editor.post(
        reverse("admin:funding_milestone_add"),
        {"programme": elsewhere["programme"].pk, "key": "sneaked", "title": "Sneaked in"},
    )
    assert response.status_code == 200
    assert "programme" in response.context["adminform"].form.errors
    assert not Milestone.objects.filter(key="sneaked").exists()


def test_autocomplete_offers_only_their_programmes(editor, aifabriek):
    response = editor.get(
        reverse("admin:autocomplete"),
        {"app_label": "funding", "model_name": "contribution", "field_name": "programme"},
    )
    assert response.status_code == 200
    found = [row["id"] for row in json.loads(response.content)["results"]]
    assert found == [str(aifabriek.pk)]


def test_an_action_on_another_programmes_record_deletes_nothing(editor, elsewhere):
    contribution = elsewhere["contribution"]
    editor.post(
        reverse("admin:funding_contribution_changelist"),
        {"action": "delete_selected", "_selected_action": [contribution.pk], "post": "yes"},
    )
    assert Contribution.objects.filter(pk=contribution.pk).exists()


def test_an_import_into_another_programme_is_refused(editor, elsewhere):
    content = (HEADER + "sneaked,europese-unie,Regeling,1000.00,requested,ja\n").encode()
    response = upload(editor, elsewhere["programme"], "bijdragen.csv", content)
    assert response.status_code == 200
    assert "programme" in response.context["form"].errors
    assert not Contribution.objects.filter(key="sneaked").exists()


def test_an_import_into_their_programme_is_offered(editor, aifabriek):
    content = (HEADER + "imported,europese-unie,Regeling,1000.00,requested,ja\n").encode()
    preview = upload(editor, aifabriek, "bijdragen.csv", content)
    assert [row.import_type for row in preview.context["result"].valid_rows()] == ["new"]


def test_view_on_site_of_another_programme_answers_404(editor, aifabriek, elsewhere):
    content_type = ContentType.objects.get_for_model(elsewhere["programme"])
    url = reverse("admin:view_on_site", args=[content_type.pk, elsewhere["programme"].pk])
    assert editor.get(url).status_code == 404
    own = editor.get(reverse("admin:view_on_site", args=[content_type.pk, aifabriek.pk]))
    assert own.status_code == 302
    assert own["Location"].endswith(f"/programmes/{aifabriek.slug}/")


def test_an_editor_saves_a_change_to_their_programmes_record(editor, aifabriek):
    milestone = aifabriek.milestones.order_by("pk").first()
    page = editor.get(admin_url(milestone))
    data = form_data(page, "milestone_form") | {"title": "Renamed by the team"}
    response = editor.post(admin_url(milestone), data)
    assert response.status_code == 302
    assert Milestone.objects.get(pk=milestone.pk).title == "Renamed by the team"


def test_the_programme_page_shows_its_inlines_but_not_the_team(editor, client, aifabriek):
    page = editor.get(admin_url(aifabriek)).content.decode()
    assert 'name="milestones-TOTAL_FORMS"' in page
    assert 'name="memberships-TOTAL_FORMS"' not in page


def test_shared_records_are_seen_and_added_not_changed(editor):
    organisation = Organisation.objects.order_by("pk").first()
    assert editor.get(admin_url(organisation)).status_code == 200  # read only
    refused = editor.post(admin_url(organisation), {"name": "Renamed"})
    assert refused.status_code == 403
    assert Organisation.objects.get(pk=organisation.pk).name == organisation.name
    added = editor.post(
        reverse("admin:funding_source_add"),
        {
            "key": "team-source",
            "title": "A team's source",
            "publisher": "Gemeente",
            "language": "nl",
        },
    )
    assert added.status_code == 302
    assert Source.objects.filter(key="team-source").exists()


def test_a_viewer_is_sent_to_the_admins_sign_in(client, aifabriek):
    client.force_login(make_member("vera", aifabriek, TeamRole.VIEWER))
    response = client.get(reverse("admin:funding_contribution_changelist"))
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_every_funding_admin_says_whose_records_it_shows(db):
    """A new admin that forgets the teams fails here, rather than show every programme."""
    from django.contrib import admin

    from funding.admin.audit import AuditEventAdmin
    from funding.admin.proposals import ProposalAdmin
    from funding.admin.scoping import ProgrammeScopedAdmin, ScopedInlineMixin, SharedRecordAdmin
    from funding.admin.source_checks import ReadOnlyForFundingAdmins
    from funding.admin.teams import TeamManagersOnly

    # Proposals list only those of the programmes the person edits; the source check's snapshots
    # are the funding admins' to read.
    decided = (
        ProgrammeScopedAdmin,
        SharedRecordAdmin,
        TeamManagersOnly,
        AuditEventAdmin,
        ProposalAdmin,
        ReadOnlyForFundingAdmins,
    )
    funding_admins = {
        model: model_admin
        for model, model_admin in admin.site._registry.items()
        if model._meta.app_label == "funding"
    }
    assert len(funding_admins) == 14
    for model, model_admin in funding_admins.items():
        assert isinstance(model_admin, decided), model
        for inline in model_admin.inlines:
            assert issubclass(
                inline, ScopedInlineMixin | TeamManagersOnly | ReadOnlyForFundingAdmins
            ), inline
        if isinstance(model_admin, ProgrammeScopedAdmin):
            # The path to the programme is one the database can follow.
            path = model_admin.programme_path
            assert model._default_manager.filter(**{f"{path}__in": [0]}).count() == 0
