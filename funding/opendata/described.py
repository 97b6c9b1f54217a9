"""Document classes: dataclasses whose fields carry their descriptions. The JSON the API sends,
the JSON Schemas of the OpenAPI description and the field tables of docs/api.md are all made from
them (funding/opendata/shapes.py holds the classes), so the three cannot disagree.

A field's type says what JSON it holds: `str`, `int`, `bool`, `Money` (an amount as a decimal
string), `Day` (an ISO date), `X | None`, `list[X]`, or another document class, which is a
`$ref` when it is a named component and an object written in place when it is a `part`.
"""

import dataclasses
import inspect
import operator
import types
import typing
from functools import cache
from typing import NewType

from funding.opendata import json_schema

Money = NewType("Money", str)  # "70000000.00": funding.formatting.money
Day = NewType("Day", str)  # "2026-09-01"

# The named components, in the order the OpenAPI description lists them.
COMPONENTS: dict[str, type] = {}


def part(cls):
    """A document class written in place wherever it is used (no component of its own)."""
    return dataclasses.dataclass(frozen=True, slots=True)(cls)


def component(cls):
    """A document class that is a named schema of the OpenAPI description."""
    cls = part(cls)
    COMPONENTS[cls.__name__] = cls
    return cls


def described(description: str, **keywords) -> dataclasses.Field:
    """A field with its description and JSON Schema keywords (`enum`, `format`, `minimum`, …)."""
    return dataclasses.field(metadata={"description": description, "keywords": keywords})


def english_field(original: str) -> dataclasses.Field:
    """The English version of a text field, for a field typed `str | None`."""
    return described(f"`{original}` in English; null when no English text exists.")


def spread(description: str) -> dataclasses.Field:
    """A part whose fields are written into the enclosing object, as `**dict` would."""
    return dataclasses.field(metadata={"description": description, "spread": True})


@cache
def _writer(cls):
    """How to turn a document of `cls` into a dict quickly: names and one getter for them all."""
    fields = dataclasses.fields(cls)
    names = tuple(field.name for field in fields)
    spread_names = {field.name for field in fields if field.metadata.get("spread")}
    return names, operator.attrgetter(*names), spread_names


def json_default(document) -> dict:
    """A document as the dict `json.dumps` writes (its `default=`): fields in declared order."""
    if not dataclasses.is_dataclass(document):
        raise TypeError(f"{type(document).__name__} is not a document class")
    names, values_of, spread_names = _writer(type(document))
    values = values_of(document)
    if len(names) == 1:
        values = (values,)
    if not spread_names:
        return dict(zip(names, values, strict=True))
    data = {}
    for name, value in zip(names, values, strict=True):
        if name in spread_names:
            data.update(json_default(value))
        else:
            data[name] = value
    return data


def _optional(annotation):
    """X for `X | None`, else None."""
    if typing.get_origin(annotation) in (types.UnionType, typing.Union):
        (inner,) = [arg for arg in typing.get_args(annotation) if arg is not type(None)]
        return inner
    return None


def _describe(schema: dict, description: str) -> dict:
    return {**schema, "description": description} if description else schema


def field_schema(annotation, description: str, keywords: dict) -> dict:
    """The JSON Schema of one field."""
    inner = _optional(annotation)
    if inner is not None:
        schema = field_schema(inner, description, keywords)
        if "$ref" in schema:
            return _describe(json_schema.maybe({"$ref": schema["$ref"]}), description)
        return json_schema.maybe(schema)
    if typing.get_origin(annotation) is list:
        (item,) = typing.get_args(annotation)
        return json_schema.array(field_schema(item, "", {}), description)
    if annotation is Money:
        return json_schema.amount(description)
    if annotation is Day:
        return json_schema.day(description)
    if annotation is str:
        return json_schema.text(description, **keywords)
    if annotation is int:
        return {"type": "integer", **keywords, "description": description}
    if annotation is bool:
        return {"type": "boolean", "description": description}
    if COMPONENTS.get(annotation.__name__) is annotation:
        return _describe(json_schema.ref(annotation.__name__), description)
    return json_schema.obj(properties(annotation), description)


def hints(cls) -> dict:
    return typing.get_type_hints(cls)


def properties(cls, names=None) -> dict:
    """The JSON Schema of each field of `cls` (or of those in `names`), spread parts opened."""
    types_of = hints(cls)
    schemas = {}
    for field in dataclasses.fields(cls):
        if names is not None and field.name not in names:
            continue
        if field.metadata.get("spread"):
            schemas.update(properties(types_of[field.name]))
            continue
        meta = field.metadata
        schemas[field.name] = field_schema(
            types_of[field.name], meta["description"], meta["keywords"]
        )
    return schemas


def description_of(cls) -> str:
    return inspect.cleandoc(cls.__doc__ or "")


def component_schema(cls) -> dict:
    """A component's schema; a class that extends another component adds to it (`allOf`)."""
    base = next((b for b in cls.__mro__[1:] if COMPONENTS.get(b.__name__) is b), None)
    if base is None:
        return json_schema.obj(properties(cls), description_of(cls))
    inherited = {field.name for field in dataclasses.fields(base)}
    own = [field.name for field in dataclasses.fields(cls) if field.name not in inherited]
    return {
        "allOf": [json_schema.ref(base.__name__), json_schema.obj(properties(cls, own))],
        "description": description_of(cls),
    }


def component_schemas() -> dict:
    return {name: component_schema(cls) for name, cls in COMPONENTS.items()}
