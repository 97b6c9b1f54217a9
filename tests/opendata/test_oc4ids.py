"""OC4IDS project packages: the public programmes in the Open Contracting for Infrastructure Data
Standard, mapped as docs/api.md says, served like the rest of the open data."""

import json
from datetime import date
from decimal import Decimal

import pytest

from funding.models import ContributionStatus, MilestoneStatus, Programme, StatusChange
from tests.support.cache_headers import SHARED
from tests.support.dataset import AIFABRIEK, HIDDEN_NAMES
from tests.support.factories import (
    ContributionFactory,
    MilestoneFactory,
    OrganisationFactory,
    PaymentFactory,
    ProgrammeFactory,
    SourceFactory,
)
from tests.support.scale import many_programmes

pytestmark = pytest.mark.django_db
PACKAGE = f"/api/programmes/{AIFABRIEK}/oc4ids.json"
PORTFOLIO = "/api/oc4ids.json"
EZ_SOURCE = "ez-ai-fabriek-200-miljoen"
DEFENSIE_SOURCE = "defensie-investeert-ai-fabriek"


def get_package(client, url=PACKAGE) -> dict:
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    return json.loads(response.content)


def get_project(client, url=PACKAGE) -> dict:
    [project] = get_package(client, url)["projects"]
    return project


def breakdown(project) -> dict:
    [group] = project["budget"]["budgetBreakdowns"]
    return {entry["id"]: entry for entry in group["budgetBreakdown"]}


def by_id(items) -> dict:
    return {item["id"]: item for item in items}


def test_the_ai_fabriek_carries_its_funding_partners_milestones_and_sources(client, aifabriek):
    project = get_project(client)
    assert project["id"] == "oc4ids-aifbrk-ai-fabriek-groningen"
    assert (project["title"], project["title_en"]) == (
        "AI-fabriek Groningen",
        "AI Factory Groningen",
    )
    assert project["budget"]["amount"] == {"amount": 200000000, "currency": "EUR"}
    entries = breakdown(project)
    assert {
        key: (e["amount"]["amount"], e["sourceParty"]["id"], e["status"])
        for key, e in entries.items()
    } == {
        "rijk": (70000000, "rijksoverheid", "committed"),
        "nij-begun": (60000000, "regio-groningen-noord-drenthe", "committed"),
        "eu-cofinanciering": (70000000, "europese-unie", "requested"),
    }
    assert entries["eu-cofinanciering"]["description"].startswith("Aangevraagd.")
    assert entries["eu-cofinanciering"]["description_en"].startswith("Requested.")
    parties = by_id(project["parties"])
    for entry in entries.values():
        assert parties[entry["sourceParty"]["id"]]["name"] == entry["sourceParty"]["name"]
        assert "funder" in parties[entry["sourceParty"]["id"]]["roles"]
    consortium = {p["name"] for p in parties.values() if "consortiumMember" in p["roles"]}
    assert consortium == {"SURF", "AIC4NL", "TNO", "Samenwerking Noord"}
    assert [m["id"] for m in project["milestones"]] == [
        "kamerbrief",
        "eu-aanvraag-ingediend",
        "expertisecentrum-start",
        "ai-fabriek-in-gebruik",
        "supercomputer-volle-kracht",
    ]
    assert [m["status"] for m in project["milestones"]] == ["met"] * 2 + ["scheduled"] * 3
    assert set(by_id(project["documents"])) == {EZ_SOURCE, DEFENSIE_SOURCE}


