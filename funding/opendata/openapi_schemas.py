"""The schemas (JSON Schema 2020-12) of the OpenAPI description: the API's own documents are
generated from their classes (funding/opendata/shapes.py); the documents whose shape a standard
gives (OC4IDS, OpenAPI, Frictionless) are named and referred to, not restated, and the error
answer is written here. Objects leave `additionalProperties` open.
"""

from aifabriek.ops.api_errors import ERRORS
from funding.opendata import shapes  # noqa: F401 (defines the components)
from funding.opendata.described import component_schemas
from funding.opendata.json_schema import (
    array,
    obj,
    text,
)

OC4IDS_SCHEMA = "https://standard.open-contracting.org/infrastructure/0.9/en/reference/schema/"
OC4IDS_PACKAGE = obj(
    {
        "uri": text("This document's own address.", format="uri"),
        "version": text("The OC4IDS version, major.minor.", const="0.9"),
        "publishedDate": text("When the newest of its projects changed.", format="date-time"),
        "publisher": {"type": "object", "description": "Who publishes the package: the site."},
        "projects": array(
            {
                "type": "object",
                "description": f"An OC4IDS 0.9.5 project ({OC4IDS_SCHEMA}): a public "
                "programme with its budget broken down by funder, parties, milestones, "
                "documents and payments. docs/api.md gives the mapping.",
            },
            "The projects, by programme name.",
        ),
        "links": obj(
            {
                "next": text("The next page; absent on the last.", format="uri"),
                "prev": text("The page before; absent on the first.", format="uri"),
            },
            "Paging, in the package of every programme only.",
            required=[],
        ),
    },
    f"An OC4IDS 0.9.5 project package ({OC4IDS_SCHEMA}project-package-schema.json).",
    required=["uri", "version", "publishedDate", "publisher", "projects"],
)
ERROR = obj(
    {
        "error": text("What went wrong.", enum=[code for code, _detail in ERRORS.values()]),
        "detail": text("A sentence for people."),
    },
    "An error: every error answer under /api/ has this shape, whatever its status.",
)
OPENAPI_DESCRIPTION = obj(
    {
        "openapi": text("The OpenAPI version.", examples=["3.1.0"]),
        "info": {"type": "object", "description": "Title, version and description."},
        "paths": {"type": "object", "description": "Every address under /api/."},
    },
    "An OpenAPI 3.1 description (https://spec.openapis.org/oas/v3.1.0).",
)
DATA_PACKAGE = obj(
    {
        "profile": text("The Frictionless profile.", const="tabular-data-package"),
        "name": text("Identifier of the package."),
        "title": text("Title."),
        "description": text("What the package holds."),
        "resources": array(
            obj(
                {
                    "name": text("Identifier, unique in the package.", pattern=r"^[a-z0-9._-]+$"),
                    "title": text("Title."),
                    "profile": text("The Frictionless profile.", const="tabular-data-resource"),
                    "path": text("The CSV file, relative to the package.", format="uri-reference"),
                    "format": text("File format.", const="csv"),
                    "mediatype": text("Media type.", const="text/csv"),
                    "encoding": text("Character encoding.", const="utf-8"),
                    "schema": text(
                        "Its Table Schema, relative to the package.", format="uri-reference"
                    ),
                }
            ),
            "One per CSV file: each public programme's contributions.csv.",
        ),
    },
    "A Frictionless tabular data package (https://specs.frictionlessdata.io/data-package/).",
)
TABLE_SCHEMA = obj(
    {
        "fields": array(
            obj(
                {
                    "name": text("The column's header."),
                    "type": text("Table Schema type: `string`, `number` or `boolean` here."),
                    "description": text("What the column holds, with its unit."),
                    "constraints": {
                        "type": "object",
                        "description": "`required`, `unique`, `minimum`, `enum`, `pattern`.",
                    },
                },
                required=["name", "type", "description"],
            ),
            "One per column, in the file's order.",
        ),
        "primaryKey": array(text("A column name."), "The columns that identify a row."),
        "missingValues": array(text("A value."), 'Cell values that mean "no value".'),
    },
    "A Frictionless Table Schema (https://specs.frictionlessdata.io/table-schema/).",
)

COMPONENT_SCHEMAS = {
    **component_schemas(),
    "Error": ERROR,
    "Oc4idsPackage": OC4IDS_PACKAGE,
    "OpenApiDescription": OPENAPI_DESCRIPTION,
    "DataPackage": DATA_PACKAGE,
    "TableSchema": TABLE_SCHEMA,
}
