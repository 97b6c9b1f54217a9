"""Two people editing one record: the second save is refused, with what changed."""

from decimal import Decimal

import pytest
from django.db import transaction
from django.urls import reverse

from funding.admin.contributions import ContributionAdmin
from funding.models import ConflictError, Contribution, Milestone, Programme
from funding.permissions import FUNDING_ADMINS
from tests.support.admin_forms import form_data, sign_in_in_english
from tests.support.users import make_user


@pytest.fixture
def rijk(aifabriek):
    return Contribution.objects.get(key="rijk")


def test_the_second_of_two_saves_from_the_same_version_gets_a_conflict(client, rijk, funding_admin):
    other = make_user("second-controller", FUNDING_ADMINS, is_staff=True)
    url = reverse("admin:funding_contribution_change", args=[rijk.pk])
    sign_in_in_english(client, funding_admin)
    mine = form_data(client.get(url), "contribution_form")
    sign_in_in_english(client, other)
    theirs = form_data(client.get(url), "contribution_form")
    assert mine["opened_version"] == theirs["opened_version"] == "1"

    response = client.post(url, theirs | {"amount": "80000000.00", "instrument": "Rijksbegroting"})
    assert response.status_code == 302
    sign_in_in_english(client, funding_admin)
    response = client.post(url, mine | {"amount": "65000000.00", "notes": "Mijn notitie"})

    assert response.status_code == 200
    errors = response.context["adminform"].form.non_field_errors()
    assert errors[0].startswith(
        "Someone else saved this contribution while you were editing it: second-controller, at "
    )
    assert "(you opened version 1, it is now at version 2). Nothing has been saved." in errors[0]
    assert list(errors)[1:] == [
        "Instrument or budget line: their value Rijksbegroting, yours Bijdragen van de "
        "ministeries van Economische Zaken en Defensie",
        "Amount: their value €80,000,000, yours €65,000,000",
    ]
    rijk.refresh_from_db()
    assert (rijk.amount, rijk.instrument, rijk.version) == (
        Decimal("80000000.00"),
        "Rijksbegroting",
        2,
    )
    assert rijk.notes.startswith("De ministeries")


def test_two_saves_of_the_same_version_cannot_both_succeed(rijk):
    """The check is in the UPDATE itself, so it holds even between the form check and the save."""
    first = Contribution.objects.get(pk=rijk.pk)
    second = Contribution.objects.get(pk=rijk.pk)
    first.amount = Decimal("1.00")
    first.save()
    second.amount = Decimal("2.00")
    # A failed save spoils the transaction it runs in, as any failed query does.
    with pytest.raises(ConflictError), transaction.atomic():
        second.save()
    rijk.refresh_from_db()
    assert (rijk.amount, rijk.version, second.version) == (Decimal("1.00"), 2, 1)


@pytest.mark.parametrize("model", [Programme, Milestone])
def test_programmes_and_milestones_are_versioned_too(aifabriek, model):
    first = model.objects.first()
    second = model.objects.get(pk=first.pk)
    first.save()
    with pytest.raises(ConflictError), transaction.atomic():
        second.save()


def test_a_save_that_loses_the_race_after_its_form_was_checked_is_refused_cleanly(
    client, funding_admin, rijk, monkeypatch
):
    """Between the form's check and the UPDATE another save slips in: a message, not a 500."""
    url = reverse("admin:funding_contribution_change", args=[rijk.pk])
    sign_in_in_english(client, funding_admin)
    data = form_data(client.get(url), "contribution_form") | {"amount": "1.00"}

    def save_after_someone_else(self, request, obj, form, change):
        Contribution.objects.get(pk=obj.pk).save()  # the other save wins
        return super(ContributionAdmin, self).save_model(request, obj, form, change)

    monkeypatch.setattr(ContributionAdmin, "save_model", save_after_someone_else)
    response = client.post(url, data, follow=True)
    assert response.redirect_chain == [(url, 302)]
    messages = [str(m) for m in response.context["messages"]]
    assert messages == [
        "Someone else saved this record at the same moment. Nothing of yours has been saved; "
        "here is the current version."
    ]
    rijk.refresh_from_db()
    assert (rijk.amount, rijk.version) == (Decimal("70000000.00"), 1)
