"""The files in deploy/: nginx accepts the site and the trial built from it, and they agree with
the settings (request sizes) and with each other (upstream, shared locations)."""

import re
import runpy
import shutil
import subprocess
import threading
import time
from http.client import HTTPConnection, RemoteDisconnected
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.conf import settings

from deploy.stack import (
    APP_CONF,
    GUNICORN_CONF,
    NGINX,
    SITE_CONF,
    default_server_block,
    nginx_conf,
    upstream_block,
)

SYSTEMD_UNIT = SITE_CONF.parent.parent / "systemd" / "aifabriek@.service"
# The trial nginx that refuses a foreign host, and the stand-in app behind it.
TRIAL_NGINX_PORT, TRIAL_APP_PORT = 8720, 8721


def nginx_test(conf, prefix):
    return subprocess.run(
        [NGINX, "-t", "-p", str(prefix), "-c", str(conf), "-e", "stderr"],
        capture_output=True,
        text=True,
        timeout=30,
    )


def test_nginx_accepts_the_trial_configuration(tmp_path):
    conf = tmp_path / "nginx.conf"
    conf.write_text(nginx_conf(state_dir=tmp_path, port=8790, app_ports=[8791, 8792]))
    for folder in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (tmp_path / "nginx-temp" / folder).mkdir(parents=True)
    result = nginx_test(conf, tmp_path)
    assert result.returncode == 0, result.stderr


