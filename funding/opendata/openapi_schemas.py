"""The shapes of the open data documents, as JSON Schema (2020-12) for the OpenAPI description.

They follow funding/opendata/documents.py field by field. Objects leave `additionalProperties` open:
a field added later does not break a client.
"""

from aifabriek.ops.api_errors import ERRORS
from funding.models import ContributionStatus, MilestoneStatus, Role
from funding.opendata.documents import API_PAGE_SIZE, PROGRAMMES_PAGE_SIZE
from funding.opendata.json_schema import (
    SLUG_PATTERN,
    amount,
    array,
    codes,
    count,
    day,
    english_text,
    maybe,
    obj,
    ref,
    text,
)

ORGANISATION = obj(
    {
        "key": text("Stable identifier."),
        "name": text("Name as the sources give it."),
        "name_en": english_text("name"),
    },
    "An organisation: a funder, partner or co-funder.",
)
SOURCE = obj(
    {
        "key": text("Stable identifier."),
        "title": text("Title of the document."),
        "title_en": english_text("title"),
        "publisher": text("Who published it."),
        "publisher_en": english_text("publisher"),
        "url": maybe(text("Address of the document; null when unknown.", format="uri")),
        "published_on": maybe(day("Publication date; null when unknown.")),
        "language": text("Language of the document (BCP 47 code, e.g. `nl`)."),
        "quote": text("The passage that gives the figure or date, in the source's language."),
    },
    "A document that a figure or date comes from.",
)
LINKS = obj(
    {
        "api": text("This programme's JSON document.", format="uri-reference"),
        "html": text("The public programme page.", format="uri-reference"),
        "feed": text("Atom feed of its changes.", format="uri-reference"),
        "contributions": text("The paged list of contributions.", format="uri-reference"),
        "contributions_csv": text("Every public contribution as CSV.", format="uri-reference"),
        "oc4ids": text("This programme as an OC4IDS project package.", format="uri-reference"),
    },
    "Related addresses, as paths on this site.",
)
AS_OF = maybe(
    day(
        "The day the newest change to the public records behind these figures was recorded; "
        "null when there are none."
    )
)
SUMMARY = obj(
    {
        "slug": text("Identifier in addresses.", pattern=SLUG_PATTERN),
        "name": text("Name of the programme."),
        "name_en": english_text("name"),
        "text_language": text(
            "Language of the plain text fields (`nl`); the `_en` fields hold English texts.",
            enum=["nl"],
        ),
        "currency": text("ISO 4217 code of every amount.", examples=["EUR"]),
        "target": amount("What the programme aims to raise."),
        "committed": amount("Public contributions that are committed or disbursed."),
        "pending": amount("Public contributions requested and not yet decided."),
        "disbursed": amount("Payments made on public committed contributions."),
        "as_of": AS_OF,
        "links": ref("Links"),
    },
    "A public programme with its totals. Withdrawn contributions count in no total.",
)
CONTRIBUTION = obj(
    {
        "key": text("Identifier, unique within the programme."),
        "funder": ref("Organisation"),
        "instrument": text("Instrument or budget line (e.g. a fund); may be empty."),
        "instrument_en": english_text("instrument"),
        "amount": amount("The amount pledged or requested."),
        "status": codes(ContributionStatus, "Where the money stands."),
        "notes": text("Notes; may be empty."),
        "notes_en": english_text("notes"),
        "split_published": {
            "type": "boolean",
            "description": "False when co-funders share the amount in parts no source has "
            "published.",
        },
        "co_funders": array(
            obj(
                {
                    "organisation": ref("Organisation"),
                    "amount": maybe(amount("Its share; null when not published.")),
                }
            ),
            "Organisations that share the amount.",
        ),
        "sources": array(ref("Source"), "The documents that give the contribution."),
    },
    "A public contribution to a programme.",
)


def paging(counted: str, page_size: int) -> dict:
    return {
        "count": count(counted),
        "page": {"type": "integer", "minimum": 1, "description": "This page's number."},
        "pages": {"type": "integer", "minimum": 1, "description": "How many pages there are."},
        "page_size": {"type": "integer", "const": page_size, "description": "Items per page."},
        "next": maybe(text("Path of the next page; null on the last.", format="uri-reference")),
        "previous": maybe(
            text("Path of the previous page; null on the first.", format="uri-reference")
        ),
    }


