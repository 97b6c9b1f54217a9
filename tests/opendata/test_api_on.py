"""`/api/programmes/<slug>/?on=YYYY-MM-DD`: the JSON as it stood at the end of a past day."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from funding.cache import settled_day
from funding.models import Contribution, ContributionStatus
from funding.models.contributions import StatusChange
from tests.support.clock import FrozenClock
from tests.support.dataset import load_for_tests

API = "/api/programmes/ai-fabriek-groningen/"


@pytest.fixture
def eu_granted_later(db, monkeypatch):
    """The data set loaded on 30 September 2026; the EU's request granted on 2 October."""
    clock = FrozenClock(monkeypatch, date(2026, 9, 30))
    clock.at(date(2026, 9, 30), 10)
    load_for_tests()
    clock.at(date(2026, 10, 2), 23, 30)
    eu = Contribution.objects.get(key="eu-cofinanciering")
    eu.status = ContributionStatus.COMMITTED
    eu.status_change = StatusChange(effective_on=date(2026, 10, 2))
    eu.save()
    clock.at(date(2026, 10, 5))
    return clock


def test_the_document_of_a_past_day_holds_that_days_figures(client, eu_granted_later):
    response = client.get(API, {"on": "2026-10-01"})
    data = response.json()

    assert response.status_code == 200
    assert data["on"] == "2026-10-01"
    assert data["as_of"] == "2026-09-30"
    assert (data["committed"], data["pending"]) == ("130000000.00", "70000000.00")
    assert data["scenarios"]["all_pending"]["if_granted"]["total"] == "200000000.00"
    assert [m["key"] for m in data["milestones"]][:2] == ["kamerbrief", "eu-aanvraag-ingediend"]
    assert data["contributions_paging"]["next"] is None
    assert settled_day(response) == date(2026, 10, 1)


def test_a_change_late_in_the_evening_belongs_to_its_day_in_amsterdam(client, eu_granted_later):
    data = client.get(API, {"on": "2026-10-02"}).json()

    assert (data["committed"], data["pending"]) == ("200000000.00", "0.00")
    assert data["as_of"] == "2026-10-02"


def test_todays_document_says_no_past_day(client, eu_granted_later):
    today = client.get(API).json()
    to_come = client.get(API, {"on": "2026-10-06"}).json()

    assert today["on"] is None
    assert to_come == today


@pytest.mark.parametrize("value", ["", "2026-13-01", "x", "\x00", "0000-01-01", "9" * 300])
def test_a_value_that_is_not_a_day_is_a_json_bad_request(client, aifabriek, value):
    response = client.get(API, {"on": value})

    assert response.status_code == 400
    assert response.json()["error"] == "bad_request"
    assert "YYYY-MM-DD" in response.json()["detail"]


def test_a_day_the_programme_was_not_public_is_not_found(client, aifabriek):
    response = client.get(API, {"on": "2001-01-01"})

    assert response.status_code == 404
    assert response.json() == {
        "error": "not_found",
        "detail": "The programme 'ai-fabriek-groningen' was not public on 2001-01-01.",
    }


def test_the_shipped_programme_of_yesterday_or_today_has_todays_figures(client, aifabriek):
    today = client.get(API).json()
    # The shipped data set is loaded in the test database today: yesterday it was not there.
    yesterday = timezone.localdate() - timedelta(days=1)

    assert client.get(API, {"on": yesterday.isoformat()}).status_code == 404
    assert Decimal(today["committed"]) == Decimal("130000000.00")
