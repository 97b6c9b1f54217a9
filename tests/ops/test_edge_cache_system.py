"""The edge cache of the production stack (deploy/stack.py: nginx in front of two gunicorn
instances, PostgreSQL behind a TCP proxy the test can cut, Redis): anonymous public pages are
kept and served from nginx, signed-in requests never are, a saved change shows within 10 s, and
with the database away the public pages are still served (stale) while dashboards answer 503."""

import os
import re
import shutil
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit
from uuid import uuid4

import pytest

from bench.visitor import Visitor
from deploy.stack import Stack
from tests.support.databases import drop_database, recreate_database, server_database_url
from tests.support.servers import TcpProxy

pytestmark = pytest.mark.system

NGINX_PORT, PORT_A, PORT_B, DATABASE_PROXY_PORT = 8740, 8741, 8742, 8743
STACK_DATABASE = "aif_edge_cache"
CACHE_URL = "redis://127.0.0.1:6379/12"
# The app's Redis keys (settings: KEY_PREFIX "aifabriek", version 1): the generation every entry
# of the app's own cache holds (funding/cache.py).
GENERATION_KEY = "aifabriek:1:funding:public:generation"
PROGRAMME = "/programmes/ai-fabriek-groningen/"
PUBLIC_PAGES = [
    "/",
    PROGRAMME,
    f"{PROGRAMME}feed/",
    f"{PROGRAMME}badge.svg",
    "/api/programmes/ai-fabriek-groningen/",
]
PASSWORD = "an-edge-test-password-of-some-length"
STAFF, ADMIN = "analyst-edge", "controller-edge"
# nginx keeps a copy PUBLIC_MAX_AGE seconds (5); then it is expired.
EXPIRED_AFTER = 6


def through_proxy(url: str, port: int) -> str:
    parts = urlsplit(url)
    host = parts.netloc.rsplit("@", 1)
    address = f"127.0.0.1:{port}"
    return urlunsplit(parts._replace(netloc=f"{host[0]}@{address}" if len(host) == 2 else address))


@pytest.fixture(scope="module")
def edge():
    if "postgres" not in os.environ.get("DATABASE_URL", ""):
        pytest.fail("The edge cache test runs on PostgreSQL: set DATABASE_URL.")
    import redis

    direct = server_database_url(STACK_DATABASE)
    recreate_database(direct)
    cache = redis.Redis.from_url(CACHE_URL)
    cache.flushdb()
    postgres = urlsplit(direct)
    proxy = TcpProxy(DATABASE_PROXY_PORT, (postgres.hostname, postgres.port or 5432))
    proxy.start()
    state_dir = Path(tempfile.mkdtemp(prefix="aif-edge-"))
    stack = Stack(
        state_dir=state_dir,
        port=NGINX_PORT,
        app_ports=[PORT_A, PORT_B],
        database_url=through_proxy(direct, DATABASE_PROXY_PORT),
        cache_url=CACHE_URL,
        extra_env={"ADMIN_REQUIRE_2FA": "false"},
    )
    try:
        stack.prepare()
        stack.manage(
            "shell",
            "-c",
            "from django.contrib.auth.models import Group, User; "
            f"u = User.objects.create_user('{STAFF}', password='{PASSWORD}'); "
            "u.groups.add(Group.objects.get(name='Policy staff')); "
            f"a = User.objects.create_user('{ADMIN}', password='{PASSWORD}', is_staff=True); "
            "a.groups.add(Group.objects.get(name='Funding admins'))",
        )
        with stack:
            yield stack, proxy, cache
    finally:
        proxy.stop()
        drop_database(direct)
        cache.flushdb()
        shutil.rmtree(state_dir, ignore_errors=True)


def anonymous(path: str):
    return Visitor(NGINX_PORT).get(path)