def test_full_power_keeps_both_estimates_and_says_the_sources_differ(client, aifabriek):
    full_power = by_id(get_project(client)["milestones"])["supercomputer-volle-kracht"]
    assert [
        (e["description"], e["description_en"], e["documentId"], e["period"])
        for e in full_power["estimates"]
    ] == [
        (
            "eind 2026",
            "late 2026",
            DEFENSIE_SOURCE,
            {"startDate": "2026-09-01T00:00:00+02:00", "endDate": "2026-12-31T23:59:59+01:00"},
        ),
        (
            "begin 2027",
            "early 2027",
            EZ_SOURCE,
            {"startDate": "2027-01-01T00:00:00+01:00", "endDate": "2027-04-30T23:59:59+02:00"},
        ),
    ]
    # The milestone's own period spans both; no day is picked.
    assert full_power["period"] == {
        "startDate": "2026-09-01T00:00:00+02:00",
        "endDate": "2027-04-30T23:59:59+02:00",
    }
    assert "dueDate" not in full_power
    assert (
        "Verwacht eind 2026 volgens “Defensie investeert in AI-fabriek in Groningen”."
        in (full_power["description"])
    )
    assert "De bronnen verschillen" in full_power["description"]
    assert "The sources differ" in full_power["description_en"]


def test_a_fuzzy_date_is_a_period_not_an_invented_day(client, aifabriek):
    start = by_id(get_project(client)["milestones"])["expertisecentrum-start"]
    assert start["period"] == {
        "startDate": "2026-01-01T00:00:00+01:00",
        "endDate": "2026-04-30T23:59:59+02:00",
    }
    assert not {"dueDate", "dateMet"} & set(start)


def test_the_unpublished_split_of_the_rijk_stays_unpublished(client, aifabriek):
    project = get_project(client)
    rijk = breakdown(project)["rijk"]
    assert (
        "Medefinanciers: Ministerie van Defensie, Ministerie van Economische Zaken."
        in (rijk["description"])
    )
    assert "De verdeling tussen hen is niet gepubliceerd" in rijk["description"]
    assert "The split between them has not been published" in rijk["description_en"]
    # Named as funders, but no amount of theirs anywhere.
    parties = by_id(project["parties"])
    assert parties["ministerie-ez"]["roles"] == ["funder"]
    assert parties["ministerie-defensie"]["roles"] == ["funder"]
    assert len(breakdown(project)) == 3


def test_every_source_is_a_document_with_its_passages(client, aifabriek):
    document = by_id(get_project(client)["documents"])[EZ_SOURCE]
    assert document["title"] == "Nederland zet in op €200 miljoen voor AI-fabriek in Groningen"
    assert document["author"] == "Rijksoverheid (Economische Zaken)"
    assert document["language"] == "nl"
    assert (
        "AI-fabriek Groningen: “Daarmee kan de totale investering op €200 miljoen uitkomen.”"
        in (document["description"])
    )
    # One passage quoted for four partners is given once, naming all four.
    assert (
        "AIC4NL, SURF, Samenwerking Noord, TNO: “een consortium van SURF, AIC4NL, TNO en "
        "Samenwerking Noord”" in document["description"]
    )
    # No address or date is known for the shipped sources, so none is given.
    assert not {"url", "datePublished"} & set(document)


def test_a_recorded_decision_date_is_the_approval_date_and_no_other(client, aifabriek):
    assert "approvalDate" not in breakdown(get_project(client))["nij-begun"]
    eu = aifabriek.contributions.get(key="eu-cofinanciering")
    eu.status = ContributionStatus.COMMITTED
    eu.status_change = StatusChange(effective_on=date(2025, 11, 3))
    eu.save()
    entry = breakdown(get_project(client))["eu-cofinanciering"]
    assert entry["approvalDate"] == "2025-11-03T00:00:00+01:00"
    assert entry["description"].startswith("Toegezegd op 3 november 2025.")
    assert entry["description_en"].startswith("Committed on 3 November 2025.")


def test_payments_are_transactions_from_the_funder(client, aifabriek):
    nij_begun = aifabriek.contributions.get(key="nij-begun")
    memo = SourceFactory(key="betaling", url="https://example.org/betaling")
    payment = PaymentFactory(
        contribution=nij_begun, paid_on=date(2026, 6, 2), amount=Decimal("1500000.50"), source=memo
    )
    project = get_project(client)
    assert project["transactions"] == [
        {
            "id": f"nij-begun-{payment.pk}",
            "date": "2026-06-02T00:00:00+02:00",
            "value": {"amount": 1500000.5, "currency": "EUR"},
            "payer": {
                "id": "regio-groningen-noord-drenthe",
                "name": "Regio Groningen/Noord-Drenthe",
            },
            "source": "https://example.org/betaling",
        }
    ]
    assert by_id(project["parties"])["regio-groningen-noord-drenthe"]["roles"] == [
        "funder",
        "payer",
    ]
    assert project["status"] == "implementation"


