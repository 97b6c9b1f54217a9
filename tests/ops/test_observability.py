"""Request ids, the JSON access log and /metrics (who may read it, and what it counts)."""

import json
import logging
import re

import pytest
from django.db import OperationalError, connection
from prometheus_client import REGISTRY

from aifabriek.ops import outage
from aifabriek.ops.jsonlog import JsonFormatter, RequestIdFilter
from tests.support.commands import manage_as_production
from tests.support.dataset import AIFABRIEK

pytestmark = pytest.mark.django_db


def sample(name, **labels):
    return REGISTRY.get_sample_value(name, labels) or 0.0


def access_records(caplog):
    return [r for r in caplog.records if r.name == "funding.access"]


def test_every_answer_carries_a_request_id(client):
    first = client.get("/toegankelijkheid/")["X-Request-ID"]
    second = client.get("/nope")["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", first)
    assert re.fullmatch(r"[0-9a-f]{32}", second)
    assert first != second


def test_a_sane_request_id_from_the_proxy_is_kept(client):
    response = client.get(
        "/toegankelijkheid/", headers={"x-request-id": "0f1e2d3c4b5a69788796a5b4"}
    )
    assert response["X-Request-ID"] == "0f1e2d3c4b5a69788796a5b4"


@pytest.mark.parametrize("incoming", ["short", "has spaces in it", "x" * 200, "line\\nbreak"])
def test_a_request_id_that_could_forge_log_lines_is_replaced(client, incoming):
    response = client.get("/toegankelijkheid/", headers={"x-request-id": incoming})
    assert response["X-Request-ID"] != incoming
    assert re.fullmatch(r"[0-9a-f]{32}", response["X-Request-ID"])


def test_one_access_line_per_request_with_the_path_but_not_the_query_values(
    client, aifabriek, caplog
):
    caplog.set_level(logging.INFO, logger="funding.access")
    response = client.get("/?page=2&q=private-search-term")
    (record,) = access_records(caplog)
    line = json.loads(JsonFormatter().format(record))
    assert line["request_id"] == response["X-Request-ID"]
    assert (line["method"], line["path"], line["status"]) == ("GET", "/", 200)
    assert line["query_keys"] == ["page", "q"]
    assert line["user_id"] is None
    assert line["view"] == "funding:home"
    assert 0 < line["duration_ms"] < 60_000
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00", line["time"])
    assert "private-search-term" not in json.dumps(line)


def test_the_access_line_names_the_signed_in_user(staff_client, policy_staff, aifabriek, caplog):
    caplog.set_level(logging.INFO, logger="funding.access")
    staff_client.get("/dashboard/")
    (record,) = access_records(caplog)
    assert (record.status, record.user_id) == (200, policy_staff.pk)