def signed_in(username: str) -> Visitor:
    visitor = Visitor(NGINX_PORT)
    visitor.sign_in(username, PASSWORD)
    return visitor


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_an_anonymous_public_page_is_a_miss_then_a_hit(edge, path):
    address = f"{path}?first-visit={uuid4().hex}"  # an address nobody asked for yet
    first, second = anonymous(address), anonymous(address)
    assert (first.status, first.header("X-Cache-Status")) == (200, "MISS")
    assert (second.status, second.header("X-Cache-Status")) == (200, "HIT")
    assert second.text == first.text
    assert second.header("Cache-Control").startswith("public, max-age=5,")


def test_a_signed_in_request_is_never_served_from_the_cache_nor_stored(edge):
    address = f"{PROGRAMME}?signed-in-first={uuid4().hex}"
    staff = signed_in(STAFF)
    for _ in range(3):
        page = staff.get(address)
        assert (page.status, page.header("X-Cache-Status")) == (200, "BYPASS")
        assert STAFF in page.text
        assert page.header("Cache-Control") == "private, no-store"
    # Asked for anonymously afterwards, the address was never stored: a miss, the public page.
    after = anonymous(address)
    assert (after.status, after.header("X-Cache-Status")) == (200, "MISS")
    assert STAFF not in after.text
    # And a kept public page is not what a signed-in person gets.
    assert anonymous(address).header("X-Cache-Status") == "HIT"
    again = staff.get(address)
    assert again.header("X-Cache-Status") == "BYPASS" and STAFF in again.text


def test_a_change_saved_in_the_admin_shows_through_nginx_within_10_s(edge):
    assert anonymous(PROGRAMME).status == 200
    assert anonymous(PROGRAMME).header("X-Cache-Status") in {"HIT", "UPDATING", "STALE"}
    editor = signed_in(ADMIN)
    listing = editor.get("/admin/funding/source/?q=Defensie").text
    change = re.search(r'href="(/admin/funding/source/\d+/change/)', listing).group(1)
    title = f"Changed at the edge {uuid4().hex[:8]}"
    saved_at = time.monotonic()
    assert editor.submit(change, {"title": title}).status == 302, "the admin refused the change"
    while title not in anonymous(PROGRAMME).text:
        assert time.monotonic() - saved_at <= 10, "the change did not show within 10 s"
        time.sleep(0.1)
    shown = time.monotonic() - saved_at
    print(f"\nthe change showed through nginx {shown:.1f} s after it was saved")


def test_with_the_database_away_public_pages_are_served_stale_and_dashboards_answer_503(edge):
    _, proxy, cache = edge
    staff = signed_in(STAFF)
    assert staff.get("/dashboard/").status == 200
    kept = {path: anonymous(path) for path in PUBLIC_PAGES}
    assert all(page.status == 200 for page in kept.values())
    proxy.cut()
    try:
        # The app's own cache is retired too (a new generation is made when it is missing), so
        # only nginx's copies can answer.
        cache.delete(GENERATION_KEY)
        time.sleep(EXPIRED_AFTER)
        for _round in range(3):
            for path, before in kept.items():
                page = anonymous(path)
                assert page.status == 200, path
                assert page.header("X-Cache-Status") in {"STALE", "UPDATING"}, path
                assert page.text == before.text, path
        dashboard = staff.get("/dashboard/")
        assert dashboard.status == 503
        assert dashboard.header("Retry-After") == "30"
        assert dashboard.header("X-Cache-Status") == "BYPASS"
    finally:
        proxy.restore()
    # Recovery by itself: the dashboards answer, and nginx takes fresh copies again.
    deadline = time.monotonic() + 30
    while staff.get("/dashboard/").status != 200:
        assert time.monotonic() < deadline, "the dashboards did not come back"
        time.sleep(0.2)
    while anonymous(PROGRAMME).header("X-Cache-Status") not in {"HIT", "MISS", "EXPIRED"}:
        assert time.monotonic() < deadline, "nginx kept serving stale copies"
        time.sleep(0.2)
