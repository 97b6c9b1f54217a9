"""The production stack (deploy/stack.py): nginx in front of two gunicorn instances, DEBUG off,
PostgreSQL and Redis. Changes and sessions cross instances; losing one instance loses no request.
"""

import os
import re
import shutil
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from http.client import HTTPConnection, HTTPException, IncompleteRead, RemoteDisconnected
from pathlib import Path
from urllib.parse import urlencode

import pytest

from deploy.stack import Stack
from tests.support.databases import drop_database, recreate_database, server_database_url

pytestmark = pytest.mark.system

NGINX_PORT, PORT_A, PORT_B = 8700, 8701, 8702
STACK_DATABASE = "aif_h7_stack"
CACHE_URL = "redis://127.0.0.1:6379/7"
PROGRAMME = "/programmes/ai-fabriek-groningen/"
LOAD_REQUESTS = 3000
LOAD_THREADS = 12
PASSWORD = "a-stack-test-password-of-some-length"


class Browser:
    """Just enough of a browser for the test: one port, cookies kept, CSRF token sent back."""

    def __init__(self, port: int, cookies: dict | None = None):
        self.port = port
        self.cookies = dict(cookies or {})

    def request(self, method: str, path: str, body: dict | None = None):
        connection = HTTPConnection("127.0.0.1", self.port, timeout=30)
        headers = {"Accept-Language": "en"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        data = None
        if body is not None:
            data = urlencode(body)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection.request(method, path, body=data, headers=headers)
        response = connection.getresponse()
        text = response.read().decode("utf-8", "replace")
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
        connection.close()
        return response.status, dict(response.getheaders()), text

    def get(self, path: str):
        return self.request("GET", path)

    def post_form(self, path: str, fields: dict):
        """Open the form's page for its CSRF token, then post the fields with it."""
        _status, _headers, page = self.get(path)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        return self.request("POST", path, {"csrfmiddlewaretoken": token, **fields})


@pytest.fixture(scope="module")
def stack():
    if "postgres" not in os.environ.get("DATABASE_URL", ""):
        pytest.fail("The stack test runs on PostgreSQL: set DATABASE_URL (make test-system does).")
    import redis

    database_url = server_database_url(STACK_DATABASE)
    recreate_database(database_url)
    redis.Redis.from_url(CACHE_URL).flushdb()
    state_dir = Path(tempfile.mkdtemp(prefix="aif-stack-"))
    stack = Stack(
        state_dir=state_dir,
        port=NGINX_PORT,
        app_ports=[PORT_A, PORT_B],
        database_url=database_url,
        cache_url=CACHE_URL,
        # The admin's second factor is tested on its own (tests/accounts/test_signin_two_factor.py);
        # here the funding admin signs in with a password to show that instances share state.
        extra_env={"ADMIN_REQUIRE_2FA": "false"},
    )
    started = time.monotonic()
    stack.prepare()
    create_funding_admin(stack)
    with stack:
        print(f"\nstack ready in {time.monotonic() - started:.1f} s")
        yield stack
    drop_database(database_url)
    redis.Redis.from_url(CACHE_URL).flushdb()
    shutil.rmtree(state_dir)


def create_funding_admin(stack: Stack) -> None:
    stack.manage(
        "shell",
        "-c",
        "from django.contrib.auth.models import Group, User; "
        f"u = User.objects.create_user('controller', password='{PASSWORD}', is_staff=True); "
        "u.groups.add(Group.objects.get(name='Funding admins'))",
    )


def sign_in(browser: Browser) -> None:
    status, headers, _ = browser.post_form(
        "/accounts/login/", {"username": "controller", "password": PASSWORD}
    )
    assert (status, headers.get("Location")) == (302, "/dashboard/")


def test_a_session_made_on_one_instance_works_on_the_other(stack):
    on_a = Browser(PORT_A)
    sign_in(on_a)
    on_b = Browser(PORT_B, cookies=on_a.cookies)
    status, _, page = on_b.get("/admin/")
    assert status == 200
    assert "controller" in page
    assert on_b.get("/dashboard/")[0] == 200
    # Without the cookie, instance B sends the visitor to sign in.
    assert Browser(PORT_B).get("/dashboard/")[0] == 302


def test_a_change_saved_on_one_instance_shows_on_the_other_at_once(stack):
    public_on_b = Browser(PORT_B)
    status, _, page = public_on_b.get(PROGRAMME)
    assert status == 200
    old_title = "Defensie investeert in AI-fabriek"
    assert old_title in page  # the programme page cites the press release; now cached
    editor = Browser(PORT_A)
    sign_in(editor)
    _, _, changelist = editor.get("/admin/funding/source/?q=Defensie")
    change_url = re.search(r"href=\"(/admin/funding/source/\d+/change/)", changelist).group(1)
    _, _, form = editor.get(change_url)
    fields = {
        name: value
        for name, value in re.findall(r'<input[^>]+name="(\w+)"[^>]*value="([^"]*)"', form)
        if name in {"key", "title", "publisher", "url", "language", "opened_version"}
    }
    fields["title"] = "Changed through instance A"
    status, headers, _ = editor.post_form(change_url, fields)
    assert status == 302, "the admin refused the change"
    status, _, page = public_on_b.get(PROGRAMME)
    assert status == 200
    assert "Changed through instance A" in page


def ask_for_host(port: int, path: str, host: str):
    connection = HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", path, headers={"Host": host, "Accept-Language": "en"})
        response = connection.getresponse()
        return response.status, response.getheader("Content-Type"), response.read().decode()
    finally:
        connection.close()


def test_a_foreign_host_is_dropped_by_nginx_and_refused_calmly_by_an_instance(stack):
    log = stack.state_dir / f"gunicorn-{PORT_A}.log"
    log_before = log.read_text()
    for path in ("/", "/healthz", "/api/programmes/"):
        with pytest.raises(RemoteDisconnected):  # nginx's 444: the app never hears of it
            ask_for_host(NGINX_PORT, path, "evil.example")
    # Straight to an instance, as from a machine that can reach its port: a 400, never a 500.
    status, content_type, page = ask_for_host(PORT_A, "/en/", "evil.example")
    assert (status, content_type) == (400, "text/html; charset=utf-8")
    assert '<h1 class="utrecht-heading-1">Bad request</h1>' in page
    assert ask_for_host(PORT_A, "/api/programmes/", "evil.example")[:2] == (
        400,
        "application/json",
    )
    assert "Internal Server Error" not in log.read_text()[len(log_before) :]


def test_no_request_fails_when_an_instance_is_killed_under_load(stack):
    _, _, home = Browser(NGINX_PORT).get("/")
    stylesheet = re.search(r'href="(/static/[^"]+\.css)"', home).group(1)
    paths = [
        "/",
        PROGRAMME,
        f"{PROGRAMME}feed/",
        "/api/programmes/",
        "/api/programmes/ai-fabriek-groningen/",
        "/toegankelijkheid/",
        "/healthz",
        stylesheet,
    ]
    done = 0
    lock = threading.Lock()
    failures = []
    # An instance killed after it sent a response's headers leaves that response cut off: nginx
    # has passed the headers on and cannot try another instance. Only the requests in flight at
    # the kill can be hit, and a client sees a broken download rather than an error page.
    cut_off = []
    killed_after = LOAD_REQUESTS // 3
    killing, killed = threading.Event(), threading.Event()
    local = threading.local()
    connections = []

    def get(index: int) -> None:
        nonlocal done
        if not hasattr(local, "connection"):
            # One kept-alive connection per thread, as a browser holds its own.
            local.connection = HTTPConnection("127.0.0.1", NGINX_PORT, timeout=30)
            connections.append(local.connection)
        path = paths[index % len(paths)]
        try:
            local.connection.request("GET", path, headers={"Accept-Encoding": "gzip"})
            response = local.connection.getresponse()
            response.read()
            if response.status != 200:
                failures.append((path, response.status))
        except IncompleteRead as error:
            local.connection.close()
            cut_off.append((path, repr(error), killing.is_set()))
        except (OSError, HTTPException) as error:  # refused or reset
            local.connection.close()
            failures.append((path, repr(error)))
        with lock:
            done += 1
            if done == killed_after:
                killing.set()
                stack.kill_instance(PORT_B)
                killed.set()

    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=LOAD_THREADS) as pool:
        list(pool.map(get, range(LOAD_REQUESTS)))
    seconds = time.monotonic() - started
    for connection in connections:
        connection.close()
    print(
        f"\nfailover: {LOAD_REQUESTS} GETs through nginx, {len(failures)} failed, "
        f"{len(cut_off)} cut off at the kill, "
        f"{seconds:.1f} s ({LOAD_REQUESTS / seconds:.0f}/s); instance {PORT_B} killed "
        f"(SIGKILL) after {killed_after}"
    )
    assert killed.is_set()
    assert stack.instances[PORT_B].poll() is not None
    assert failures == []
    assert len(cut_off) <= LOAD_THREADS
    assert all(after_the_kill for *_, after_the_kill in cut_off)
    # The one that is left still answers directly, and nginx still routes to it.
    assert Browser(PORT_A).get("/healthz")[0] == 200
