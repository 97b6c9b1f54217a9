"""A database outage: calm 503s with Retry-After, cached pages still served, logged once.

The database is cut here by making the connection's cursor raise OperationalError, as psycopg
does when the server is gone; tests/ops/test_outage_system.py cuts a real PostgreSQL connection.
"""

import logging
import sys
import threading
from decimal import Decimal

import pytest
from django.db import OperationalError, connection
from django.test import Client, RequestFactory
from django.urls import reverse

from aifabriek.ops import outage
from funding.models import Contribution
from tests.support.admin_forms import form_data, sign_in_in_english
from tests.support.dataset import AIFABRIEK
from tests.support.pages import address_in
from tests.support.urlconf import all_routes, sample_path

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_tracker(monkeypatch):
    """Each test starts outside an outage: the tracker is module state, shared by requests."""
    monkeypatch.setattr(outage, "tracker", outage.OutageTracker())


def unreachable(*args, **kwargs):
    raise OperationalError("connection to server at 127.0.0.1 failed: Connection refused")


@pytest.fixture
def database_down():
    """Every new query fails as with a server that is gone; `database_down.undo()` ends it."""
    with pytest.MonkeyPatch.context() as cut:
        cut.setattr(connection, "cursor", unreachable)
        yield cut


def outage_records(caplog):
    return [r for r in caplog.records if r.name == "funding.outage"]


@pytest.mark.parametrize(
    "language, heading, audience",
    [
        ("nl", "Deze pagina is tijdelijk niet beschikbaar", "Getoond aan iedereen zolang"),
        ("en", "This page is temporarily unavailable", "Shown to anyone while the site"),
    ],
)
@pytest.mark.parametrize("path", ["/", f"/programmes/{AIFABRIEK}/"])
def test_pages_answer_a_calm_503_in_the_visitors_language(
    client, aifabriek, database_down, path, language, heading, audience
):
    response = client.get(address_in(path, language))
    html = response.content.decode()
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert response["Cache-Control"] == "private, no-store"
    assert f'<html lang="{language}"' in html
    assert f'<h1 class="utrecht-heading-1">{heading}</h1>' in html
    assert audience in html
    assert f'href="{address_in("/toegankelijkheid/", language)}"' in html  # the site's footer


