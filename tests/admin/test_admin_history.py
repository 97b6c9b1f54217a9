"""Who changed what and when, and reverts that are themselves recorded."""

from decimal import Decimal

import pytest
from django.urls import reverse

from funding.models import Contribution, DateEstimate, Payment, Source
from tests.support.admin_forms import form_data, sign_in_in_english


@pytest.fixture
def eu(aifabriek):
    return Contribution.objects.get(key="eu-cofinanciering")


def commit_eu(client, eu):
    url = reverse("admin:funding_contribution_change", args=[eu.pk])
    data = form_data(client.get(url), "contribution_form") | {
        "status": "committed",
        "amount": "75000000.00",
        "status_effective_on": "2025-11-03",
        "status_source": str(Source.objects.first().pk),
    }
    assert client.post(url, data).status_code == 302


def test_a_save_adds_a_history_row_with_the_user_and_the_fields_changed(client, funding_admin, eu):
    sign_in_in_english(client, funding_admin)
    commit_eu(client, eu)
    record = eu.history.first()
    delta = record.diff_against(record.prev_record)
    assert (record.history_user, record.history_type) == (funding_admin, "~")
    assert sorted((c.field, c.old, c.new) for c in delta.changes) == [
        ("amount", Decimal("70000000.00"), Decimal("75000000.00")),
        ("status", "requested", "committed"),
    ]
    assert (record.prev_record.version, record.version) == (1, 2)


def test_the_history_page_lists_user_and_changes(client, funding_admin, eu):
    sign_in_in_english(client, funding_admin)
    commit_eu(client, eu)
    page = client.get(reverse("admin:funding_contribution_history", args=[eu.pk]))
    html = page.content.decode()
    assert "controller" in html
    assert "<strong>Status:</strong>\n                    requested\n" in html
    assert "committed\n" in html
    assert "€70,000,000" in html and "€75,000,000" in html


def test_a_revert_restores_the_old_values_and_is_recorded_with_the_user(client, funding_admin, eu):
    sign_in_in_english(client, funding_admin)
    commit_eu(client, eu)
    original = eu.history.last()  # as loaded
    url = reverse("admin:funding_contribution_simple_history", args=[eu.pk, original.pk])
    data = form_data(client.get(url), "historicalcontribution_form")
    assert data["status"] == "requested"
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    eu.refresh_from_db()
    assert (eu.status, eu.amount, eu.version) == ("requested", Decimal("70000000.00"), 3)
    record = eu.history.first()
    assert (record.history_user, record.version) == (funding_admin, 3)
    assert record.history_change_reason.startswith("Reverted to the version of ")
    # The status event of the revert says that it is one.
    event = eu.status_events.last()
    assert (event.status, event.note) == ("requested", record.history_change_reason)


def test_a_revert_of_an_estimate_is_recorded(client, funding_admin, aifabriek):
    estimate = DateEstimate.objects.filter(precision="year").first()
    first = estimate.history.first()
    estimate.year = 2030
    estimate.save()
    sign_in_in_english(client, funding_admin)
    url = reverse("admin:funding_dateestimate_simple_history", args=[estimate.pk, first.pk])
    response = client.post(url, form_data(client.get(url), "historicaldateestimate_form"))
    assert response.status_code == 302
    estimate.refresh_from_db()
    assert estimate.year == first.year
    assert estimate.history.first().history_user == funding_admin
    assert estimate.history.count() == 3


def test_a_revert_that_would_strand_payments_is_refused(client, funding_admin, eu):
    sign_in_in_english(client, funding_admin)
    commit_eu(client, eu)
    Payment.objects.create(contribution=eu, paid_on="2026-01-15", amount=Decimal("10000000.00"))
    original = eu.history.last()  # requested, as loaded
    url = reverse("admin:funding_contribution_simple_history", args=[eu.pk, original.pk])
    response = client.post(url, form_data(client.get(url), "historicalcontribution_form"))
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["status"] == [
        "Payments have been recorded on this contribution; it can only be committed or "
        "disbursed. Remove the payments first."
    ]
    eu.refresh_from_db()
    assert (eu.status, eu.version) == ("committed", 2)


@pytest.mark.parametrize(
    "path",
    [
        "contribution/1/history/abc/",
        "source/1/history/abc/",
        "contribution/abc/history/1/",
        "contribution/abc/history/",
        "milestone/99999/history/1/",
    ],
)
def test_history_addresses_with_bad_ids_are_not_found(client, funding_admin, aifabriek, path):
    sign_in_in_english(client, funding_admin)
    assert client.get(f"/admin/funding/{path}").status_code == 404
