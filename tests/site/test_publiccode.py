"""publiccode.yml describes the software as the standard asks, checked against its JSON Schema."""

import copy
import json
from pathlib import Path

import pytest
import yaml
from jsonschema import Draft7Validator, FormatChecker

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = Path(__file__).resolve().parents[1] / "standards" / "publiccode" / "publiccode.schema.json"
# `url` names the repository, which has no public address yet: it holds a sentence saying so,
# which the `uri` format would refuse. Every other format is checked.
FORMATS = FormatChecker(formats=[name for name in FormatChecker.checkers if name != "uri"])


def validator() -> Draft7Validator:
    return Draft7Validator(json.loads(SCHEMA.read_text(encoding="utf-8")), format_checker=FORMATS)


def publiccode() -> dict:
    # YAML 1.1 would read `releaseDate: 2026-12-02` as a date; the file quotes it as a string.
    return yaml.safe_load((ROOT / "publiccode.yml").read_text(encoding="utf-8"))


def problems(document: dict) -> list[str]:
    return [
        f"{'/'.join(map(str, error.absolute_path))}: {error.message}"
        for error in validator().iter_errors(document)
    ]


def test_publiccode_yml_matches_the_standards_schema():
    assert problems(publiccode()) == []


def test_it_says_what_the_software_is_in_dutch_and_english():
    document = publiccode()
    assert document["legal"]["license"] == "EUPL-1.2"
    assert document["platforms"] == ["web"]
    assert document["softwareType"] == "standalone/web"
    assert document["maintenance"]["type"] == "internal"
    assert document["localisation"]["availableLanguages"] == ["nl", "en"]
    assert set(document["description"]) == {"nl", "en"}
    for language in ("nl", "en"):
        text = document["description"][language]
        assert 500 <= len(text["longDescription"]) <= 10000
        assert len(text["features"]) == 10
    dependencies = {d["name"] for d in document["dependsOn"]["open"]}
    assert dependencies == {"Python", "PostgreSQL", "Redis", "nginx"}


@pytest.mark.parametrize(
    "path, value, problem",
    [
        (("developmentStatus",), "finished", "'finished' is not one of"),
        (("platforms",), ["browser"], "'browser' is not one of"),
        (("releaseDate",), "2 december 2026", "is not a 'date'"),
        (("description", "en", "shortDescription"), "x" * 151, "is too long"),
        (("legal",), {}, "'license' is a required property"),
    ],
)
def test_a_wrong_value_fails_the_schema(path, value, problem):
    document = copy.deepcopy(publiccode())
    *parents, key = path
    target = document
    for parent in parents:
        target = target[parent]
    target[key] = value
    assert any(problem in line for line in problems(document)), problems(document)
