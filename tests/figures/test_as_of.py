"""Every page, API document and download says as of which day its figures hold: the day the
newest change to the records behind them was recorded (public records only on public pages)."""

import json
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from funding.figures.as_of import programme_as_of
from funding.history import HISTORY_MODELS
from funding.models import StatusEvent
from tests.support.factories import ContributionFactory, OrganisationFactory
from tests.support.pages import address_in

pytestmark = pytest.mark.django_db
SLUG = "ai-fabriek-groningen"
LOADED = datetime(2025, 11, 3, 9, 0, tzinfo=UTC)


def everything_recorded_at(moment: datetime) -> None:
    """Date every history row and status event, as if the data set had been loaded then."""
    for model in HISTORY_MODELS:
        model.history.update(history_date=moment)
    StatusEvent.objects.update(recorded_at=moment)


@pytest.fixture
def loaded(aifabriek):
    everything_recorded_at(LOADED)
    return aifabriek


def hidden_change(programme, moment: datetime) -> None:
    """A non-public contribution changed at `moment`."""
    hidden = ContributionFactory(
        programme=programme, funder=OrganisationFactory(name="Hidden Fund"), is_public=False
    )
    hidden.amount = Decimal("1.00")
    hidden.save()
    hidden.history.update(history_date=moment)
    hidden.status_events.update(recorded_at=moment)


def test_as_of_is_the_day_the_newest_public_change_was_recorded(loaded):
    assert programme_as_of(loaded, public_only=True) == date(2025, 11, 3)
    region = loaded.contributions.get(key="nij-begun")
    region.amount = Decimal("61000000.00")
    region.save()
    assert programme_as_of(loaded, public_only=True) == timezone.localdate()


def test_a_non_public_change_moves_the_staff_date_only(loaded):
    hidden_change(loaded, datetime(2025, 12, 1, 12, 0, tzinfo=UTC))
    assert programme_as_of(loaded, public_only=True) == date(2025, 11, 3)
    assert programme_as_of(loaded, public_only=False) == date(2025, 12, 1)


def test_the_day_is_taken_in_the_sites_time_zone(aifabriek):
    # 23:30 UTC on 2 November is 00:30 on 3 November in Amsterdam.
    everything_recorded_at(datetime(2025, 11, 2, 23, 30, tzinfo=UTC))
    assert programme_as_of(aifabriek, public_only=True) == date(2025, 11, 3)


def test_as_of_costs_one_query(loaded, django_assert_num_queries):
    with django_assert_num_queries(1):
        programme_as_of(loaded, public_only=True)


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", 'As of <time datetime="2025-11-03">3 November 2025</time>'),
        ("nl", 'Stand per <time datetime="2025-11-03">3 november 2025</time>'),
    ],
)
@pytest.mark.parametrize("url", [f"/programmes/{SLUG}/", f"/programmes/{SLUG}/changes/"])
def test_public_pages_say_as_of_when(client, loaded, url, language, text):
    hidden_change(loaded, datetime(2025, 12, 1, 12, 0, tzinfo=UTC))
    html = client.get(address_in(url, language)).content.decode()
    assert text in html


@pytest.mark.parametrize("url", [f"/dashboard/{SLUG}/", f"/dashboard/{SLUG}/contributions/"])
def test_staff_pages_count_every_record(staff_client, loaded, url):
    hidden_change(loaded, datetime(2025, 12, 1, 12, 0, tzinfo=UTC))
    html = staff_client.get(address_in(url, "en")).content.decode()
    assert 'As of <time datetime="2025-12-01">1 December 2025</time>' in html


def test_the_portfolio_is_as_of_the_newest_change_to_any_record(staff_client, loaded):
    html = staff_client.get(address_in("/dashboard/", "en")).content.decode()
    assert 'As of <time datetime="2025-11-03">3 November 2025</time>' in html
    OrganisationFactory(name="New partner")  # recorded now
    html = staff_client.get(address_in("/dashboard/", "en")).content.decode()
    assert f'As of <time datetime="{timezone.localdate().isoformat()}">' in html


def test_the_api_says_as_of_in_every_document(client, loaded):
    hidden_change(loaded, datetime(2025, 12, 1, 12, 0, tzinfo=UTC))
    listing = json.loads(client.get("/api/programmes/").content)
    assert listing["as_of"] == "2025-11-03"
    assert [p["as_of"] for p in listing["programmes"]] == ["2025-11-03"]
    detail = json.loads(client.get(f"/api/programmes/{SLUG}/").content)
    assert detail["as_of"] == "2025-11-03"
    paged = json.loads(client.get(f"/api/programmes/{SLUG}/contributions/").content)
    assert paged["as_of"] == "2025-11-03"


def test_the_public_csv_says_as_of_in_a_header_and_its_name(client, loaded):
    hidden_change(loaded, datetime(2025, 12, 1, 12, 0, tzinfo=UTC))
    response = client.get(f"/api/programmes/{SLUG}/contributions.csv")
    assert response["Data-As-Of"] == "2025-11-03"
    assert response["Content-Disposition"] == (
        f'attachment; filename="{SLUG}-contributions-as-of-2025-11-03.csv"'
    )
    assert "Data-As-Of" in response["Access-Control-Expose-Headers"]
    # The file itself starts with its header row: no comment line for CSV readers to trip on.
    assert b"".join(response.streaming_content).startswith(b"funder,co_funders,")


@pytest.mark.parametrize("export", ["csv", "xlsx"])
def test_the_staff_export_says_as_of_in_a_header_and_its_name(staff_client, loaded, export):
    hidden_change(loaded, datetime(2025, 12, 1, 12, 0, tzinfo=UTC))
    response = staff_client.get(f"/dashboard/{SLUG}/contributions/?export={export}")
    response.close()  # the workbook is a temporary file
    assert response["Data-As-Of"] == "2025-12-01"
    assert response["Content-Disposition"] == (
        f'attachment; filename="{SLUG}-contributions-as-of-2025-12-01.{export}"'
    )