def test_signed_in_staff_get_the_503_too(policy_staff, aifabriek, monkeypatch):
    """Their session is read by a middleware (the session limit), so handler500 gives the 503.

    The test client would re-raise the error that handler500 answered; a browser gets the 503.
    """
    staff_client = Client(raise_request_exception=False)
    staff_client.force_login(policy_staff)

    def unreachable(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(connection, "cursor", unreachable)
    # The error is met in a middleware (the session limits read the user), where Django hands it
    # to handler500; answer as a browser sees it instead of re-raising it in the test.
    staff_client.raise_request_exception = False
    response = staff_client.get(address_in("/dashboard/", "en"))
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "This page is temporarily unavailable" in response.content.decode()


@pytest.mark.parametrize("path", ["/api/programmes/", f"/api/programmes/{AIFABRIEK}/"])
def test_open_data_answers_503_in_json(client, aifabriek, database_down, path):
    response = client.get(path)
    assert response.status_code == 503
    assert response["Content-Type"] == "application/json"
    assert response["Retry-After"] == "30"
    assert response.json()["error"] == "unavailable"


def test_every_open_data_address_answers_json_during_an_outage(client, aifabriek):
    addresses = [sample_path(r) for r in all_routes() if r.pattern.startswith("api/")]
    with pytest.MonkeyPatch.context() as cut:
        cut.setattr(connection, "cursor", unreachable)
        answers = {address: client.get(address) for address in addresses}
    # The descriptions of the API and of the CSV's columns are built from code alone.
    from_code = {"/api/openapi.json", "/api/schemas/contributions.json"}
    assert {address: r.status_code for address, r in answers.items()} == {
        address: 200 if address in from_code else 503 for address in addresses
    }
    for address, response in answers.items():
        assert response["Content-Type"] == "application/json", address


def test_the_csv_needs_the_database_even_when_its_etag_is_cached(client, aifabriek):
    """Its rows are streamed from the database, never cached: a warm ETag still gets its 304."""
    address = f"/api/programmes/{AIFABRIEK}/contributions.csv"
    warm = client.get(address)
    assert b"".join(warm.streaming_content).startswith(b"funder,co_funders,")
    with pytest.MonkeyPatch.context() as cut:
        cut.setattr(connection, "cursor", unreachable)
        response = client.get(address)
        not_modified = client.get(address, headers={"if-none-match": warm["ETag"]})
    assert (response.status_code, response["Retry-After"]) == (503, "30")
    assert response.json()["error"] == "unavailable"
    assert not_modified.status_code == 304


def test_healthz_answers_503_with_retry_after(client, database_down):
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert response.json() == {"status": "unavailable", "database": "unreachable"}


def test_cached_pages_keep_serving_during_an_outage(client, aifabriek, monkeypatch):
    page = f"/programmes/{AIFABRIEK}/"
    document = f"/api/programmes/{AIFABRIEK}/"
    assert client.get(page).status_code == 200
    warm_document = client.get(document)

    def unreachable(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(connection, "cursor", unreachable)
    response = client.get(page)
    assert response.status_code == 200
    assert "AI-fabriek Groningen" in response.content.decode()
    assert client.get(document).content == warm_document.content
    assert client.get("/").status_code == 503  # never cached, so it needs the database


def test_an_outage_is_logged_once_when_it_starts_and_once_with_its_duration_when_it_ends(
    client, aifabriek, database_down, caplog
):
    caplog.set_level(logging.INFO)
    for path in ["/", "/api/programmes/", "/healthz", "/", f"/programmes/{AIFABRIEK}/"]:
        assert client.get(path).status_code == 503
    started = outage_records(caplog)
    assert [r.event for r in started] == ["database_outage_started"]
    assert started[0].levelname == "ERROR"
    assert "OperationalError: connection to server at 127.0.0.1 failed" in started[0].getMessage()
    # Django's own "Service Unavailable" line per request is not written either.
    assert not [r for r in caplog.records if r.name == "django.request"]

    database_down.undo()
    assert client.get("/").status_code == 200
    assert client.get("/").status_code == 200
    ended = outage_records(caplog)[1:]
    assert [r.event for r in ended] == ["database_outage_ended"]
    assert ended[0].refused_requests == 5
    assert 0 <= ended[0].duration_s < 60
    assert "Database reachable again after" in ended[0].getMessage()


def test_a_second_outage_is_logged_again(client, aifabriek, monkeypatch, caplog):
    caplog.set_level(logging.INFO)

    def unreachable(*args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    for _ in range(2):
        with monkeypatch.context() as down:
            down.setattr(connection, "cursor", unreachable)
            assert client.get("/healthz").status_code == 503
            assert client.get("/healthz").status_code == 503
        assert client.get("/healthz").status_code == 200
    events = [r.event for r in outage_records(caplog)]
    assert events == ["database_outage_started", "database_outage_ended"] * 2


def test_threads_failing_together_start_one_outage(caplog):
    caplog.set_level(logging.INFO)
    tracker = outage.OutageTracker()
    barrier = threading.Barrier(16)

    def fail():
        barrier.wait()
        tracker.failed(OperationalError("connection refused"))

    threads = [threading.Thread(target=fail) for _ in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    tracker.recovered()
    tracker.recovered()
    records = outage_records(caplog)
    assert [r.event for r in records] == ["database_outage_started", "database_outage_ended"]
    assert records[1].refused_requests == 16


def test_a_failure_outside_a_view_gets_the_503_too():
    """The handler500 path: e.g. a session middleware that cannot load the session."""
    request = RequestFactory().get("/api/programmes/")
    try:
        raise OperationalError("connection refused")
    except OperationalError:
        assert sys.exc_info()[0] is OperationalError
        response = outage.server_error(request)
    assert response.status_code == 503
    assert response["Retry-After"] == "30"


def test_other_server_errors_keep_the_500_page():
    request = RequestFactory().get("/")
    try:
        raise ValueError("a bug")
    except ValueError:
        response = outage.server_error(request)
    assert response.status_code == 500


def test_an_admin_save_that_fails_halfway_writes_nothing(client, aifabriek, funding_admin):
    """The contribution's row is written, then its history row fails: both are rolled back."""
    rijk = Contribution.objects.get(key="rijk")
    history_before = rijk.history.count()
    url = reverse("admin:funding_contribution_change", args=[rijk.pk])
    sign_in_in_english(client, funding_admin)
    data = form_data(client.get(url), "contribution_form")

    history_model = Contribution.history.model
    original_save = history_model.save

    def connection_lost(self, *args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    history_model.save = connection_lost
    try:
        response = client.post(url, data | {"amount": "1.00"})
    finally:
        history_model.save = original_save

    assert response.status_code == 503
    rijk.refresh_from_db()
    assert (rijk.amount, rijk.version) == (Decimal("70000000.00"), 1)
    assert rijk.history.count() == history_before
