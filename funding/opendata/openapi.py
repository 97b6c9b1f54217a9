"""The OpenAPI 3.1 description of the open data API, served at /api/openapi.json.

The paths are written here, next to the views they describe (funding/opendata/views.py); the
documents' schemas are generated from their classes (funding/opendata/shapes.py, through
openapi_schemas.py). Tests check it covers every `api/` URL pattern, that every answer the app
gives matches it, and that docs/openapi.json is this document as served.
"""

from funding.opendata.documents import CSV_COLUMNS
from funding.opendata.json_schema import SLUG_PATTERN, ref
from funding.opendata.oc4ids import PROJECTS_PAGE_SIZE
from funding.opendata.openapi_schemas import COMPONENT_SCHEMAS
from funding.opendata.shapes import API_PAGE_SIZE, PROGRAMMES_PAGE_SIZE

OPENAPI_VERSION = "3.1.0"
EXAMPLE_SLUG = "ai-fabriek-groningen"


def json_content(schema: dict) -> dict:
    return {"application/json": {"schema": schema}}


def error(description: str) -> dict:
    return {"description": description, "content": json_content(ref("Error"))}


HEADERS = {
    "ETag": {
        "description": "Changes when the document changes; send it back as If-None-Match.",
        "schema": {"type": "string"},
    },
    "Last-Modified": {
        "description": "When a public funding record last changed (absent before any edit).",
        "schema": {"type": "string"},
    },
    "Cache-Control": {
        "description": (
            "`public` with a short `max-age` (seconds), `stale-while-revalidate` and "
            "`stale-if-error`: any cache may keep a copy that long, then ask with the ETag."
        ),
        "schema": {"type": "string"},
    },
    "Access-Control-Allow-Origin": {
        "description": "`*`: scripts on any site may read the data.",
        "schema": {"type": "string", "const": "*"},
    },
}
CONDITIONAL_PARAMETERS = [
    {
        "name": "If-None-Match",
        "in": "header",
        "required": False,
        "description": "An ETag received before: the answer is 304 while it still holds.",
        "schema": {"type": "string"},
    },
    {
        "name": "If-Modified-Since",
        "in": "header",
        "required": False,
        "description": "A Last-Modified received before (an HTTP date): 304 until a change.",
        "schema": {"type": "string"},
    },
]
SLUG_PARAMETER = {
    "name": "slug",
    "in": "path",
    "required": True,
    "description": "The programme's slug.",
    "schema": {"type": "string", "pattern": SLUG_PATTERN},
    "example": EXAMPLE_SLUG,
}
PAGE_PARAMETER = {
    "name": "page",
    "in": "query",
    "required": False,
    "description": "Page number, from 1 (the default). Anything else is a 400; a page past "
    "the last is a 404.",
    "schema": {"type": "integer", "minimum": 1, "maximum": 999999, "default": 1},
    "example": 1,
}
ON_PARAMETER = {
    "name": "on",
    "in": "query",
    "required": False,
    "description": "A past day: the document as it stood at the end of that day "
    "(Europe/Amsterdam), rebuilt from the kept history. Today or a day to come gives today's "
    "document; a day the programme was not public is a 404; anything but YYYY-MM-DD is a 400.",
    "schema": {"type": "string", "format": "date"},
    "example": "2026-10-01",
}
UNAVAILABLE = {
    **error("The database cannot be reached; try again after `Retry-After` seconds."),
    "headers": {"Retry-After": {"schema": {"type": "string"}, "description": "Seconds."}},
}


def operation(
    *,
    operation_id: str,
    summary: str,
    description: str,
    content: dict,
    parameters: tuple = (),
    errors: dict | None = None,
) -> dict:
    """A GET of an open data document; HEAD answers the same without the body."""
    return {
        "get": {
            "operationId": operation_id,
            "summary": summary,
            "description": description,
            "tags": ["open data"],
            "parameters": [*parameters, *CONDITIONAL_PARAMETERS],
            "responses": {
                "200": {"description": summary, "headers": HEADERS, "content": content},
                "304": {"description": "Not modified since the ETag or date sent."},
                "404": error("No such public programme or page, or no such address under /api/."),
                **(errors or {}),
                "503": UNAVAILABLE,
            },
        }
    }