def test_the_project_status_follows_the_funding(client, db):
    programme = ProgrammeFactory(slug="plan")
    url = "/api/programmes/plan/oc4ids.json"
    ContributionFactory(programme=programme, status=ContributionStatus.REQUESTED)
    assert get_project(client, url)["status"] == "identification"
    committed = ContributionFactory(programme=programme, status=ContributionStatus.COMMITTED)
    assert get_project(client, url)["status"] == "preparation"
    PaymentFactory(contribution=committed)
    assert get_project(client, url)["status"] == "implementation"


@pytest.mark.parametrize(
    "status, code, said",
    [
        (MilestoneStatus.DELAYED, "notMet", "Vertraagd."),
        (MilestoneStatus.CANCELLED, "notMet", "Geschrapt."),
    ],
)
def test_delayed_and_cancelled_milestones_are_not_met_and_say_why(
    client, aifabriek, status, code, said
):
    MilestoneFactory(programme=aifabriek, key="step", title="Stap", status=status)
    step = by_id(get_project(client)["milestones"])["step"]
    assert (step["status"], step["description"]) == (code, said)


def test_a_milestone_reached_on_a_known_day_was_met_that_day(client, aifabriek):
    MilestoneFactory(
        programme=aifabriek, key="step", status=MilestoneStatus.DONE, reached_on=date(2025, 5, 6)
    )
    step = by_id(get_project(client)["milestones"])["step"]
    assert (step["status"], step["dateMet"]) == ("met", "2025-05-06T00:00:00+02:00")


def test_non_public_records_are_left_out(client, hidden_records):
    body = client.get(PACKAGE).content.decode() + client.get(PORTFOLIO).content.decode()
    for name in HIDDEN_NAMES:
        assert name not in body


def test_a_programme_that_is_not_public_is_not_found(client, aifabriek):
    Programme.objects.filter(pk=aifabriek.pk).update(is_public=False)
    response = client.get(PACKAGE)
    assert response.status_code == 404
    assert response.json() == {
        "error": "not_found",
        "detail": "No public programme 'ai-fabriek-groningen'.",
    }
    assert client.get(PORTFOLIO).json() == {
        "error": "not_found",
        "detail": "No programme is public: an OC4IDS package needs at least one project.",
    }


def test_the_package_names_itself_and_its_publisher_by_the_address_it_was_read_at(
    client, aifabriek
):
    package = get_package(client)
    assert package["uri"] == f"http://testserver{PACKAGE}"
    assert package["version"] == "0.9"
    assert package["publisher"] == {
        "name": "Monitor publieke financiering",
        "uri": "http://testserver/",
    }
    other = json.loads(client.get(PACKAGE, HTTP_HOST="localhost").content)
    assert other["uri"] == f"http://localhost{PACKAGE}"


def test_the_project_was_updated_when_its_figures_hold(client, aifabriek):
    project = get_project(client)
    as_of = json.loads(client.get(f"/api/programmes/{AIFABRIEK}/").content)["as_of"]
    assert project["updated"][:10] == as_of
    assert get_package(client)["publishedDate"] == project["updated"]


