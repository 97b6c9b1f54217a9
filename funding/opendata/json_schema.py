"""Building blocks for JSON Schema (2020-12): texts, amounts, days, counts, objects, lists and
references, each with the description the OpenAPI document shows."""

SCHEMAS = "#/components/schemas/"
SLUG_PATTERN = r"^[-a-zA-Z0-9_]+$"


def ref(name: str) -> dict:
    return {"$ref": SCHEMAS + name}


def text(description: str, **extra) -> dict:
    return {"type": "string", "description": description, **extra}


def maybe(schema: dict) -> dict:
    """The schema, or null."""
    if "$ref" in schema:
        return {"anyOf": [schema, {"type": "null"}]}
    return {**schema, "type": [schema["type"], "null"]}


def amount(description: str) -> dict:
    return text(
        f"{description} Euros, as a decimal string with two decimals (parse it as a decimal, "
        "not a float).",
        format="decimal",
        pattern=r"^[0-9]+\.[0-9]{2}$",
        examples=["70000000.00"],
    )


def day(description: str) -> dict:
    return text(description, format="date")


def obj(properties: dict, description: str = "", required: list[str] | None = None) -> dict:
    """An object with every listed property required (unless `required` names fewer)."""
    schema = {
        "type": "object",
        "properties": properties,
        "required": list(properties) if required is None else required,
    }
    return {**schema, "description": description} if description else schema


def array(items: dict, description: str) -> dict:
    return {"type": "array", "items": items, "description": description}
