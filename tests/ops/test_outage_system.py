"""A real PostgreSQL outage under gunicorn: 503s while the connection is cut, 200s once it is back,
without restarting the app; one log line when it starts and one when it ends; metrics from every
worker. The same outage behind nginx, whose edge cache keeps serving the public pages (stale)
while the dashboards answer 503: tests/ops/test_edge_cache_system.py."""

import json
import re
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection
from prometheus_client.parser import text_string_to_metric_families

from funding.dataset import load_data_file
from tests.support.dataset import AIFABRIEK
from tests.support.servers import TcpProxy, get, gunicorn
from tests.support.users import restore_groups

pytestmark = pytest.mark.system

PROXY_PORT = 8610
APP_PORT = 8611
WORKERS_PORT = 8612


def database_url(port: int) -> str:
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    return f"postgres://{db['USER']}{password}@127.0.0.1:{port}/{db['NAME']}"


@pytest.fixture
def shipped_data(transactional_db):
    if connection.vendor != "postgresql":
        pytest.fail("system tests run on PostgreSQL: set DATABASE_URL")
    restore_groups()
    load_data_file()


def json_lines(log_path):
    lines = []
    for text in log_path.read_text().splitlines():
        if text.startswith("{"):
            lines.append(json.loads(text))
    return lines


def wait_for(url: str, status: int, timeout: float = 30) -> float:
    """Seconds until `url` answers `status`, asking every 50 ms."""
    started = time.monotonic()
    while get(url, timeout=5)[0] != status:
        if time.monotonic() - started > timeout:
            raise AssertionError(f"{url} did not answer {status} within {timeout} s")
        time.sleep(0.05)
    return time.monotonic() - started


def test_a_database_outage_answers_503_and_the_app_recovers_by_itself(shipped_data, tmp_path):
    db = connection.settings_dict
    proxy = TcpProxy(PROXY_PORT, (db["HOST"] or "127.0.0.1", int(db["PORT"] or 5432)))
    proxy.start()
    log = tmp_path / "gunicorn.log"
    env = {"DATABASE_URL": database_url(PROXY_PORT), "CONN_MAX_AGE": "60"}
    try:
        with gunicorn(APP_PORT, env, log) as app:
            assert get(f"{app}/healthz")[0] == 200
            warm = get(f"{app}/api/programmes/{AIFABRIEK}/")
            assert warm[0] == 200

            proxy.cut()
            cut_at = time.monotonic()
            home = get(f"{app}/en/", headers={"Accept-Language": "nl"})
            programme = get(f"{app}/programmes/{AIFABRIEK}/")  # never cached
            programmes = get(f"{app}/api/programmes/")
            health = get(f"{app}/healthz")
            for status, headers, _ in (home, programme, programmes, health):
                assert status == 503
                assert headers["Retry-After"] == "30"
            assert "This page is temporarily unavailable" in home[2].decode()
            assert '<html lang="nl"' in programme[2].decode()
            assert json.loads(programmes[2])["error"] == "unavailable"
            assert json.loads(health[2]) == {"status": "unavailable", "database": "unreachable"}
            # What was cached before the cut is still served.
            assert get(f"{app}/api/programmes/{AIFABRIEK}/")[2] == warm[2]

            proxy.restore()
            recovery = wait_for(f"{app}/", 200)
            for path in ["/healthz", f"/programmes/{AIFABRIEK}/", "/api/programmes/"]:
                assert get(f"{app}{path}")[0] == 200, path
            outage_seconds = time.monotonic() - cut_at
            metrics = get(f"{app}/metrics")[2].decode()
    finally:
        proxy.stop()

    print(f"\nrecovered {recovery:.2f} s after the database came back")
    lines = json_lines(log)
    events = [line for line in lines if line.get("logger") == "funding.outage"]
    assert [e["event"] for e in events] == ["database_outage_started", "database_outage_ended"]
    assert 0 < events[1]["duration_s"] <= outage_seconds
    assert events[1]["refused_requests"] == 4
    access = [line for line in lines if line.get("logger") == "funding.access"]
    refused = [line for line in access if line["status"] == 503]
    assert [line["path"] for line in refused] == [
        "/en/",
        f"/programmes/{AIFABRIEK}/",
        "/api/programmes/",
        "/healthz",
    ]
    assert all(re.fullmatch(r"[0-9a-f]{32}", line["request_id"]) for line in access)
    assert counted(metrics, "aifabriek_database_unavailable_total") == 4
    assert counted(metrics, "aifabriek_database_outages_total") == 1


def counted(metrics_text: str, name: str, **labels) -> float:
    for family in text_string_to_metric_families(metrics_text):
        for found in family.samples:
            if found.name == name and labels.items() <= found.labels.items():
                return found.value
    return 0.0


def test_metrics_add_up_the_requests_of_every_worker(shipped_data, tmp_path):
    multiproc = tmp_path / "prometheus"
    multiproc.mkdir()
    log = tmp_path / "gunicorn.log"
    env = {"DATABASE_URL": database_url(int(connection.settings_dict["PORT"] or 5432))}
    env["PROMETHEUS_MULTIPROC_DIR"] = str(multiproc)
    requests = 60
    with gunicorn(WORKERS_PORT, env, log, workers=2) as app:
        # Four at a time, so that both workers are kept busy.
        with ThreadPoolExecutor(4) as pool:
            statuses = list(
                pool.map(lambda _: get(f"{app}/toegankelijkheid/", timeout=30)[0], range(requests))
            )
        assert statuses == [200] * requests
        scraped = [get(f"{app}/metrics")[2].decode() for _ in range(6)]
    served_by = {
        line["pid"] for line in json_lines(log) if line.get("view") == "funding:accessibility"
    }
    assert len(served_by) == 2
    for body in scraped:  # whichever worker answered, it counts them all
        assert (
            counted(body, "aifabriek_requests_total", view="funding:accessibility", status="200")
            == requests
        )
        assert (
            counted(body, "aifabriek_request_duration_seconds_count", view="funding:accessibility")
            == requests
        )