def test_nginx_accepts_the_site_with_a_certificate_in_place(tmp_path):
    """The real site as Debian installs it: sites-available plus the snippet, TLS included."""
    openssl = shutil.which("openssl")
    if openssl is None:
        pytest.fail("openssl is needed to make a certificate for the check")
    certificate, key = tmp_path / "site.pem", tmp_path / "site.key"
    subprocess.run(
        [openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"]
        + ["-subj", "/CN=funding.example.org", "-keyout", str(key), "-out", str(certificate)],
        check=True,
        capture_output=True,
        timeout=60,
    )
    site = SITE_CONF.read_text()
    site = site.replace("/etc/ssl/certs/funding.example.org.pem", str(certificate))
    site = site.replace("/etc/ssl/private/funding.example.org.key", str(key))
    site = site.replace("/var/cache/nginx/aifabriek", str(tmp_path / "cache"))
    (tmp_path / "snippets").mkdir()
    shutil.copy(APP_CONF, tmp_path / "snippets" / "aifabriek-app.conf")
    (tmp_path / "aifabriek.conf").write_text(site)
    conf = tmp_path / "nginx.conf"
    conf.write_text(
        f"pid {tmp_path}/nginx.pid;\nerror_log stderr;\nevents {{}}\n"
        f"http {{\ninclude /etc/nginx/mime.types;\naccess_log off;\n"
        f"client_body_temp_path {tmp_path}/body;\nproxy_temp_path {tmp_path}/proxy;\n"
        f"include {tmp_path}/aifabriek.conf;\n}}\n"
    )
    result = nginx_test(conf, tmp_path)
    assert result.returncode == 0, result.stderr


def test_the_trial_upstream_is_the_sites_with_the_trial_ports():
    site_block = re.search(r"^upstream aifabriek \{.*?^\}", SITE_CONF.read_text(), re.S | re.M)
    trial_block = upstream_block(SITE_CONF.read_text(), [8791, 8792])
    assert "server 127.0.0.1:8791 max_fails=3 fail_timeout=5s;" in trial_block
    assert "server 127.0.0.1:8792 max_fails=3 fail_timeout=5s;" in trial_block
    assert "127.0.0.1:8001" not in trial_block
    without_servers = [
        line for line in site_block.group(0).splitlines() if not line.strip().startswith("server ")
    ]
    assert [line for line in trial_block.splitlines() if "server 127" not in line] == (
        without_servers
    )


def test_the_site_and_the_trial_share_the_app_locations(tmp_path):
    assert "include snippets/aifabriek-app.conf;" in SITE_CONF.read_text()
    assert f"include {APP_CONF};" in nginx_conf(state_dir=tmp_path, port=8790, app_ports=[8791])


def listen_addresses(server_block: str) -> set[str]:
    return set(re.findall(r"^\s*listen ([^\s;]+)", server_block, re.M))


def test_the_site_drops_requests_for_unknown_hosts_on_every_address_it_listens_on():
    servers = re.findall(r"^server \{\n(.*?)^\}", SITE_CONF.read_text(), re.S | re.M)
    default, *named = sorted(servers, key=lambda block: "default_server" not in block)
    assert "return 444;" in default
    assert "ssl_reject_handshake on;" in default
    assert "server_name _;" in default
    assert listen_addresses(default) == set().union(*map(listen_addresses, named))
    assert all("default_server" not in block for block in named)


def test_the_trial_drops_unknown_hosts_with_the_sites_block_on_its_own_port(tmp_path):
    block = default_server_block(SITE_CONF.read_text(), 8790)
    assert block == (
        "server {\n    listen 127.0.0.1:8790 default_server;\n    server_name _;\n"
        "    return 444;\n}\n"
    )
    assert block in nginx_conf(state_dir=tmp_path, port=8790, app_ports=[8791])


class StandInApp(BaseHTTPRequestHandler):
    """Answers every GET with the Host it was sent, and keeps a list of them."""

    hosts_seen: list[str] = []

    def do_GET(self):
        body = self.headers["Host"].encode()
        self.hosts_seen.append(self.headers["Host"])
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def ask_nginx(host: str):
    connection = HTTPConnection("127.0.0.1", TRIAL_NGINX_PORT, timeout=10)
    try:
        connection.request("GET", "/healthz", headers={"Host": host})
        response = connection.getresponse()
        return response.status, response.read().decode()
    finally:
        connection.close()


@pytest.mark.system
def test_the_trial_nginx_closes_a_request_for_another_host_without_passing_it_on(tmp_path):
    StandInApp.hosts_seen.clear()
    app = ThreadingHTTPServer(("127.0.0.1", TRIAL_APP_PORT), StandInApp)
    threading.Thread(target=app.serve_forever, daemon=True).start()
    conf = tmp_path / "nginx.conf"
    conf.write_text(
        nginx_conf(state_dir=tmp_path, port=TRIAL_NGINX_PORT, app_ports=[TRIAL_APP_PORT])
    )
    for folder in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (tmp_path / "nginx-temp" / folder).mkdir(parents=True)
    nginx = subprocess.Popen(
        [NGINX, "-p", str(tmp_path), "-c", str(conf), "-e", "stderr"],
        stderr=subprocess.DEVNULL,
    )
    ours = f"127.0.0.1:{TRIAL_NGINX_PORT}"
    try:
        deadline = time.monotonic() + 10
        while not (tmp_path / "nginx.pid").exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert ask_nginx(ours) == (200, ours)
        for host in ("evil.example", "127.0.0.1.evil.example", f"evil.example:{TRIAL_NGINX_PORT}"):
            with pytest.raises(RemoteDisconnected):  # 444: closed without a word
                ask_nginx(host)
        assert ask_nginx("")[0] == 400  # no host at all: nginx's own 400
    finally:
        nginx.terminate()
        nginx.wait(timeout=10)
        app.shutdown()
        app.server_close()
    assert StandInApp.hosts_seen == [ours]


def test_nginx_takes_the_largest_request_the_app_takes():
    snippet = APP_CONF.read_text()
    limit_mb = int(re.search(r"client_max_body_size (\d+)m;", snippet).group(1))
    largest = max(settings.DATA_UPLOAD_MAX_MEMORY_SIZE, settings.IMPORT_MAX_FILE_SIZE)
    # Room for the multipart framing, but not an open door.
    assert largest < limit_mb * 1024 * 1024 <= largest + 2 * 1024 * 1024


def test_only_idempotent_requests_are_retried_on_another_instance():
    snippet = APP_CONF.read_text()
    assert "proxy_next_upstream error timeout http_502;" in snippet
    # `non_idempotent` would let nginx send a POST twice.
    assert "non_idempotent" not in snippet
    assert "proxy_set_header X-Forwarded-Proto $scheme;" in snippet
    assert "proxy_set_header X-Forwarded-For $remote_addr;" in snippet


def test_gunicorn_reads_its_port_and_workers_from_the_environment(monkeypatch):
    monkeypatch.setenv("GUNICORN_BIND", "127.0.0.1:8799")
    monkeypatch.setenv("WEB_CONCURRENCY", "3")
    config = runpy.run_path(str(GUNICORN_CONF))
    assert (config["bind"], config["workers"], config["worker_class"]) == (
        "127.0.0.1:8799",
        3,
        "gthread",
    )
    # nginx closes idle upstream connections (60 s) before gunicorn does.
    assert config["keepalive"] > 60
    assert config["accesslog"] is None


def test_the_systemd_unit_runs_one_instance_per_port_with_the_shared_settings():
    unit = SYSTEMD_UNIT.read_text()
    assert "EnvironmentFile=/etc/aifabriek/aifabriek.env" in unit
    assert "Environment=GUNICORN_BIND=127.0.0.1:%i" in unit
    assert "--config deploy/gunicorn.conf.py aifabriek.wsgi" in unit
    for option in ("NoNewPrivileges=yes", "ProtectSystem=strict", "PrivateTmp=yes"):
        assert option in unit
