"""The OC4IDS packages pass the standard's own review library (libcoveoc4ids), and packages
broken in the ways a mapping can go wrong fail it with the problem named."""

import copy
import json
import re
from datetime import datetime

import pytest
from jsonschema import Draft4Validator, FormatChecker

from tests.support.dataset import AIFABRIEK
from tests.support.oc4ids_check import SCHEMA_DIR, review
from tests.support.portfolio import PortfolioSize

pytestmark = pytest.mark.django_db
# 30 programmes (about 27 of them public) sharing 300 contributions, and one with 40.
PORTFOLIO = PortfolioSize(programmes=30, contributions=300, big=40)
# partyRole is an open codelist; the standard has no code for these roles (docs/api.md).
OWN_PARTY_ROLES = {"consortiumMember", "applicant"}
# The fields outside the standard that docs/api.md documents: English texts (the standard's
# language mechanism), a budget entry's status, a milestone's period and estimates, and paging.
DOCUMENTED_FIELDS = re.compile(
    r"^/.*_en$|^/projects/budget/budgetBreakdowns/budgetBreakdown/status$"
    r"|^/projects/milestones/(period|estimates)$|^/links$"
)


def assert_passes(package: dict) -> None:
    """No problem, codes of our own only where documented, and no field outside the schema
    that is not documented: a misspelt field of the standard would go unchecked."""
    found = review(package)
    assert found.problems == []
    roles = found.open_codelist_values.get("projects/parties/roles", [])
    assert set(roles) <= OWN_PARTY_ROLES
    assert set(found.open_codelist_values) <= {"projects/parties/roles"}
    assert {field for field in found.additional_fields if not DOCUMENTED_FIELDS.match(field)} == (
        set()
    )


def every_page(client) -> dict:
    """The package of every public programme, its pages followed by `links.next`, as one."""
    pages, url = [], "/api/oc4ids.json"
    while url:
        pages.append(json.loads(client.get(url).content))
        url = pages[-1].get("links", {}).get("next", "").removeprefix("http://testserver")
    whole = {key: value for key, value in pages[0].items() if key != "links"}
    return {**whole, "projects": [project for page in pages for project in page["projects"]]}


def test_the_shipped_programmes_package_passes(client, aifabriek):
    assert_passes(json.loads(client.get(f"/api/programmes/{AIFABRIEK}/oc4ids.json").content))


def test_a_generated_portfolios_package_passes(client, demo_portfolio):
    from funding.demo.data import BIG_SLUG

    demo_portfolio(PORTFOLIO)
    portfolio = every_page(client)
    assert len(portfolio["projects"]) > 20
    kinds = {key for project in portfolio["projects"] for key in project}
    # Payments, milestones and documents occur, so the check covers them.
    assert {"transactions", "milestones", "documents", "parties", "budget"} <= kinds
    assert_passes(portfolio)
    assert_passes(json.loads(client.get(f"/api/programmes/{BIG_SLUG}/oc4ids.json").content))


def test_milestone_periods_are_periods_as_the_standard_defines_them(client, demo_portfolio):
    """`period` and `estimates` are fields of our own, which the review does not check."""
    demo_portfolio(PORTFOLIO)
    schema = json.loads((SCHEMA_DIR / "project-schema.json").read_text(encoding="utf-8"))
    periods = Draft4Validator(schema["definitions"]["Period"], format_checker=FormatChecker())
    projects = every_page(client)["projects"]
    milestones = [m for project in projects for m in project.get("milestones", [])]
    checked = [m["period"] for m in milestones if "period" in m] + [
        estimate["period"] for m in milestones for estimate in m.get("estimates", [])
    ]
    assert len(checked) > 20
    for period in checked:
        assert list(periods.iter_errors(period)) == []
        start, end = (datetime.fromisoformat(period[key]) for key in ("startDate", "endDate"))
        assert start < end


def without_project_id(package):
    del package["projects"][0]["id"]


def with_a_status_outside_the_codelist(package):
    package["projects"][0]["status"] = "underway"


def with_an_amount_as_text(package):
    package["projects"][0]["budget"]["amount"]["amount"] = "200000000.00"


def with_a_milestone_status_of_our_own(package):
    package["projects"][0]["milestones"][2]["status"] = "planned"


def with_a_fuzzy_date_as_a_due_date(package):
    package["projects"][0]["milestones"][2]["dueDate"] = "begin 2026"


def with_a_funder_missing_from_the_parties(package):
    package["projects"][0]["parties"] = package["projects"][0]["parties"][1:]


def with_an_empty_description(package):
    package["projects"][0]["description"] = ""


@pytest.mark.parametrize(
    "break_it, kind, problem",
    [
        (without_project_id, "schema_errors", "'id' is missing but required"),
        (with_a_status_outside_the_codelist, "closed_codelist_values", "projects/status"),
        (with_an_amount_as_text, "schema_errors", "'amount' is not a number"),
        (with_a_milestone_status_of_our_own, "closed_codelist_values", "milestones/status"),
        (with_a_fuzzy_date_as_a_due_date, "schema_errors", "Date is not in the correct format"),
        (with_a_funder_missing_from_the_parties, "additional_checks", "missing-org-refs"),
        (with_an_empty_description, "additional_checks", "missing-values"),
    ],
)
def test_a_broken_package_fails_with_the_problem_named(client, aifabriek, break_it, kind, problem):
    package = json.loads(client.get(f"/api/programmes/{AIFABRIEK}/oc4ids.json").content)
    broken = copy.deepcopy(package)
    break_it(broken)
    found = review(broken)
    assert any(problem in line for line in getattr(found, kind)), found
    assert found.problems
