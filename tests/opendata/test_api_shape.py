"""The API's shape is described once, by the document classes (funding/opendata/shapes.py): the
JSON is written from them, and the OpenAPI schemas and docs/api.md's field tables are generated."""

import dataclasses
import json
from pathlib import Path

import pytest

from funding.opendata import api_docs, described, shapes
from funding.opendata.openapi import openapi_document

DOCS = Path(__file__).resolve().parents[2] / "docs"
SLUG = "ai-fabriek-groningen"


def test_the_committed_openapi_json_and_the_docs_tables_agree_with_the_code():
    stale = [str(path.relative_to(DOCS.parent)) for path in api_docs.stale()]
    assert stale == [], f"Out of date: {stale}. Run `{api_docs.REGENERATE}` and commit the files."


@pytest.mark.django_db
def test_the_served_openapi_json_is_the_committed_file(client):
    served = client.get("/api/openapi.json").content
    assert served + b"\n" == (DOCS / "openapi.json").read_bytes()


def test_every_document_class_has_a_table_in_docs_api_md():
    tables = set(api_docs.TABLE.findall((DOCS / "api.md").read_text()))
    assert {name for _start, name, _table, _end in tables} == set(described.COMPONENTS)


def test_the_programme_schema_describes_its_scenarios():
    schemas = openapi_document()["components"]["schemas"]
    programme = schemas["Programme"]["allOf"][1]
    assert programme["properties"]["scenarios"]["$ref"] == "#/components/schemas/Scenarios"
    assert "scenarios" in programme["required"]
    assert list(schemas["Outcome"]["properties"]) == ["total", "gap", "surplus"]


def test_a_field_schema_follows_its_type_and_keywords():
    schema = described.component_schema(shapes.Source)["properties"]
    assert schema["url"] == {
        "type": ["string", "null"],
        "description": "Address of the document; null when unknown.",
        "format": "uri",
    }
    assert schema["published_on"]["format"] == "date"
    assert schema["title_en"]["type"] == ["string", "null"]


def field_names(cls) -> list[str]:
    """The JSON keys of a document class, in order, with spread parts opened."""
    names = []
    types_of = described.hints(cls)
    for field in dataclasses.fields(cls):
        if field.metadata.get("spread"):
            names += field_names(types_of[field.name])
        else:
            names.append(field.name)
    return names


def check_shape(value, cls, path="$"):
    """Each object in `value` has exactly the fields of its class, in the class's order."""
    assert list(value) == field_names(cls), path
    types_of = described.hints(cls)
    for name in value:
        annotation = next(
            (types_of[f.name] for f in dataclasses.fields(cls) if f.name == name), None
        )
        if annotation is None:  # a spread part's field: plain values only
            continue
        annotation = described._optional(annotation) or annotation
        items = value[name] if getattr(annotation, "__origin__", None) is list else [value[name]]
        inner = (
            annotation.__args__[0]
            if getattr(annotation, "__origin__", None) is list
            else annotation
        )
        if dataclasses.is_dataclass(inner):
            for index, item in enumerate(items):
                if item is not None:
                    check_shape(item, inner, f"{path}.{name}[{index}]")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "cls"),
    [
        ("/api/programmes/", shapes.ProgrammeList),
        (f"/api/programmes/{SLUG}/", shapes.Programme),
        (f"/api/programmes/{SLUG}/contributions/", shapes.ContributionPage),
    ],
)
def test_every_json_document_has_exactly_the_fields_of_its_class(client, aifabriek, url, cls):
    check_shape(json.loads(client.get(url).content), cls)
