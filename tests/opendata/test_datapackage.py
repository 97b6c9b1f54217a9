"""/api/datapackage.json: a Frictionless data package of the public CSV downloads, which the
frictionless library finds valid against the real files (and invalid when a file is broken)."""

import csv
import io
import json
from decimal import Decimal
from pathlib import Path

import frictionless
import pytest

from funding.opendata.datapackage import datapackage_data
from tests.support.cache_headers import SHARED
from tests.support.dataset import AIFABRIEK
from tests.support.factories import ContributionFactory, ProgrammeFactory

PACKAGE = "/api/datapackage.json"
API = "/api/"  # the package's own folder: resource paths are relative to it


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def save(client, folder: Path, path: str) -> None:
    """The document at this path (relative to the package), saved under the same path."""
    response = client.get(API + path)
    assert response.status_code == 200, path
    target = folder / path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(body(response))


def save_package(client, folder: Path) -> dict:
    """The package and every file it names, saved as a client would mirror them."""
    package = client.get(PACKAGE).json()
    (folder / "datapackage.json").write_text(json.dumps(package))
    for path in {r["schema"] for r in package["resources"]} | {
        r["path"] for r in package["resources"]
    }:
        save(client, folder, path)
    return package


def validate(folder: Path) -> frictionless.Report:
    return frictionless.validate(str(folder / "datapackage.json"))


def test_the_package_names_each_public_programmes_csv(client, aifabriek):
    ProgrammeFactory(slug="not-yet-public", is_public=False)
    package = client.get(PACKAGE).json()
    assert package["profile"] == "tabular-data-package"
    assert [(r["name"], r["path"], r["schema"]) for r in package["resources"]] == [
        (
            f"{AIFABRIEK}-contributions",
            f"programmes/{AIFABRIEK}/contributions.csv",
            "schemas/contributions.json",
        )
    ]


def test_the_package_describes_the_columns_the_csv_has(client, aifabriek):
    resource = client.get(PACKAGE).json()["resources"][0]
    csv_header = next(csv.reader(io.StringIO(body(client.get(API + resource["path"])).decode())))
    schema = client.get(API + resource["schema"]).json()
    fields = {f["name"]: f for f in schema["fields"]}
    assert list(fields) == csv_header
    assert schema["primaryKey"] == ["key"]
    assert fields["amount"]["type"] == "number"
    assert "in euros" in fields["amount"]["description"]
    assert (fields["amount"]["decimalChar"], fields["amount"]["groupChar"]) == (".", "")
    assert fields["status"]["constraints"]["enum"] == [
        "requested",
        "committed",
        "disbursed",
        "withdrawn",
    ]
    assert fields["split_published"]["trueValues"] == ["yes"]


def test_the_package_and_the_real_csv_files_are_valid(client, aifabriek, tmp_path):
    ProgrammeFactory(slug="second", name="Second")
    ContributionFactory(programme=aifabriek, instrument="-1 odd", amount=Decimal("0.50"))
    save_package(client, tmp_path)
    report = validate(tmp_path)
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    assert report.stats["errors"] == 0
    assert [(task.stats["fields"], task.stats.get("rows", 0)) for task in report.tasks] == [
        (9, 4),
        (9, 0),
    ]


@pytest.mark.parametrize(
    "old, new, error",
    [
        (",committed,", ",granted,", "constraint-error"),  # a status the schema does not list
        ("60000000.00", "60.000.000,00", "type-error"),  # a Dutch amount
        (",yes,", ",ja,", "type-error"),
        (",EUR,", ",EURO,", "constraint-error"),  # not an ISO 4217 code
        (",nij-begun", ",rijk", "primary-key"),  # the same key twice
    ],
)
def test_a_broken_csv_is_found_invalid(client, aifabriek, tmp_path, old, new, error):
    save_package(client, tmp_path)
    path = tmp_path / "programmes" / AIFABRIEK / "contributions.csv"
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))
    report = validate(tmp_path)
    assert not report.valid
    assert error in {row[0] for row in report.flatten(["type"])}


@pytest.mark.parametrize("address", [PACKAGE, "/api/schemas/contributions.json"])
def test_the_package_and_its_schema_are_served_as_open_data(client, aifabriek, address):
    response = client.get(address)
    assert response["Content-Type"] == "application/json"
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response["Cache-Control"] == SHARED
    assert client.get(address, headers={"if-none-match": response["ETag"]}).status_code == 304


def test_a_programme_made_public_joins_the_package(client, aifabriek):
    first = client.get(PACKAGE)
    ProgrammeFactory(slug="new-one", is_public=True)
    again = client.get(PACKAGE, headers={"if-none-match": first["ETag"]})
    assert again.status_code == 200
    assert len(again.json()["resources"]) == 2


def test_slugs_that_differ_only_in_case_get_names_of_their_own(db):
    ProgrammeFactory(slug="Scheme", is_public=True)
    ProgrammeFactory(slug="scheme", is_public=True)
    names = [resource["name"] for resource in datapackage_data()["resources"]]
    assert sorted(names) == ["scheme-contributions", "scheme-contributions-2"]
