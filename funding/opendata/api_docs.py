"""The files generated from the document classes (funding/opendata/shapes.py): docs/openapi.json,
the OpenAPI description as /api/openapi.json serves it, committed so that a change to the API
shows in review, and the field tables of docs/api.md, between `<!-- generated: Name -->` and
`<!-- end generated -->`. `python manage.py api_docs --write` writes them, `--check` compares.
"""

import dataclasses
import re
from pathlib import Path

from django.conf import settings

from funding.opendata import described
from funding.opendata.described import COMPONENTS, Day, Money

REGENERATE = "python manage.py api_docs --write"
TABLE = re.compile(r"(<!-- generated: (\w+) -->\n)(.*?)(<!-- end generated -->)", re.S)
NAMES = {str: "string", int: "integer", bool: "boolean", Money: "amount", Day: "date"}


def docs_dir() -> Path:
    return Path(settings.BASE_DIR) / "docs"


def openapi_text() -> str:
    from funding.opendata.openapi import openapi_document
    from funding.opendata.views import json_body

    return json_body(openapi_document()).decode() + "\n"


def type_name(annotation) -> str:
    """How a field's type reads in the table: `string`, `amount or null`, `list of Source`."""
    inner = described._optional(annotation)
    if inner is not None:
        return f"{type_name(inner)} or null"
    if getattr(annotation, "__origin__", None) is list:
        return f"list of {type_name(annotation.__args__[0])}"
    if annotation in NAMES:
        return NAMES[annotation]
    if COMPONENTS.get(annotation.__name__) is annotation:
        return f"`{annotation.__name__}`"
    return "object"


def meaning(field: dataclasses.Field) -> str:
    text = field.metadata["description"]
    keywords = field.metadata.get("keywords", {})
    if "enum" in keywords:
        text += " One of " + ", ".join(f"`{value}`" for value in keywords["enum"]) + "."
    if "const" in keywords:
        text += f" Always `{keywords['const']}`."
    return text.replace("|", "\\|")


def rows(cls, prefix: str = "") -> list[str]:
    """One row per field; a part's fields follow it, named `field.member` (`field[].member`)."""
    types_of = described.hints(cls)
    lines = []
    for field in dataclasses.fields(cls):
        annotation = types_of[field.name]
        if field.metadata.get("spread"):
            lines += rows(annotation, prefix)
            continue
        name = prefix + field.name
        lines.append(f"| `{name}` | {type_name(annotation)} | {meaning(field)} |")
        inner = described._optional(annotation) or annotation
        many = getattr(inner, "__origin__", None) is list
        inner = inner.__args__[0] if many else inner
        if dataclasses.is_dataclass(inner) and COMPONENTS.get(inner.__name__) is not inner:
            lines += rows(inner, f"{name}[]." if many else f"{name}.")
    return lines


def field_table(name: str) -> str:
    cls = COMPONENTS[name]
    return "\n".join(["| field | type | meaning |", "|---|---|---|", *rows(cls)]) + "\n"


def with_tables(markdown: str) -> str:
    return TABLE.sub(lambda m: m[1] + field_table(m[2]) + m[4], markdown)


def generated() -> dict[Path, str]:
    """Each generated file and what it should hold."""
    api_md = docs_dir() / "api.md"
    return {
        docs_dir() / "openapi.json": openapi_text(),
        api_md: with_tables(api_md.read_text()),
    }


def stale() -> list[Path]:
    """The generated files that disagree with the code."""
    return [
        path for path, text in generated().items() if not path.exists() or path.read_text() != text
    ]


def write() -> list[Path]:
    changed = stale()
    for path, text in generated().items():
        if path in changed:
            path.write_text(text)
    return changed