CSV_DESCRIPTION = (
    "Every public contribution, largest first, streamed. UTF-8, comma-separated, one header "
    f"row: {', '.join(CSV_COLUMNS)}. Amounts are plain decimals in euros with a point "
    "(`70000000.00`). A cell that would start with `=`, `+`, `-`, `@`, a tab or a carriage "
    "return is prefixed with `'`. The data package (/api/datapackage.json) describes each column."
)

PATHS = {
    "/api/programmes/": operation(
        operation_id="listProgrammes",
        summary="The public programmes with their totals",
        description=f"{PROGRAMMES_PAGE_SIZE} a page, ordered by name.",
        parameters=(PAGE_PARAMETER,),
        content=json_content(ref("ProgrammeList")),
        errors={"400": error("`page` is not a whole number from 1.")},
    ),
    "/api/programmes/{slug}/": operation(
        operation_id="getProgramme",
        summary="One public programme",
        description="Totals, the first page of contributions, partners and milestones; with "
        "`on`, as they stood on a past day.",
        parameters=(SLUG_PARAMETER, ON_PARAMETER),
        content=json_content(ref("Programme")),
        errors={"400": error("`on` is not a day written YYYY-MM-DD.")},
    ),
    "/api/programmes/{slug}/contributions/": operation(
        operation_id="listContributions",
        summary="One page of a programme's public contributions",
        description=f"{API_PAGE_SIZE} a page, largest first (then by key).",
        parameters=(SLUG_PARAMETER, PAGE_PARAMETER),
        content=json_content(ref("ContributionPage")),
        errors={"400": error("`page` is not a whole number from 1.")},
    ),
    "/api/programmes/{slug}/contributions.csv": operation(
        operation_id="downloadContributionsCsv",
        summary="Every public contribution of a programme as CSV",
        description=CSV_DESCRIPTION,
        parameters=(SLUG_PARAMETER,),
        content={"text/csv": {"schema": {"type": "string", "description": CSV_DESCRIPTION}}},
    ),
    "/api/programmes/{slug}/oc4ids.json": operation(
        operation_id="getProgrammeOc4ids",
        summary="One public programme as an OC4IDS project package",
        description="The Open Contracting for Infrastructure Data Standard 0.9.5: the programme "
        "as one project, every public contribution a budget breakdown entry with its funder "
        "as source party. docs/api.md gives the mapping.",
        parameters=(SLUG_PARAMETER,),
        content=json_content(ref("Oc4idsPackage")),
    ),
    "/api/oc4ids.json": operation(
        operation_id="listOc4ids",
        summary="Every public programme as an OC4IDS project package, a page at a time",
        description=f"{PROJECTS_PAGE_SIZE} projects a page, by name; `links.next` is the "
        "address of the next page, absent on the last.",
        parameters=(PAGE_PARAMETER,),
        content=json_content(ref("Oc4idsPackage")),
        errors={"400": error("`page` is not a whole number from 1.")},
    ),
    "/api/openapi.json": operation(
        operation_id="getOpenApiDescription",
        summary="This description of the API",
        description="OpenAPI 3.1.",
        content=json_content(ref("OpenApiDescription")),
    ),
    "/api/datapackage.json": operation(
        operation_id="getDataPackage",
        summary="A Frictionless data package describing the CSV downloads",
        description="One resource per CSV of each public programme, each with its Table Schema "
        "(columns, types, units, constraints). Paths are relative to this document.",
        content=json_content(ref("DataPackage")),
    ),
    "/api/schemas/contributions.json": operation(
        operation_id="getContributionsTableSchema",
        summary="The Table Schema of every contributions.csv",
        description="Frictionless Table Schema: each column's name, type, unit and "
        "constraints, and the primary key. The data package's resources refer to it.",
        content=json_content(ref("TableSchema")),
    ),
}


def openapi_document() -> dict:
    """The OpenAPI description of every /api/ address."""
    return {
        "openapi": OPENAPI_VERSION,
        "info": {
            "title": "Public funding tracker: open data",
            "version": "1",
            "description": "The public figures of every public programme: who funds what, in "
            "what state the money is, and when each milestone is expected, every figure with "
            "its source. Only public records appear. Any site may read the data (CORS `*`); "
            "only GET and HEAD are allowed. See docs/api.md for the conventions.",
        },
        "tags": [{"name": "open data", "description": "Public figures as JSON and CSV."}],
        "paths": PATHS,
        "components": {"schemas": COMPONENT_SCHEMAS},
    }
