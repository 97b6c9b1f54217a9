"""Open data of a programme with many contributions: the first page in the detail document, the
rest in a paged endpoint, totals per status and funder, and every row in the CSV."""

import csv
import io
import json

import pytest

from tests.support.factories import ProgrammeFactory
from tests.support.scale import big_programme

pytestmark = pytest.mark.django_db
DETAIL = "/api/programmes/scheme/"
PAGED = "/api/programmes/scheme/contributions/"
CSV = "/api/programmes/scheme/contributions.csv"


def get_json(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    return json.loads(response.content)


def test_detail_gives_the_first_page_largest_first_and_links_the_rest(client, db):
    big_programme(120)
    programme = get_json(client, DETAIL)
    assert [c["amount"] for c in programme["contributions"][:2]] == ["1119.00", "1118.00"]
    assert len(programme["contributions"]) == 50
    assert programme["contributions_paging"] == {
        "count": 120,
        "page": 1,
        "pages": 3,
        "page_size": 50,
        "next": PAGED + "?page=2",
        "previous": None,
    }
    assert programme["links"]["contributions"] == PAGED


def test_detail_sums_every_contribution_per_status_and_funder(client, db):
    big_programme(120, funders=30)
    totals = get_json(client, DETAIL)["totals"]
    requested = sum(1000 + n for n in range(0, 120, 4))
    assert totals["by_status"][0] == {
        "status": "requested",
        "contributions": 30,
        "amount": f"{requested}.00",
    }
    assert [row["status"] for row in totals["by_status"]] == [
        "requested",
        "committed",
        "disbursed",
        "withdrawn",
    ]
    assert totals["funders"] == 30
    assert len(totals["by_funder"]) == 20
    # Funder 28 has grants 28 and 88 (requested) and 58 and 118 (disbursed): none withdrawn,
    # and the largest amounts of the funders without a withdrawn grant.
    assert totals["by_funder"][0] == {
        "funder": "Funder 28",
        "funder_en": None,
        "contributions": 4,
        "committed": "2176.00",
        "pending": "2116.00",
    }


def test_paged_endpoint_walks_every_contribution_once(client, db):
    big_programme(120)
    keys, url = [], PAGED
    while url:
        page = get_json(client, url)
        keys += [c["key"] for c in page["contributions"]]
        url = page["next"]
    assert len(keys) == len(set(keys)) == 120
    assert page["page"] == 3 and page["previous"] == PAGED + "?page=2"


@pytest.mark.parametrize("page", ["abc", "0", "-1", "1.5", "9999999", "%C2%B2", "%00"])
def test_paged_endpoint_refuses_a_page_that_is_not_a_number_from_1(client, db, page):
    big_programme(10)
    assert get_json(client, f"{PAGED}?page={page}", status=400)["error"] == "bad_request"


def test_paged_endpoint_past_the_last_page_is_404(client, db):
    big_programme(120)
    assert get_json(client, PAGED + "?page=4", status=404)["error"] == "not_found"


def test_paged_endpoint_of_unknown_programme_is_404(client, db):
    body = get_json(client, "/api/programmes/nope/contributions/", status=404)
    assert body == {"error": "not_found", "detail": "No public programme 'nope'."}


def test_paged_endpoint_polls_cheaply_from_any_origin(client, db):
    big_programme(60)
    first = client.get(PAGED + "?page=2")
    assert first["Access-Control-Allow-Origin"] == "*"
    assert first["Access-Control-Expose-Headers"] == "ETag, Last-Modified, Data-As-Of"
    again = client.get(PAGED + "?page=2", headers={"if-none-match": first["ETag"]})
    assert again.status_code == 304
    assert client.get(PAGED, headers={"if-none-match": first["ETag"]}).status_code == 200


def test_csv_streams_every_public_contribution(client, db):
    big_programme(120)
    response = client.get(CSV)
    assert response.streaming
    assert response["ETag"]
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert len(rows) == 121
    assert rows[1][3] == "1119.00" and rows[-1][3] == "1000.00"


def test_csv_conditional_get_gets_304(client, db):
    big_programme(10)
    etag = client.get(CSV)["ETag"]
    assert client.get(CSV, headers={"if-none-match": etag}).status_code == 304


LIST = "/api/programmes/"


def test_the_programme_list_is_paged_by_name_and_next_reaches_every_programme(client, db):
    for number in range(205):
        ProgrammeFactory(slug=f"p-{number:03}", name=f"Programme {number:03}")
    ProgrammeFactory(slug="hidden", name="Programme hidden", is_public=False)

    first = get_json(client, LIST)
    assert {key: first[key] for key in ("count", "page", "pages", "page_size")} == {
        "count": 205,
        "page": 1,
        "pages": 3,
        "page_size": 100,
    }
    assert first["previous"] is None and first["next"] == LIST + "?page=2"
    assert [p["slug"] for p in first["programmes"][:2]] == ["p-000", "p-001"]

    slugs, url = [], LIST
    while url:
        page = get_json(client, url)
        slugs += [programme["slug"] for programme in page["programmes"]]
        url = page["next"]
    assert slugs == [f"p-{number:03}" for number in range(205)]
    assert page["page"] == 3 and page["previous"] == LIST + "?page=2"
    assert len(page["programmes"]) == 5


def test_the_programme_list_refuses_bad_pages(client, db):
    assert get_json(client, LIST + "?page=0", status=400)["error"] == "bad_request"
    assert get_json(client, LIST + "?page=x", status=400)["error"] == "bad_request"
    # Page 1 exists even with nothing public; page 2 does not.
    assert get_json(client, LIST)["programmes"] == []
    assert get_json(client, LIST + "?page=2", status=404) == {
        "error": "not_found",
        "detail": "No page 2 of the programmes.",
    }


def test_each_page_of_the_list_has_its_own_etag(client, db):
    for number in range(150):
        ProgrammeFactory(slug=f"p-{number:03}", name=f"Programme {number:03}")
    first, second = client.get(LIST), client.get(LIST + "?page=2")
    assert first["ETag"] != second["ETag"]
    again = client.get(LIST + "?page=2", headers={"if-none-match": second["ETag"]})
    assert again.status_code == 304
