"""Sources, date estimates, partner roles, organisations and payments refuse a stale save too."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import transaction
from django.urls import reverse

from funding.models import (
    ConflictError,
    Contribution,
    DateEstimate,
    Milestone,
    Organisation,
    PartnerRole,
    Payment,
    Source,
)
from funding.permissions import FUNDING_ADMINS
from tests.support.admin_forms import form_data, sign_in_in_english
from tests.support.users import make_user


@pytest.fixture
def other_admin(db):
    return make_user("second-controller", FUNDING_ADMINS, is_staff=True)


def open_twice(client, url, form_id, first_user, second_user):
    """The form as each of two people opened it, before either saved."""
    sign_in_in_english(client, first_user)
    mine = form_data(client.get(url), form_id)
    sign_in_in_english(client, second_user)
    theirs = form_data(client.get(url), form_id)
    return mine, theirs


@pytest.fixture
def payment(aifabriek):
    contribution = Contribution.objects.get(key="nij-begun")
    return Payment.objects.create(
        contribution=contribution, paid_on=date(2026, 3, 1), amount=Decimal("1000000.00")
    )


@pytest.mark.parametrize("model", [Source, DateEstimate, PartnerRole, Organisation, Payment])
def test_two_saves_of_the_same_version_cannot_both_succeed(aifabriek, payment, model):
    first = model.objects.first()
    second = model.objects.get(pk=first.pk)
    first.save()
    with pytest.raises(ConflictError), transaction.atomic():
        second.save()
    assert model.objects.get(pk=first.pk).version == 2


def test_a_stale_source_edit_is_refused_with_what_changed(
    client, aifabriek, funding_admin, other_admin
):
    source = Source.objects.get(key="defensie-investeert-ai-fabriek")
    url = reverse("admin:funding_source_change", args=[source.pk])
    mine, theirs = open_twice(client, url, "source_form", funding_admin, other_admin)
    assert mine["opened_version"] == theirs["opened_version"] == "1"

    response = client.post(url, theirs | {"publisher": "Ministerie van Defensie"})
    assert response.status_code == 302
    sign_in_in_english(client, funding_admin)
    response = client.post(url, mine | {"title": "Mijn titel"})

    assert response.status_code == 200
    errors = list(response.context["adminform"].form.non_field_errors())
    assert errors[0].startswith("Someone else saved this source while you were editing it: ")
    assert "second-controller" in errors[0]
    assert "(you opened version 1, it is now at version 2)" in errors[0]
    assert errors[1:] == [
        f"Publisher: their value Ministerie van Defensie, yours {source.publisher}",
    ]
    source.refresh_from_db()
    assert (source.publisher, source.version) == ("Ministerie van Defensie", 2)
    assert source.title != "Mijn titel"


def test_a_stale_date_estimate_edit_is_refused(client, aifabriek, funding_admin, other_admin):
    estimate = DateEstimate.objects.filter(milestone__key="supercomputer-volle-kracht").first()
    url = reverse("admin:funding_dateestimate_change", args=[estimate.pk])
    mine, theirs = open_twice(client, url, "dateestimate_form", funding_admin, other_admin)

    assert client.post(url, theirs | {"year": "2028"}).status_code == 302
    sign_in_in_english(client, funding_admin)
    response = client.post(url, mine | {"quote": "Mijn citaat"})

    assert response.status_code == 200
    errors = list(response.context["adminform"].form.non_field_errors())
    assert errors[0].startswith("Someone else saved this date estimate while you were editing it")
    assert errors[1:] == [f"Year: their value 2028, yours {estimate.year}"]
    estimate.refresh_from_db()
    assert (estimate.year, estimate.version, estimate.quote != "Mijn citaat") == (2028, 2, True)


def test_a_fresh_date_estimate_edit_is_saved_and_counts_up(client, aifabriek, funding_admin):
    estimate = DateEstimate.objects.filter(milestone__key="supercomputer-volle-kracht").first()
    url = reverse("admin:funding_dateestimate_change", args=[estimate.pk])
    sign_in_in_english(client, funding_admin)
    for year, version in [("2028", 2), ("2029", 3)]:
        data = form_data(client.get(url), "dateestimate_form")
        assert client.post(url, data | {"year": year}).status_code == 302
        estimate.refresh_from_db()
        assert (estimate.year, estimate.version) == (int(year), version)


def milestone_form(client, milestone):
    url = reverse("admin:funding_milestone_change", args=[milestone.pk])
    return url, form_data(client.get(url), "milestone_form")


def test_an_estimate_edited_in_its_milestone_keeps_its_version_check(
    client, aifabriek, funding_admin
):
    milestone = Milestone.objects.get(key="supercomputer-volle-kracht")
    title = milestone.title
    sign_in_in_english(client, funding_admin)
    url, data = milestone_form(client, milestone)
    first = DateEstimate.objects.get(pk=data["estimates-0-id"])
    assert data["estimates-0-opened_version"] == "1"

    # Saved inline, unchanged and changed: both go through, the changed row counts up.
    response = client.post(url, data | {"estimates-0-quote": "Nieuw citaat"})
    assert response.status_code == 302
    first.refresh_from_db()
    assert (first.quote, first.version) == ("Nieuw citaat", 2)

    # The same page posted again is now stale for that row: refused, nothing saved.
    response = client.post(url, data | {"estimates-0-quote": "Ouder citaat", "title": "Nieuw"})
    assert response.status_code == 200
    errors = response.context["inline_admin_formsets"][0].formset.forms[0].non_field_errors()
    assert "(you opened version 1, it is now at version 2)" in errors[0]
    first.refresh_from_db()
    assert (first.quote, first.version) == ("Nieuw citaat", 2)
    assert Milestone.objects.get(pk=milestone.pk).title == title


def test_a_stale_payment_edit_is_refused(client, payment, funding_admin, other_admin):
    url = reverse("admin:funding_payment_change", args=[payment.pk])
    mine, theirs = open_twice(client, url, "payment_form", funding_admin, other_admin)

    assert client.post(url, theirs | {"amount": "2000000.00"}).status_code == 302
    sign_in_in_english(client, funding_admin)
    response = client.post(url, mine | {"amount": "3000000.00"})

    assert response.status_code == 200
    errors = list(response.context["adminform"].form.non_field_errors())
    assert errors[1:] == ["Amount: their value €2,000,000, yours €3,000,000"]
    payment.refresh_from_db()
    assert (payment.amount, payment.version) == (Decimal("2000000.00"), 2)
