"""/api/openapi.json: a valid OpenAPI 3.1 description of every /api/ address, served like the
data, that the app's real answers match (test_openapi_fuzz.py sends it generated requests)."""

import json
import re

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import Client
from jsonschema import Draft202012Validator
from werkzeug.test import Client as WsgiClient

from funding.opendata.openapi import openapi_document
from tests.support.cache_headers import SHARED
from tests.support.dataset import AIFABRIEK
from tests.support.urlconf import all_routes

OPENAPI = "/api/openapi.json"


def described():
    return schemathesis.openapi.from_dict(openapi_document())


def test_the_description_is_valid_openapi_3_1():
    document = openapi_document()
    assert document["openapi"] == "3.1.0"
    described().validate()  # against the OpenAPI 3.1 meta-schema schemathesis carries


@pytest.mark.parametrize("name", sorted(openapi_document()["components"]["schemas"]))
def test_each_component_is_a_valid_json_schema(name):
    Draft202012Validator.check_schema(openapi_document()["components"]["schemas"][name])


def described_path(pattern: str) -> str:
    """A URL pattern as an OpenAPI path: `api/x/<slug:slug>/` is `/api/x/{slug}/`."""
    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", pattern)


def test_every_api_url_pattern_is_described_and_nothing_else():
    patterns = {described_path(r.pattern) for r in all_routes() if r.pattern.startswith("api/")}
    assert set(openapi_document()["paths"]) == patterns


def test_every_field_says_what_it_is():
    """Each property of each object has a type (or a reference) and a description."""

    def walk(schema, where):
        for name, field in schema.get("properties", {}).items():
            if "$ref" not in field and "anyOf" not in field:
                assert field.get("type"), f"{where}.{name} has no type"
                assert field.get("description"), f"{where}.{name} has no description"
            walk(field, f"{where}.{name}")
            walk(field.get("items", {}), f"{where}.{name}[]")
        for part in schema.get("allOf", []):
            walk(part, where)

    for name, schema in openapi_document()["components"]["schemas"].items():
        walk(schema, name)


def test_the_description_is_served_as_open_data(client, db):
    response = client.get(OPENAPI)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert json.loads(response.content) == json.loads(json.dumps(openapi_document()))
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response["Cache-Control"] == SHARED
    again = client.get(OPENAPI, headers={"if-none-match": response["ETag"]})
    assert again.status_code == 304


@pytest.fixture
def wsgi(db):
    """A client of the app as a WSGI application (schemathesis validates its answers)."""
    # The end of a request would close the connection that holds the test's transaction (the
    # test client does the same for its requests).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield WsgiClient(WSGIHandler())
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


ANSWERS = [
    ("/api/programmes/", "/api/programmes/", 200),
    ("/api/programmes/{slug}/", f"/api/programmes/{AIFABRIEK}/", 200),
    ("/api/programmes/{slug}/", "/api/programmes/no-such/", 404),
    ("/api/programmes/{slug}/contributions/", f"/api/programmes/{AIFABRIEK}/contributions/", 200),
    (
        "/api/programmes/{slug}/contributions/",
        f"/api/programmes/{AIFABRIEK}/contributions/?page=x",
        400,
    ),
    (
        "/api/programmes/{slug}/contributions/",
        f"/api/programmes/{AIFABRIEK}/contributions/?page=2",
        404,
    ),
    (
        "/api/programmes/{slug}/contributions.csv",
        f"/api/programmes/{AIFABRIEK}/contributions.csv",
        200,
    ),
    (
        "/api/programmes/{slug}/oc4ids.json",
        f"/api/programmes/{AIFABRIEK}/oc4ids.json",
        200,
    ),
    ("/api/programmes/{slug}/oc4ids.json", "/api/programmes/no-such/oc4ids.json", 404),
    ("/api/oc4ids.json", "/api/oc4ids.json", 200),
    ("/api/oc4ids.json", "/api/oc4ids.json?page=x", 400),
    ("/api/oc4ids.json", "/api/oc4ids.json?page=2", 404),
    ("/api/openapi.json", OPENAPI, 200),
    ("/api/datapackage.json", "/api/datapackage.json", 200),
]


@pytest.mark.parametrize("path, address, status", ANSWERS)
def test_the_data_sets_answers_match_the_description(wsgi, aifabriek, path, address, status):
    response = wsgi.get(address, headers={"Host": "localhost"})
    assert response.status_code == status
    described()[path]["GET"].validate_response(response)


@pytest.mark.parametrize("address", ["/api/nope/", "/api/programmes/a.b/", "/api/programmes/x/y/"])
def test_an_address_under_api_that_matches_nothing_gets_a_json_404(client, db, address):
    response = client.get(address)
    assert response.status_code == 404
    assert response.json() == {"error": "not_found", "detail": f"No open data at {address!r}."}


def test_other_pages_keep_the_sites_404_page(client, db):
    response = client.get("/nope/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


@pytest.mark.parametrize("method", ["post", "put", "delete", "patch"])
def test_writing_to_the_api_is_not_allowed_even_without_a_csrf_token(db, method):
    """Found by schemathesis: the CSRF check answered 403 before the view could say 405."""
    client = Client(enforce_csrf_checks=True)
    response = getattr(client, method)("/api/programmes/")
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"
