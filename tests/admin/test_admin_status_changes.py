"""Status changes through the admin: dated, sourced, and only the ones that can happen."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from funding.models import Contribution, ContributionStatus, Source, StatusChange
from tests.support.admin_forms import form_data, sign_in_in_english

FORM = "contribution_form"


@pytest.fixture
def eu(aifabriek):
    return Contribution.objects.get(key="eu-cofinanciering")


def change_url(contribution):
    return reverse("admin:funding_contribution_change", args=[contribution.pk])


def open_form(client, contribution) -> dict:
    return form_data(client.get(change_url(contribution)), FORM)


def test_a_status_change_records_its_date_source_and_user(client, funding_admin, eu):
    source = Source.objects.get(key="ez-ai-fabriek-200-miljoen")
    sign_in_in_english(client, funding_admin)
    data = open_form(client, eu) | {
        "status": "committed",
        "status_effective_on": "2025-11-03",
        "status_source": str(source.pk),
        "status_quote": "De aanvraag is toegekend.",
    }
    response = client.post(change_url(eu), data)
    assert response.status_code == 302
    eu.refresh_from_db()
    event = eu.status_events.last()
    assert (eu.status, eu.version) == ("committed", 2)
    assert (event.status, event.effective_on, event.source, event.quote) == (
        "committed",
        date(2025, 11, 3),
        source,
        "De aanvraag is toegekend.",
    )
    record = eu.history.first()
    assert (record.history_user, record.status, record.version) == (funding_admin, "committed", 2)


def test_a_status_change_without_date_or_source_is_refused(client, funding_admin, eu):
    sign_in_in_english(client, funding_admin)
    response = client.post(change_url(eu), open_form(client, eu) | {"status": "committed"})
    assert response.status_code == 200
    form = response.context["adminform"].form
    assert form.errors == {
        "status_effective_on": ["The status changes: give the day the decision took effect."],
        "status_source": ["The status changes: choose the source that records the decision."],
    }
    eu.refresh_from_db()
    assert (eu.status, eu.version, eu.status_events.count()) == ("requested", 1, 1)


def test_an_impossible_transition_is_refused_and_changes_nothing(client, funding_admin, eu):
    eu.status = ContributionStatus.WITHDRAWN
    eu.status_change = StatusChange(effective_on=date(2025, 12, 1), note="Aanvraag ingetrokken")
    eu.save()
    history_before = eu.history.count()
    events_before = eu.status_events.count()
    sign_in_in_english(client, funding_admin)
    data = open_form(client, eu) | {
        "status": "disbursed",
        "status_effective_on": "2026-01-05",
        "status_source": str(Source.objects.first().pk),
    }
    response = client.post(change_url(eu), data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["status"] == [
        "A contribution cannot go from withdrawn to disbursed. From withdrawn it can only "
        "become: requested."
    ]
    assert "cannot go from withdrawn to disbursed" in response.content.decode()
    eu.refresh_from_db()
    assert (eu.status, eu.version) == ("withdrawn", 2)
    assert (eu.history.count(), eu.status_events.count()) == (history_before, events_before)


def test_the_transition_map_is_enforced_by_the_model(eu):
    eu.status = ContributionStatus.DISBURSED  # requested → disbursed skips the commitment
    with translation.override("en"), pytest.raises(ValidationError, match="cannot go from"):
        eu.full_clean()


def test_the_contribution_list_shows_whether_records_have_a_source(client, funding_admin, eu):
    # A public contribution without any source: the list flags it.
    unsourced = Contribution.objects.create(
        programme=eu.programme, key="extra", funder=eu.funder, amount=Decimal("5.00")
    )
    sign_in_in_english(client, funding_admin)
    url = reverse("admin:funding_contribution_changelist")
    flagged = client.get(url, {"has_source": "public_no"}).context["cl"].queryset
    assert list(flagged) == [unsourced]
    sourced = client.get(url, {"has_source": "yes"}).context["cl"].queryset
    assert sorted(c.key for c in sourced) == ["eu-cofinanciering", "nij-begun", "rijk"]


def test_only_public_records_without_a_source_are_flagged(client, funding_admin, eu):
    from funding.admin.contributions import ContributionAdmin

    flag = ContributionAdmin.source_flag
    eu.has_source = False
    assert flag(None, eu) is False
    eu.is_public = False
    assert flag(None, eu) is None
    eu.has_source = True
    assert flag(None, eu) is True


def test_a_status_change_cannot_take_effect_in_the_future(client, funding_admin, eu):
    sign_in_in_english(client, funding_admin)
    data = open_form(client, eu) | {
        "status": "committed",
        "status_effective_on": "2099-01-01",
        "status_source": str(Source.objects.first().pk),
    }
    response = client.post(change_url(eu), data)
    assert response.context["adminform"].form.errors["status_effective_on"] == [
        "A decision cannot have taken effect in the future; give the day it did."
    ]
    eu.refresh_from_db()
    assert (eu.status, eu.version) == ("requested", 1)
