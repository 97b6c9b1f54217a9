"""One rule for what a page number is (funding/paging.py), read the same by every paged address."""

import pytest

from funding.paging import page_number
from tests.support.factories import MilestoneFactory
from tests.support.pages import address_in

pytestmark = pytest.mark.django_db
SLUG = "ai-fabriek-groningen"
API_LISTS = [
    "/api/programmes/",
    f"/api/programmes/{SLUG}/contributions/",
    "/api/oc4ids.json",
]
CHANGES = f"/programmes/{SLUG}/changes/"


@pytest.fixture
def two_pages_of_changes(aifabriek):
    """Eleven more changes: the shipped data's log then fills two pages."""
    milestone = MilestoneFactory(programme=aifabriek, title="Step 0")
    for number in range(1, 12):
        milestone.title = f"Step {number}"
        milestone.save()


NOT_PAGE_NUMBERS = ["0", "-1", "x", "1.5", "", " 2", "٣", "1e3", "1234567", "99999999999999999999"]


@pytest.mark.parametrize(
    ("value", "number"),
    [(None, 1), ("1", 1), ("2", 2), ("007", 7), ("999999", 999999)]
    + [(value, None) for value in NOT_PAGE_NUMBERS],
)
def test_a_page_number_is_a_whole_number_from_1_with_at_most_six_digits(value, number):
    assert page_number(value) == number


@pytest.mark.parametrize("url", API_LISTS)
@pytest.mark.parametrize("value", NOT_PAGE_NUMBERS)
def test_every_paged_api_address_refuses_what_is_not_a_page_number(client, aifabriek, url, value):
    response = client.get(url, {"page": value})
    assert response.status_code == 400
    assert response.json()["error"] == "bad_request"


@pytest.mark.parametrize("value", NOT_PAGE_NUMBERS)
def test_the_change_log_shows_its_first_page_for_what_is_not_a_page_number(
    client, two_pages_of_changes, value
):
    response = client.get(address_in(CHANGES, "en"), {"page": value})
    assert response.status_code == 200
    assert "Page 1 of 2" in response.content.decode()


def test_a_seven_digit_page_of_the_change_log_is_no_page_number_and_shows_the_first(
    client, two_pages_of_changes
):
    # The change log read up to nine digits and showed the last page for them; past the last
    # page within six digits it still shows the last.
    english = address_in(CHANGES, "en")
    assert "Page 1 of 2" in client.get(english + "?page=1234567").content.decode()
    assert "Page 2 of 2" in client.get(english + "?page=999999").content.decode()
