"""Every answer under /api/ that is an error is JSON, whichever layer gave it, and none is a 500
for what a client sends: other methods, malformed queries, a foreign Host."""

import json

import pytest
from django.http import HttpResponse, HttpResponseNotAllowed
from django.test import Client, RequestFactory

from aifabriek.ops.api_errors import ApiErrorsMiddleware
from tests.support.dataset import AIFABRIEK
from tests.support.urlconf import all_routes, sample_path

pytestmark = pytest.mark.django_db

API_ROUTES = [route for route in all_routes() if route.pattern.startswith("api/")]
MALFORMED_QUERIES = [
    "page=abc",
    "page=-1",
    "page=0",
    "page=1.5",
    "page=99999999999999999999",
    "page=%00",
    "page=",
    "page=1&page=x",
    "%00=%00",
    "page=%C3%A9%C3%A9",
]
ERROR_CODES = {
    400: "bad_request",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    429: "too_many_requests",
    500: "server_error",
    503: "unavailable",
}


@pytest.fixture
def api_addresses(aifabriek):
    return [sample_path(route) for route in API_ROUTES]


def is_json(response) -> bool:
    media_type = response["Content-Type"].split(";")[0]
    return media_type == "application/json" or media_type.endswith("+json")


@pytest.mark.parametrize("method", ["post", "put", "delete", "patch"])
def test_every_api_address_refuses_writing_in_json(api_addresses, method):
    client = Client(enforce_csrf_checks=True)
    for address in api_addresses:
        response = getattr(client, method)(address, "{}", content_type="application/json")
        assert (response.status_code, response["Allow"]) == (405, "GET, HEAD"), address
        assert response["Content-Type"] == "application/json", address
        assert response.json() == {
            "error": "method_not_allowed",
            "detail": "Only these methods are allowed here: GET, HEAD.",
        }


def test_every_api_address_answers_malformed_queries_without_a_server_error(api_addresses):
    client = Client(raise_request_exception=False)
    for address in api_addresses:
        for query in MALFORMED_QUERIES:
            response = client.get(f"{address}?{query}")
            assert response.status_code < 500, f"{address}?{query}"
            if response.status_code >= 400:
                assert is_json(response), f"{address}?{query}"
                assert response.json()["error"] in ERROR_CODES.values()


def test_every_api_address_answers_a_foreign_host_with_a_json_400(api_addresses):
    client = Client(raise_request_exception=False)
    for address in api_addresses:
        response = client.get(address, headers={"host": "evil.example"})
        assert response.status_code == 400, address
        assert response.json() == {
            "error": "bad_request",
            "detail": "The request could not be understood.",
        }


def test_a_failing_api_view_answers_a_json_500(aifabriek, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr("funding.opendata.views.programme_data", broken)
    response = Client(raise_request_exception=False).get(f"/api/programmes/{AIFABRIEK}/")
    assert response.status_code == 500
    assert response.json() == {
        "error": "server_error",
        "detail": "Something went wrong on our side. Please try again in a moment.",
    }


def test_a_failing_page_keeps_the_500_page(aifabriek, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr("funding.public.views.public_programme_page", broken)
    response = Client(raise_request_exception=False).get(f"/programmes/{AIFABRIEK}/")
    assert response.status_code == 500
    assert "Er ging bij ons iets mis" in response.content.decode()


@pytest.mark.parametrize("status", sorted(ERROR_CODES))
def test_any_error_answer_under_api_becomes_json_with_its_status_and_headers(status):
    def page(request):
        response = HttpResponse("<h1>An error page</h1>", status=status)
        response["Retry-After"] = "30"
        return response

    response = ApiErrorsMiddleware(page)(RequestFactory().get("/api/programmes/"))
    assert (response.status_code, response["Content-Type"]) == (status, "application/json")
    assert response["Retry-After"] == "30"
    assert json.loads(response.content)["error"] == ERROR_CODES[status]


def test_a_method_refused_before_the_view_names_the_allowed_ones():
    def refused(request):
        response = HttpResponseNotAllowed(["GET", "HEAD"])
        response["Content-Length"] = "0"  # as CommonMiddleware, inside, sets it
        return response

    response = ApiErrorsMiddleware(refused)(RequestFactory().post("/api/openapi.json"))
    assert json.loads(response.content)["detail"] == (
        "Only these methods are allowed here: GET, HEAD."
    )
    assert response["Content-Length"] == str(len(response.content))


def test_error_answers_outside_api_are_left_alone():
    page = ApiErrorsMiddleware(lambda request: HttpResponse("<h1>No</h1>", status=403))
    response = page(RequestFactory().get("/dashboard/"))
    assert response.content == b"<h1>No</h1>"
    assert response["Content-Type"].startswith("text/html")


@pytest.mark.parametrize("method", ["get", "head", "options", "post", "delete"])
def test_the_api_address_without_its_slash_answers_json(client, method):
    response = getattr(client, method)("/api")
    assert response.status_code in (404, 405)
    assert is_json(response)