def test_other_log_lines_during_a_request_carry_its_id(client, aifabriek, caplog, monkeypatch):
    monkeypatch.setattr(outage, "tracker", outage.OutageTracker())

    def unreachable(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(connection, "cursor", unreachable)
    caplog.set_level(logging.INFO)
    response = client.get("/")
    (record,) = [r for r in caplog.records if r.name == "funding.outage"]
    RequestIdFilter().filter(record)
    line = json.loads(JsonFormatter().format(record))
    assert line["request_id"] == response["X-Request-ID"]
    assert line["event"] == "database_outage_started"
    assert line["level"] == "ERROR"


def test_metrics_answer_loopback_in_prometheus_format(client):
    response = client.get("/metrics")  # the test client comes from 127.0.0.1
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain; version=")
    body = response.content.decode()
    assert "# TYPE aifabriek_requests_total counter" in body
    assert "# TYPE aifabriek_request_duration_seconds histogram" in body
    assert "# TYPE aifabriek_database_unavailable_total counter" in body


def test_metrics_are_hidden_from_other_addresses(client):
    assert client.get("/metrics", REMOTE_ADDR="203.0.113.9").status_code == 404


def test_metrics_through_the_proxy_count_the_clients_address(client, settings):
    settings.METRICS_ALLOWED_IPS = ["127.0.0.1", "10.0.0.0/8"]
    # nginx on loopback appends the client's address last.
    outside = {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "203.0.113.9"}
    inside = {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "203.0.113.9, 10.1.2.3"}
    assert client.get("/metrics", **outside).status_code == 404
    assert client.get("/metrics", **inside).status_code == 200
    # A client that is not our proxy cannot claim an address.
    forged = {"REMOTE_ADDR": "203.0.113.9", "HTTP_X_FORWARDED_FOR": "127.0.0.1"}
    assert client.get("/metrics", **forged).status_code == 404


def test_metrics_answer_a_bearer_token_from_anywhere(client, settings):
    settings.METRICS_TOKEN = "a-long-scrape-token-0123456789"
    remote = {"REMOTE_ADDR": "203.0.113.9"}
    good = client.get(
        "/metrics", headers={"authorization": "Bearer a-long-scrape-token-0123456789"}, **remote
    )
    bad = client.get("/metrics", headers={"authorization": "Bearer guessed"}, **remote)
    assert good.status_code == 200
    assert bad.status_code == 403
    assert client.get("/metrics", **remote).status_code == 404


def test_metrics_count_requests_by_view_and_status_with_their_latency(client, aifabriek):
    ok = {"view": "funding:programme", "method": "GET", "status": "200"}
    missing = {"view": "funding:programme", "method": "GET", "status": "404"}
    before = (
        sample("aifabriek_requests_total", **ok),
        sample("aifabriek_requests_total", **missing),
        sample("aifabriek_request_duration_seconds_count", view="funding:programme"),
    )
    client.get(f"/programmes/{AIFABRIEK}/")
    client.get(f"/programmes/{AIFABRIEK}/")
    client.get("/programmes/no-such-programme/")
    after = (
        sample("aifabriek_requests_total", **ok),
        sample("aifabriek_requests_total", **missing),
        sample("aifabriek_request_duration_seconds_count", view="funding:programme"),
    )
    assert [a - b for a, b in zip(after, before, strict=True)] == [2, 1, 3]


def test_made_up_methods_share_one_label(client):
    labels = {"view": "healthz", "method": "other", "status": "405"}
    before = sample("aifabriek_requests_total", **labels)
    client.generic("BREW", "/healthz")
    client.generic("PROPFIND", "/healthz")
    assert sample("aifabriek_requests_total", **labels) - before == 2


def test_metrics_count_public_cache_hits_and_misses(client, aifabriek):
    hits, misses = (sample("aifabriek_public_cache_total", result=r) for r in ("hit", "miss"))
    client.get(f"/api/programmes/{AIFABRIEK}/")  # misses: the document, its last change
    client.get(f"/api/programmes/{AIFABRIEK}/")  # one hit
    assert sample("aifabriek_public_cache_total", result="miss") - misses == 2
    assert sample("aifabriek_public_cache_total", result="hit") - hits == 1


def test_metrics_count_requests_refused_and_outages(client, monkeypatch):
    monkeypatch.setattr(outage, "tracker", outage.OutageTracker())
    refused = sample("aifabriek_database_unavailable_total")
    outages = sample("aifabriek_database_outages_total")

    def unreachable(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(connection, "cursor", unreachable)
    for _ in range(3):
        assert client.get("/healthz").status_code == 503
    assert sample("aifabriek_database_unavailable_total") - refused == 3
    assert sample("aifabriek_database_outages_total") - outages == 1


def test_a_mistyped_metrics_address_stops_the_start():
    result = manage_as_production("check", METRICS_ALLOWED_IPS="10.0.0.0/8,nonsense")
    assert result.returncode != 0
    assert "METRICS_ALLOWED_IPS: 'nonsense' does not appear to be an IPv4 or IPv6" in result.stderr
