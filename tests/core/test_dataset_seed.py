"""The data set seeds an absent programme; once it is in, the database is the truth.

Every release runs `load_aifabriek` (docs/deploy.md, deploy/stack.py): it must neither undo what
an admin changed, nor bring back what an admin deleted, nor stop the release.
"""

import io
import json
from datetime import date
from decimal import Decimal

import pytest
from django.apps import apps
from django.contrib.auth.models import User
from django.core.management import call_command
from django.utils import translation

from deploy.stack import RELEASE_COMMANDS
from funding.dataset import DEFAULT_DATA_FILE, load_data_file
from funding.models import (
    Contribution,
    ContributionShare,
    ContributionSource,
    ContributionStatus,
    DateEstimate,
    Milestone,
    Organisation,
    PartnerRole,
    Programme,
    Source,
    StatusChange,
    StatusEvent,
)

pytestmark = pytest.mark.django_db


def full_dump() -> dict:
    """Every row of every table, history tables included, in a comparable form."""
    return {
        model._meta.label: list(model._base_manager.order_by("pk").values())
        for model in apps.get_models(include_auto_created=True)
    }


def load(*args) -> str:
    output = io.StringIO()
    call_command("load_aifabriek", *args, stdout=output)
    return output.getvalue()


def as_admin(instance, user: User):
    """Save `instance` as the admin's change form does: validated, with its user in history."""
    instance.full_clean()
    instance._history_user = user
    instance.save()


def edit_every_shipped_record(user: User) -> set:
    """Change one record of each kind the data file fills, as an admin would; their models."""
    programme = Programme.objects.get(slug="ai-fabriek-groningen")
    programme.description = "Beschrijving van de beheerder."
    edits = [programme]
    source = Source.objects.get(key="defensie-investeert-ai-fabriek")
    source.title = "Titel van de beheerder"
    organisation = Organisation.objects.get(key="tno")
    organisation.name = "TNO (hernoemd)"
    rijk = Contribution.objects.get(key="rijk")
    rijk.notes = "Notities van de beheerder."
    partner = PartnerRole.objects.get(organisation__key="surf")
    partner.description = "Rol volgens de beheerder."
    milestone = Milestone.objects.get(key="kamerbrief")
    milestone.title = "Kamerbrief (beheerder)"
    estimate = DateEstimate.objects.filter(milestone__key="supercomputer-volle-kracht").first()
    estimate.quote = "Citaat van de beheerder."
    share = ContributionShare.objects.get(organisation__key="ministerie-ez")
    share.amount = Decimal("40000000.00")
    edits += [source, organisation, rijk, partner, milestone, estimate, share]
    for instance in edits:
        as_admin(instance, user)
    citation = ContributionSource.objects.filter(contribution=rijk).first()
    citation.quote = "Het kabinet draagt"
    citation.save()
    # The EU's decision, through the contribution's own status change: a new status event.
    eu = Contribution.objects.get(key="eu-cofinanciering")
    eu.status = ContributionStatus.COMMITTED
    eu.status_change = StatusChange(
        effective_on=date(2026, 6, 1), source=source, quote="De EU draagt bij."
    )
    as_admin(eu, user)
    # And one record deleted.
    Milestone.objects.get(key="supercomputer-volle-kracht").delete()
    return {type(instance) for instance in [*edits, citation, eu]} | {StatusEvent, Milestone}


def shipped_models() -> set:
    """The models that loading the data file into an empty database fills."""
    funding = apps.get_app_config("funding")
    return {
        model
        for model in funding.get_models()
        if not model.__name__.startswith("Historical") and model.objects.exists()
    }


def test_a_release_after_admin_edits_changes_no_row(aifabriek, funding_admin, settings, tmp_path):
    settings.STATIC_ROOT = tmp_path / "static"
    edited = edit_every_shipped_record(funding_admin)
    assert edited == shipped_models()
    before = full_dump()
    assert load().count("\n") == 1
    for command in RELEASE_COMMANDS:
        call_command(*command, verbosity=0, stdout=io.StringIO())
    assert full_dump() == before


def test_an_admins_rename_survives_the_loader(aifabriek, funding_admin):
    tno = Organisation.objects.get(key="tno")
    tno.name = "TNO Defensie en Veiligheid"
    as_admin(tno, funding_admin)
    output = load()
    assert output == (
        "aifabriek.json: nothing changed. Programme ai-fabriek-groningen is already in the "
        "database, which now holds the truth; the data file only seeds an absent programme.\n"
    )
    tno.refresh_from_db()
    assert (tno.name, tno.history.first().history_user) == (
        "TNO Defensie en Veiligheid",
        funding_admin,
    )


def test_the_loader_leaves_a_committed_eu_contribution_committed(aifabriek, funding_admin):
    eu = Contribution.objects.get(key="eu-cofinanciering")
    eu.status = ContributionStatus.COMMITTED
    eu.status_change = StatusChange(effective_on=date(2026, 6, 1))
    as_admin(eu, funding_admin)
    load()
    eu.refresh_from_db()
    assert (eu.status, eu.status_events.count()) == ("committed", 2)


def test_a_programme_an_admin_deleted_is_not_loaded_again(aifabriek):
    aifabriek.delete()
    before = full_dump()
    output = load()
    assert output == (
        "aifabriek.json: nothing changed. Programme ai-fabriek-groningen was in this database "
        "before (deleted, or given another slug) and is not loaded again.\n"
    )
    assert full_dump() == before
    assert Programme.objects.count() == 0


def test_a_programme_whose_slug_an_admin_changed_is_not_loaded_again(aifabriek):
    aifabriek.slug = "ai-fabriek"
    aifabriek.save()
    load()
    assert list(Programme.objects.values_list("slug", flat=True)) == ["ai-fabriek"]


def test_a_new_programme_in_a_data_file_is_seeded_and_the_shared_records_kept(aifabriek, tmp_path):
    tno = Organisation.objects.get(key="tno")
    tno.name = "TNO (hernoemd)"
    tno.save()
    document = json.loads(DEFAULT_DATA_FILE.read_text(encoding="utf-8"))
    second = document["programmes"][0]
    second.update(slug="ai-fabriek-twee", name="Tweede AI-fabriek", target="1000.00")
    second["milestones"] = []
    path = tmp_path / "two.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    with translation.override("en"):
        report = load_data_file(path)
    assert report.created == {
        "programmes": 1,
        "contributions": 3,
        "sources of a contribution": 6,
        "co-funder shares": 2,
        "partner roles": 4,
    }
    assert report.created_programmes == ["ai-fabriek-twee"]
    assert Organisation.objects.get(key="tno").name == "TNO (hernoemd)"
    assert Programme.objects.get(slug="ai-fabriek-groningen").target == Decimal("200000000.00")
