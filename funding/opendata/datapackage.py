"""The Frictionless data package of the CSV downloads, served at /api/datapackage.json.

One resource per public programme's contributions.csv, each with a Table Schema that says what
`open_data_csv_rows` (funding/opendata/documents.py) writes: column types, units, constraints and
the key. Resource paths are relative to the package's own address, so the package works both
when read from the site and when saved to disk next to its CSV files (docs/decisions.md).
"""

import posixpath

from django.urls import reverse

from funding.models import ContributionStatus, Programme

PROFILE = "tabular-data-package"


def field(name: str, field_type: str, description: str, **extra) -> dict:
    return {"name": name, "type": field_type, "description": description, **extra}


def contributions_schema() -> dict:
    """The Table Schema of every programme's contributions.csv, column by column."""
    fields = [
        field(
            "funder",
            "string",
            "The organisation that funds, as the sources name it.",
            constraints={"required": True},
        ),
        field(
            "co_funders",
            "string",
            "Organisations that share the amount, separated by '; ', each followed by its "
            "share in euros where a source published it. Empty when there are none.",
        ),
        field("instrument", "string", "Instrument or budget line; may be empty."),
        field(
            "amount",
            "number",
            "The amount pledged or requested, with two decimals, in the currency of the "
            "`currency` column: in euros for EUR (the only currency so far).",
            decimalChar=".",
            groupChar="",
            bareNumber=True,
            constraints={"required": True, "minimum": 0},
        ),
        field(
            "currency",
            "string",
            "ISO 4217 code of the amount (the programme's currency, the same on every row).",
            constraints={"required": True, "pattern": "[A-Z]{3}"},
        ),
        field(
            "status",
            "string",
            "requested (not yet decided), committed, disbursed (paid out in full) or "
            "withdrawn; withdrawn rows count in no total.",
            constraints={"required": True, "enum": list(ContributionStatus.values)},
        ),
        field(
            "split_published",
            "boolean",
            "no when co-funders share the amount in parts no source has published.",
            trueValues=["yes"],
            falseValues=["no"],
            constraints={"required": True},
        ),
        field(
            "sources",
            "string",
            "Titles of the documents that give the contribution, separated by '; '.",
        ),
        field(
            "key",
            "string",
            "Identifier of the contribution, unique within the programme (as `key` in the "
            "JSON API).",
            constraints={"required": True, "unique": True},
        ),
    ]
    return {"fields": fields, "primaryKey": ["key"], "missingValues": [""]}


def relative_path(url: str) -> str:
    """An address on this site relative to the package's own address."""
    return posixpath.relpath(url, posixpath.dirname(reverse("api:datapackage")))


def contributions_resource(programme: Programme, name: str) -> dict:
    """A programme's contributions.csv (every public contribution, largest first)."""
    return {
        "name": name,
        "title": f"{programme.name}: contributions",
        "profile": "tabular-data-resource",
        "path": relative_path(reverse("api:contributions_csv", args=[programme.slug])),
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        # One Table Schema for all of them: the package stays small with a thousand programmes.
        "schema": relative_path(reverse("api:contributions_schema")),
    }


def unique_name(wanted: str, taken: set[str]) -> str:
    """Resource names are lower case and unique; slugs may differ only in case."""
    name, number = wanted, 1
    while name in taken:
        number += 1
        name = f"{wanted}-{number}"
    taken.add(name)
    return name


def datapackage_data() -> dict:
    """The data package: every CSV that the site offers publicly, described."""
    programmes = Programme.objects.public().only("slug", "name", "currency").order_by("slug")
    taken: set[str] = set()
    return {
        "profile": PROFILE,
        "name": "public-funding",
        "title": "Public funding: open data",
        "description": "The public contributions of every public programme as CSV, one file "
        "per programme, all with the same columns. The files are UTF-8, comma-separated with "
        "one header row (the default CSV dialect). Amounts are plain decimals in the "
        "programme's currency (a point, no thousands separator). Only public records appear.",
        "resources": [
            contributions_resource(
                programme, unique_name(f"{programme.slug.lower()}-contributions", taken)
            )
            for programme in programmes
        ],
    }
