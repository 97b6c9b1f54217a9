import csv
import io
import json
from decimal import Decimal

import pytest

from funding.models import ContributionShare, ContributionStatus
from tests.support.factories import (
    ContributionFactory,
)
from tests.support.pages import address_in

pytestmark = pytest.mark.django_db
API = "/api/programmes/ai-fabriek-groningen/"
CSV = "/api/programmes/ai-fabriek-groningen/contributions.csv"
SOURCE_FIELDS = {
    "key",
    "title",
    "title_en",
    "publisher",
    "publisher_en",
    "url",
    "published_on",
    "language",
    "quote",
}


def get_json(client, url, **kwargs):
    response = client.get(url, **kwargs)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    return json.loads(response.content)


def test_api_gives_the_same_totals_as_the_page(client, aifabriek):
    programme = get_json(client, API)
    assert (programme["target"], programme["committed"], programme["pending"]) == (
        "200000000.00",
        "130000000.00",
        "70000000.00",
    )
    assert programme["disbursed"] == "0.00"
    assert programme["currency"] == "EUR"
    html = client.get(address_in(aifabriek.get_absolute_url(), "en"))
    for figure in ["€200,000,000", "€130,000,000", "€70,000,000"]:
        assert figure in html.content.decode()


def test_api_programme_has_the_fields_design_md_names(client, aifabriek):
    programme = get_json(client, API)
    assert {"slug", "name", "currency", "target", "committed", "pending", "disbursed"} <= set(
        programme
    )
    assert {"contributions", "partners", "milestones"} <= set(programme)
    assert programme["slug"] == "ai-fabriek-groningen"
    assert programme["name"] == "AI-fabriek Groningen"
    contribution = programme["contributions"][0]
    assert set(contribution) == {
        "key",
        "funder",
        "instrument",
        "instrument_en",
        "amount",
        "status",
        "notes",
        "notes_en",
        "split_published",
        "co_funders",
        "sources",
    }
    assert set(contribution["sources"][0]) == SOURCE_FIELDS
    assert set(programme["partners"][0]) == {
        "organisation",
        "role",
        "description",
        "description_en",
        "source",
    }
    milestone = programme["milestones"][-1]
    assert set(milestone) == {
        "key",
        "title",
        "title_en",
        "description",
        "description_en",
        "status",
        "reached_on",
        "source",
        "sources_differ",
        "estimates",
    }
    assert set(milestone["estimates"][0]) == {
        "precision",
        "year",
        "period",
        "day",
        "earliest",
        "latest",
        "label",
        "source",
    }


def test_api_lists_contributions_with_amounts_as_decimal_strings(client, aifabriek):
    contributions = get_json(client, API)["contributions"]
    assert [(c["funder"]["name"], c["amount"], c["status"]) for c in contributions] == [
        ("Europese Unie", "70000000.00", "requested"),
        ("Rijksoverheid", "70000000.00", "committed"),
        ("Regio Groningen/Noord-Drenthe", "60000000.00", "committed"),
    ]


def test_api_says_the_rijk_split_is_not_published(client, aifabriek):
    rijk = next(c for c in get_json(client, API)["contributions"] if c["key"] == "rijk")
    assert rijk["split_published"] is False
    assert rijk["co_funders"] == [
        {
            "organisation": {
                "key": "ministerie-defensie",
                "name": "Ministerie van Defensie",
                "name_en": "Ministry of Defence",
            },
            "amount": None,
        },
        {
            "organisation": {
                "key": "ministerie-ez",
                "name": "Ministerie van Economische Zaken",
                "name_en": "Ministry of Economic Affairs",
            },
            "amount": None,
        },
    ]


def test_api_gives_a_published_share_as_a_decimal_string(client, aifabriek):
    share = ContributionShare.objects.get(organisation__key="ministerie-ez")
    share.amount = Decimal("40000000")
    share.save()
    rijk = next(c for c in get_json(client, API)["contributions"] if c["key"] == "rijk")
    assert rijk["co_funders"][1]["amount"] == "40000000.00"


def test_api_gives_both_supercomputer_estimates_with_their_sources(client, aifabriek):
    milestones = get_json(client, API)["milestones"]
    supercomputer = next(m for m in milestones if m["key"] == "supercomputer-volle-kracht")
    assert supercomputer["sources_differ"] is True
    assert [
        (e["label"]["nl"], e["label"]["en"], e["earliest"], e["latest"], e["source"]["key"])
        for e in supercomputer["estimates"]
    ] == [
        ("eind 2026", "late 2026", "2026-09-01", "2026-12-31", "defensie-investeert-ai-fabriek"),
        ("begin 2027", "early 2027", "2027-01-01", "2027-04-30", "ez-ai-fabriek-200-miljoen"),
    ]
    assert supercomputer["estimates"][0]["source"]["quote"] == (
        "draait de supercomputer eind 2026 op volle kracht."
    )


def test_api_names_the_partners_and_their_roles(client, aifabriek):
    partners = get_json(client, API)["partners"]
    assert sorted((p["organisation"]["name"], p["role"]) for p in partners) == [
        ("AIC4NL", "consortium_member"),
        ("SURF", "consortium_member"),
        ("Samenwerking Noord", "consortium_member"),
        ("TNO", "consortium_member"),
    ]