def test_the_portfolio_comes_two_programmes_a_page_and_links_every_page(client, aifabriek):
    many_programmes(4)
    first = get_package(client, PORTFOLIO)
    assert [p["title"] for p in first["projects"]] == ["AI-fabriek Groningen", "Scale 000"]
    assert first["links"] == {"next": f"http://testserver{PORTFOLIO}?page=2"}
    titles, url = [], PORTFOLIO
    while url:
        package = get_package(client, url)
        titles += [project["title"] for project in package["projects"]]
        url = package.get("links", {}).get("next", "").removeprefix("http://testserver")
    assert titles == ["AI-fabriek Groningen", "Scale 000", "Scale 001", "Scale 002", "Scale 003"]
    assert package["links"] == {"prev": f"http://testserver{PORTFOLIO}?page=2"}
    assert package["uri"] == f"http://testserver{PORTFOLIO}?page=3"


@pytest.mark.parametrize(
    "query, status",
    [("?page=0", 400), ("?page=x", 400), ("?page=2", 404), ("?page=999999", 404)],
)
def test_a_page_that_is_not_there_is_a_clear_error(client, aifabriek, query, status):
    response = client.get(PORTFOLIO + query)
    assert response.status_code == status
    assert response.json()["error"] == ("bad_request" if status == 400 else "not_found")


@pytest.mark.parametrize("url", [PACKAGE, PORTFOLIO])
def test_packages_are_served_like_the_open_data(client, aifabriek, url):
    response = client.get(url)
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response["Cache-Control"] == SHARED
    assert client.get(url, headers={"if-none-match": response["ETag"]}).status_code == 304
    assert client.post(url).status_code == 405


def test_a_change_shows_in_the_next_package(client, aifabriek):
    etag = client.get(PACKAGE)["ETag"]
    aifabriek.contributions.filter(key="nij-begun").update(amount=Decimal("61000000.00"))
    aifabriek.contributions.get(key="rijk").save()  # a saved change retires the cache
    response = client.get(PACKAGE, headers={"if-none-match": etag})
    assert response.status_code == 200
    [project] = json.loads(response.content)["projects"]
    assert breakdown(project)["nij-begun"]["amount"]["amount"] == 61000000


def package_with(contributions: int):
    """A public programme with this many contributions, each with a share, source, payment and
    dated decision, and a milestone with an estimate."""
    programme = ProgrammeFactory(slug="sized", target=Decimal("90000000.00"))
    source = SourceFactory()
    for number in range(contributions):
        contribution = ContributionFactory(programme=programme, funder=OrganisationFactory())
        contribution.shares.create(organisation=OrganisationFactory(), amount=None)
        contribution.citations.create(source=source, quote=f"Passage {number}")
        PaymentFactory(contribution=contribution, source=source)
    milestone = MilestoneFactory(programme=programme)
    milestone.estimates.create(precision="year", year=2027, source=source)
    return "/api/programmes/sized/oc4ids.json"


@pytest.mark.parametrize("contributions", [2, 30])
def test_a_package_costs_the_same_queries_however_many_contributions(
    client, contributions, django_assert_max_num_queries
):
    url = package_with(contributions)
    # The programme with its totals, its contributions, their co-funders, sources, status
    # events and payments, its partners, milestones and their estimates, the day its figures
    # hold as of, and the newest edit (Last-Modified).
    with django_assert_max_num_queries(11):
        project = get_project(client, url)
    assert len(breakdown(project)) == contributions
    assert len(project["transactions"]) == contributions


@pytest.mark.parametrize("page_size", [2, 12])
def test_a_page_of_every_programme_costs_the_same_queries_however_many_it_holds(
    client, monkeypatch, page_size, django_assert_num_queries
):
    monkeypatch.setattr("funding.opendata.oc4ids.PROJECTS_PAGE_SIZE", page_size)
    for programme in many_programmes(12):
        contribution = ContributionFactory(programme=programme)
        PaymentFactory(contribution=contribution)
        MilestoneFactory(programme=programme).estimates.create(
            precision="year", year=2027, source=SourceFactory()
        )
    # How many programmes are public, the page's ids, those programmes with their totals, the
    # eight kinds of record of all of them, the days their figures hold as of, the newest edit.
    with django_assert_num_queries(13):
        package = get_package(client, PORTFOLIO)
    assert len(package["projects"]) == page_size
    assert all(project["transactions"] for project in package["projects"])
