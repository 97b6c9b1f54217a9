"""Payments are recorded in parts and never add up to more than the committed amount."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from funding.models import Contribution, Payment
from tests.support.admin_forms import form_data, sign_in_in_english

FORM = "contribution_form"


@pytest.fixture
def nij_begun(aifabriek):
    return Contribution.objects.get(key="nij-begun")  # committed, €60M


def post_payments(client, contribution, *amounts):
    url = reverse("admin:funding_contribution_change", args=[contribution.pk])
    data = form_data(client.get(url), FORM) | {"payments-TOTAL_FORMS": str(len(amounts))}
    for index, amount in enumerate(amounts):
        data |= {
            f"payments-{index}-paid_on": f"2026-0{index + 1}-15",
            f"payments-{index}-amount": amount,
        }
    return client.post(url, data)


def test_payments_in_parts_are_recorded(client, funding_admin, nij_begun):
    sign_in_in_english(client, funding_admin)
    response = post_payments(client, nij_begun, "20000000.00", "15000000.00")
    assert response.status_code == 302
    assert nij_begun.paid_total() == Decimal("35000000.00")
    nij_begun.refresh_from_db()
    assert nij_begun.status == "committed"


def test_payments_beyond_the_committed_amount_are_refused(client, funding_admin, nij_begun):
    sign_in_in_english(client, funding_admin)
    response = post_payments(client, nij_begun, "40000000.00", "20000000.01")
    assert response.status_code == 200
    [payments] = [
        inline.formset
        for inline in response.context["inline_admin_formsets"]
        if inline.formset.prefix == "payments"
    ]
    errors = payments.non_form_errors()
    assert errors == [
        "The payments would add up to €60,000,000.01, more than the €60,000,000 of the "
        "contribution. Payments can never exceed the committed amount."
    ]
    assert Payment.objects.count() == 0


def test_payments_that_reach_the_amount_make_the_contribution_disbursed(
    client, funding_admin, nij_begun
):
    sign_in_in_english(client, funding_admin)
    response = post_payments(client, nij_begun, "40000000.00", "20000000.00")
    assert response.status_code == 302
    nij_begun.refresh_from_db()
    event = nij_begun.status_events.last()
    assert (nij_begun.status, event.status, event.effective_on) == (
        "disbursed",
        "disbursed",
        date(2026, 2, 15),
    )


def test_a_payment_beyond_the_amount_is_refused_by_the_model(nij_begun):
    Payment.objects.create(contribution=nij_begun, paid_on=date(2026, 1, 1), amount=Decimal("5e7"))
    extra = Payment(contribution=nij_begun, paid_on=date(2026, 2, 1), amount=Decimal("1e7") + 1)
    with translation.override("en"):
        with pytest.raises(ValidationError, match="more than the €60,000,000 of"):
            extra.full_clean()
        with pytest.raises(ValidationError, match="more than the €60,000,000 of"):
            extra.save()
    assert nij_begun.paid_total() == Decimal("50000000.00")


def test_a_requested_contribution_cannot_be_paid(aifabriek):
    eu = Contribution.objects.get(key="eu-cofinanciering")
    payment = Payment(contribution=eu, paid_on=date(2026, 1, 1), amount=Decimal("1.00"))
    with translation.override("en"), pytest.raises(ValidationError, match="Only a committed"):
        payment.full_clean()


def test_the_amount_cannot_drop_below_what_was_paid(nij_begun):
    Payment.objects.create(contribution=nij_begun, paid_on=date(2026, 1, 1), amount=Decimal("5e7"))
    nij_begun.amount = Decimal("40000000.00")
    with translation.override("en"), pytest.raises(ValidationError, match="cannot be less"):
        nij_begun.full_clean()


def test_removing_a_payment_that_completed_the_amount_makes_it_committed_again(
    client, funding_admin, nij_begun
):
    sign_in_in_english(client, funding_admin)
    post_payments(client, nij_begun, "40000000.00", "20000000.00")
    url = reverse("admin:funding_contribution_change", args=[nij_begun.pk])
    data = form_data(client.get(url), FORM) | {"payments-1-DELETE": "on"}
    assert client.post(url, data).status_code == 302

    nij_begun.refresh_from_db()
    event = nij_begun.status_events.last()
    assert nij_begun.paid_total() == Decimal("40000000.00")
    assert (nij_begun.status, event.status) == ("committed", "committed")
    assert "no longer reach the amount" in event.note


def test_a_disbursed_status_from_a_decision_stays_when_a_part_payment_goes(nij_begun):
    part = Payment.objects.create(
        contribution=nij_begun, paid_on=date(2026, 1, 1), amount=Decimal("1e7")
    )
    nij_begun.status = "disbursed"
    nij_begun.save()
    part.delete()
    nij_begun.refresh_from_db()
    assert nij_begun.status == "disbursed"


def test_lowering_a_payment_below_the_amount_makes_it_committed_again(nij_begun):
    payment = Payment.objects.create(
        contribution=nij_begun, paid_on=date(2026, 1, 1), amount=Decimal("6e7")
    )
    nij_begun.refresh_from_db()
    assert nij_begun.status == "disbursed"
    payment.amount = Decimal("5e7")
    payment.save()
    nij_begun.refresh_from_db()
    assert nij_begun.status == "committed"


@pytest.mark.parametrize("amount", ["sNaN", "NaN", "Infinity"])
def test_an_amount_that_is_not_a_number_is_a_form_error(client, funding_admin, aifabriek, amount):
    # In an inline the admin first asks whether a row changed, comparing the amounts.
    sign_in_in_english(client, funding_admin)
    url = reverse("admin:funding_programme_change", args=[aifabriek.pk])
    data = form_data(client.get(url), "programme_form")
    before = sorted(aifabriek.contributions.values_list("amount", flat=True))
    response = client.post(url, data | {"contributions-1-amount": amount})
    assert response.status_code == 200
    assert "Enter a number." in response.content.decode()
    assert sorted(aifabriek.contributions.values_list("amount", flat=True)) == before