def test_api_omits_non_public_contributions_and_milestones(client, hidden_records):
    body = client.get(API).content.decode()
    assert [name for name in hidden_records if name in body] == []
    assert json.loads(body)["committed"] == "130000000.00"
    assert "Hidden Fund" not in b"".join(client.get(CSV).streaming_content).decode()


def test_api_lists_public_programmes_only(client, aifabriek):
    from tests.support.factories import ProgrammeFactory

    ProgrammeFactory(name="Unpublished plan", slug="unpublished-plan", is_public=False)
    programmes = get_json(client, "/api/programmes/")["programmes"]
    assert [(p["slug"], p["committed"]) for p in programmes] == [
        ("ai-fabriek-groningen", "130000000.00")
    ]
    assert programmes[0]["links"]["api"] == API


def test_api_conditional_get_with_the_etag_gets_304(client, aifabriek):
    first = client.get(API)
    assert first["ETag"].startswith('"')
    assert first["Last-Modified"]
    again = client.get(API, headers={"if-none-match": first["ETag"]})
    assert again.status_code == 304
    assert again.content == b""
    assert again["Access-Control-Allow-Origin"] == "*"


def test_api_etag_changes_when_a_figure_changes(client, aifabriek):
    etag = client.get(API)["ETag"]
    eu = aifabriek.contributions.get(key="eu-cofinanciering")
    eu.status = ContributionStatus.COMMITTED
    eu.save()
    response = client.get(API, headers={"if-none-match": etag})
    assert response.status_code == 200
    assert json.loads(response.content)["committed"] == "200000000.00"


def test_open_data_is_readable_from_any_origin(client, aifabriek):
    for url in ["/api/programmes/", API, CSV]:
        response = client.get(url)
        assert response["Access-Control-Allow-Origin"] == "*"
        assert "ETag" in response
        # Without this, a script on another site could not read the ETag to poll with.
        assert response["Access-Control-Expose-Headers"] == "ETag, Last-Modified, Data-As-Of"


def test_open_data_answers_a_cross_origin_preflight(client, aifabriek):
    response = client.options(
        API,
        headers={
            "origin": "https://example.org",
            "access-control-request-method": "GET",
            "access-control-request-headers": "if-none-match",
        },
    )
    assert response.status_code == 204
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response["Access-Control-Allow-Methods"] == "GET, HEAD"
    assert "If-None-Match" in response["Access-Control-Allow-Headers"]


def test_api_refuses_to_be_written_to(client, aifabriek):
    assert client.post(API, {}).status_code == 405


@pytest.mark.parametrize(
    "url", ["/api/programmes/no-such/", "/api/programmes/no-such/contributions.csv"]
)
def test_api_unknown_slug_is_a_json_404(client, aifabriek, url):
    response = client.get(url)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert json.loads(response.content)["error"] == "not_found"


def test_api_non_public_programme_is_404(client, aifabriek):
    aifabriek.is_public = False
    aifabriek.save()
    assert client.get(API).status_code == 404


def test_api_answers_from_the_cache_without_queries(
    client, aifabriek, django_assert_max_num_queries, django_assert_num_queries
):
    for n in range(20):
        ContributionFactory(programme=aifabriek, amount=Decimal(n))
    # The document (11 queries: more than 20 funders are counted; the day its figures hold as
    # of), its scenarios with the expected decisions (2) and the newest edit (1).
    with django_assert_max_num_queries(14):
        assert client.get(API).status_code == 200
    with django_assert_num_queries(0):
        assert client.get(API).status_code == 200


def read_csv(client):
    response = client.get(CSV)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    body = b"".join(response.streaming_content).decode()
    return list(csv.reader(io.StringIO(body)))


def test_csv_lists_the_public_contributions(client, aifabriek):
    rows = read_csv(client)
    assert rows[0] == [
        "funder",
        "co_funders",
        "instrument",
        "amount",
        "currency",
        "status",
        "split_published",
        "sources",
        "key",
    ]
    assert [(row[0], row[3], row[5], row[6], row[8]) for row in rows[1:]] == [
        ("Europese Unie", "70000000.00", "requested", "yes", "eu-cofinanciering"),
        ("Rijksoverheid", "70000000.00", "committed", "no", "rijk"),
        ("Regio Groningen/Noord-Drenthe", "60000000.00", "committed", "yes", "nij-begun"),
    ]


@pytest.mark.parametrize("dangerous", ['=HYPERLINK("x")', "+1", "-1", "@SUM(A1)", "\tx", "\rx"])
def test_csv_cells_never_run_as_formulas(client, aifabriek, dangerous):
    ContributionFactory(programme=aifabriek, instrument=dangerous, amount=Decimal("1.00"))
    row = next(row for row in read_csv(client) if row[3] == "1.00")
    assert row[2] == "'" + dangerous


def test_api_conditional_get_with_the_date_gets_304(client, aifabriek):
    first = client.get("/api/programmes/")
    again = client.get("/api/programmes/", headers={"if-modified-since": first["Last-Modified"]})
    assert again.status_code == 304