PAGING = paging("All public contributions of the programme.", API_PAGE_SIZE)
TOTALS = obj(
    {
        "by_status": array(
            obj(
                {
                    "status": codes(ContributionStatus, "The status."),
                    "contributions": count("How many public contributions have it."),
                    "amount": amount("Their sum."),
                }
            ),
            "Always all four statuses, in the order requested, committed, disbursed, withdrawn.",
        ),
        "by_funder": array(
            obj(
                {
                    "funder": text("Name of the funder."),
                    "funder_en": english_text("funder"),
                    "contributions": count("Its public contributions."),
                    "committed": amount("Its committed or disbursed contributions."),
                    "pending": amount("Its requested contributions."),
                }
            ),
            "The 20 largest funders by committed plus pending money.",
        ),
        "funders": count("How many funders there are in all."),
    },
    "The public contributions summed per status and per funder.",
)
ESTIMATE = obj(
    {
        "precision": text(
            "How precise the date is.", enum=["year", "part", "half", "quarter", "month", "day"]
        ),
        "year": {"type": "integer", "description": "The year."},
        "period": maybe(
            {
                "type": "integer",
                "minimum": 1,
                "maximum": 12,
                "description": "part 1-3 (early, mid, late), half 1-2, quarter 1-4, month 1-12; "
                "null for a year or a day.",
            }
        ),
        "day": maybe(day("The day, for precision `day`; null otherwise.")),
        "earliest": day("The first day the estimate can mean."),
        "latest": day("The last day the estimate can mean."),
        "label": obj(
            {"nl": text("In Dutch."), "en": text("In English.")},
            "As people say it, e.g. `eind 2026` / `late 2026`.",
        ),
        "source": ref("Source"),
    },
    "A date as one source gave it.",
)
MILESTONE = obj(
    {
        "key": text("Identifier, unique within the programme."),
        "title": text("Title."),
        "title_en": english_text("title"),
        "description": text("Description; may be empty."),
        "description_en": english_text("description"),
        "status": codes(MilestoneStatus, "Where it stands."),
        "reached_on": maybe(day("When it was reached; null when no source gives it.")),
        "source": maybe(ref("Source")),
        "sources_differ": {"type": "boolean", "description": "True when its sources disagree."},
        "estimates": array(ref("Estimate"), "Its expected date, one estimate per source."),
    },
    "A public milestone, in timeline order.",
)
PARTNER = obj(
    {
        "organisation": ref("Organisation"),
        "role": codes(Role, "Its role in the programme."),
        "description": text("What it does; may be empty."),
        "description_en": english_text("description"),
        "source": maybe(ref("Source")),
    },
    "An organisation's role in the programme.",
)
PROGRAMME = {
    "allOf": [
        ref("ProgrammeSummary"),
        obj(
            {
                "description": text("Description, as the sources give it."),
                "description_en": english_text("description"),
                "purpose": text("What the money is for."),
                "purpose_en": english_text("purpose"),
                "location": text("Where."),
                "location_en": english_text("location"),
                "target_source": maybe(ref("Source")),
                "totals": ref("Totals"),
                "contributions": array(
                    ref("Contribution"),
                    f"The first page of public contributions (at most {API_PAGE_SIZE}), "
                    "largest first.",
                ),
                "contributions_paging": obj(PAGING, "Where the rest of the contributions are."),
                "partners": array(ref("Partner"), "Its partners."),
                "milestones": array(ref("Milestone"), "Its milestones, by expected date."),
            }
        ),
    ],
    "description": "One public programme: totals, contributions, partners and milestones.",
}
CONTRIBUTION_PAGE = obj(
    {
        "programme": text("The programme's slug."),
        "as_of": AS_OF,
        **PAGING,
        "contributions": array(ref("Contribution"), "This page's contributions, largest first."),
    },
    "One page of a programme's public contributions.",
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
    "Organisation": ORGANISATION,
    "Source": SOURCE,
    "Links": LINKS,
    "ProgrammeSummary": SUMMARY,
    "ProgrammeList": obj(
        {
            "as_of": AS_OF,
            **paging("All public programmes.", PROGRAMMES_PAGE_SIZE),
            "programmes": array(ref("ProgrammeSummary"), "This page's programmes, by name."),
        }
    ),
    "Programme": PROGRAMME,
    "Totals": TOTALS,
    "Contribution": CONTRIBUTION,
    "ContributionPage": CONTRIBUTION_PAGE,
    "Partner": PARTNER,
    "Milestone": MILESTONE,
    "Estimate": ESTIMATE,
    "Error": ERROR,
    "Oc4idsPackage": OC4IDS_PACKAGE,
    "OpenApiDescription": OPENAPI_DESCRIPTION,
    "DataPackage": DATA_PACKAGE,
    "TableSchema": TABLE_SCHEMA,
}
