"""The production stack on loopback: nginx in front of several gunicorn instances.

`make serve-prod` runs it for trying the deployment; the system test
(tests/ops/test_deploy_stack.py) starts the same stack, kills an instance under load and checks that
nothing fails. The nginx configuration is generated from the real site's files (deploy/nginx/): the
shared locations are included as they are, and the upstream block and the server that drops unknown
hosts are copied with the trial's ports, so the trial serves (and refuses) what the site does, over
plain HTTP.

    python -m deploy.stack --port 8080 --app-ports 8001 8002 \
        --database-url postgres://postgres@127.0.0.1:5432/aifabriek_prod \
        --cache-url redis://127.0.0.1:6379/1
"""

import argparse
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

PROJECT = Path(__file__).resolve().parent.parent
DEPLOY = PROJECT / "deploy"
SITE_CONF = DEPLOY / "nginx" / "aifabriek.conf"
APP_CONF = DEPLOY / "nginx" / "aifabriek-app.conf"
GUNICORN_CONF = DEPLOY / "gunicorn.conf.py"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
PYTHON = sys.executable
# What a release runs before its code serves, in this order (docs/deploy.md, "Upgrades").
RELEASE_COMMANDS = [
    ("collectstatic", "--noinput"),
    ("migrate", "--noinput"),
    ("load_aifabriek",),
]
# How long an instance or nginx may take to answer after it is started.
START_SECONDS = 30


def upstream_block(site_conf: str, ports: list[int]) -> str:
    """The site's `upstream aifabriek` block with one server line per trial port."""
    match = re.search(r"^upstream aifabriek \{\n(.*?)^\}", site_conf, re.S | re.M)
    if match is None:
        raise ValueError(f"{SITE_CONF} has no `upstream aifabriek` block")
    lines = match.group(1).splitlines()
    servers = [line for line in lines if line.strip().startswith("server ")]
    if not servers:
        raise ValueError(f"{SITE_CONF}: the upstream block names no server")
    # Each trial server gets the options the site gives its first one (max_fails, ...).
    options = servers[0].strip().removesuffix(";").split()[2:]
    body, placed = [], False
    for line in lines:
        if line.strip().startswith("server "):
            if not placed:
                body += [f"    server 127.0.0.1:{port} {' '.join(options)};" for port in ports]
                placed = True
        else:
            body.append(line)
    return "upstream aifabriek {\n" + "\n".join(body) + "\n}\n"


def default_server_block(site_conf: str, port: int) -> str:
    """The site's server for unknown hosts, listening on the trial's port without TLS."""
    blocks = re.findall(r"^server \{\n(.*?)^\}", site_conf, re.S | re.M)
    defaults = [block for block in blocks if "default_server" in block]
    if len(defaults) != 1:
        raise ValueError(f"{SITE_CONF} needs one server with `listen ... default_server`")
    # Its own directives (server_name, return), without the site's addresses and TLS.
    kept = [
        line
        for line in defaults[0].splitlines()
        if line.strip() and not line.strip().startswith(("listen ", "ssl_"))
    ]
    listen = f"    listen 127.0.0.1:{port} default_server;"
    return "server {\n" + "\n".join([listen, *kept]) + "\n}\n"


def cache_blocks(site_conf: str, cache_dir: Path) -> str:
    """The site's edge cache (`proxy_cache_path`, with the trial's folder) and its maps."""
    paths = re.findall(r"^proxy_cache_path\s+\S+(.*?;)", site_conf, re.S | re.M)
    if len(paths) != 1:
        raise ValueError(f"{SITE_CONF} needs one `proxy_cache_path`")
    maps = re.findall(r"^map .*?^\}\n", site_conf, re.S | re.M)
    if not maps:
        raise ValueError(f"{SITE_CONF} has no `map` block (the edge cache's conditions)")
    return f"proxy_cache_path {cache_dir}{paths[0]}\n\n" + "\n".join(maps)


def nginx_conf(*, state_dir: Path, port: int, app_ports: list[int]) -> str:
    """A whole nginx.conf for the trial: its own pid, logs and temp paths under `state_dir`."""
    site_conf = SITE_CONF.read_text(encoding="utf-8")
    upstream = upstream_block(site_conf, app_ports)
    unknown_hosts = default_server_block(site_conf, port)
    cache = cache_blocks(site_conf, state_dir / "nginx-cache")
    temp = state_dir / "nginx-temp"
    # Started as root, nginx's workers take on a user of their own: Debian's www-data, which
    # needs the state directory readable (Stack.prepare makes it so).
    user = "user www-data;\n" if os.geteuid() == 0 else ""
    return f"""# Made by deploy/stack.py from {SITE_CONF.name} and {APP_CONF.name}; do not edit.
{user}daemon off;
worker_processes 2;
pid {state_dir}/nginx.pid;
error_log {state_dir}/nginx-error.log warn;

events {{
    worker_connections 512;
}}

http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    sendfile on;
    access_log {state_dir}/nginx-access.log;
    client_body_temp_path {temp}/body;
    proxy_temp_path {temp}/proxy;
    fastcgi_temp_path {temp}/fastcgi;
    uwsgi_temp_path {temp}/uwsgi;
    scgi_temp_path {temp}/scgi;

{cache}
{upstream}
{unknown_hosts}
    server {{
        listen 127.0.0.1:{port};
        server_name localhost 127.0.0.1;
        root {state_dir}/public;
        # The trial says what the edge cache did: HIT, MISS, EXPIRED, STALE, UPDATING, BYPASS.
        add_header X-Cache-Status $upstream_cache_status always;

        include {APP_CONF};
    }}
}}
"""


def finish(process: subprocess.Popen, args) -> str:
    stdout, stderr = process.communicate(timeout=300)
    if process.returncode != 0:
        raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{stderr}")
    return stdout


def wait_for_port(port: int, process: subprocess.Popen, name: str) -> None:
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{name} stopped on start (exit status {process.returncode})")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"{name} does not answer on port {port} after {START_SECONDS} s")


def port_is_free(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) != 0


def ensure_database(database_url: str) -> None:
    """Create the PostgreSQL database of the URL when it does not exist yet."""
    import psycopg

    parts = urlsplit(database_url)
    name = parts.path.lstrip("/")
    maintenance = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(maintenance, autocommit=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if not exists:
            connection.execute(f'CREATE DATABASE "{name}"')


@dataclass
class Stack:
    """nginx on `port` in front of one gunicorn instance per port in `app_ports`."""

    state_dir: Path
    port: int
    app_ports: list[int]
    database_url: str
    cache_url: str
    workers: int = 2
    secret_key: str = field(default_factory=lambda: secrets.token_urlsafe(50))
    # Settings of the caller's own on top of the production ones (a test's, for instance).
    extra_env: dict[str, str] = field(default_factory=dict)
    instances: dict[int, subprocess.Popen] = field(default_factory=dict)
    nginx: subprocess.Popen | None = None

    @property
    def static_root(self) -> Path:
        return self.state_dir / "public" / "static"

    def app_env(self) -> dict[str, str]:
        """Production settings, except that the trial speaks plain HTTP on loopback."""
        env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
        env.update(
            DEBUG="false",
            SECRET_KEY=self.secret_key,
            ALLOWED_HOSTS="127.0.0.1,localhost",
            DATABASE_URL=self.database_url,
            CACHE_URL=self.cache_url,
            STATIC_ROOT=str(self.static_root),
            # The real site redirects to HTTPS; the trial has no certificate.
            SECURE_SSL_REDIRECT="false",
            SECURE_HSTS_SECONDS="0",
            WEB_CONCURRENCY=str(self.workers),
            PYTHONUNBUFFERED="1",
            # nginx in front on loopback: its X-Forwarded-For names the client for the lockout.
        )
        env.update(self.extra_env)
        return env

    def manage_command(self, *args: str) -> list[str]:
        return [PYTHON, "manage.py", *args]

    def run_manage(self, *args: str) -> subprocess.Popen:
        return subprocess.Popen(
            self.manage_command(*args),
            cwd=PROJECT,
            env=self.app_env(),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    def manage(self, *args: str) -> str:
        """Run a management command with the stack's settings; its output, or an error."""
        return finish(self.run_manage(*args), args)

    def prepare(self) -> None:
        """What a release runs before it serves (RELEASE_COMMANDS), and the nginx configuration."""
        self.state_dir.mkdir(parents=True, exist_ok=True)
        self.state_dir.chmod(0o755)
        for folder in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
            (self.state_dir / "nginx-temp" / folder).mkdir(parents=True, exist_ok=True)
        ensure_database(self.database_url)
        collect, *in_order = RELEASE_COMMANDS
        # Static files do not touch the database: collected while it migrates.
        collecting = self.run_manage(*collect)
        try:
            for command in in_order:
                self.manage(*command)
        finally:
            finish(collecting, collect)
        conf = nginx_conf(state_dir=self.state_dir, port=self.port, app_ports=self.app_ports)
        (self.state_dir / "nginx.conf").write_text(conf, encoding="utf-8")

    def start_instance(self, port: int) -> subprocess.Popen:
        env = self.app_env() | {"GUNICORN_BIND": f"127.0.0.1:{port}"}
        with open(self.state_dir / f"gunicorn-{port}.log", "ab") as log:
            # A session of its own, so that killing the instance takes its workers with it.
            self.instances[port] = subprocess.Popen(
                [PYTHON, "-m", "gunicorn", "--config", str(GUNICORN_CONF), "aifabriek.wsgi"],
                cwd=PROJECT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        return self.instances[port]

    def start(self) -> None:
        busy = [p for p in [self.port, *self.app_ports] if not port_is_free(p)]
        if busy:
            raise RuntimeError(f"ports already in use: {busy}")
        try:
            for port in self.app_ports:
                self.start_instance(port)
            conf = self.state_dir / "nginx.conf"
            with open(self.state_dir / "nginx-stderr.log", "ab") as log:
                self.nginx = subprocess.Popen(
                    [NGINX, "-p", str(self.state_dir), "-c", str(conf), "-e", "stderr"],
                    stdout=subprocess.DEVNULL,
                    stderr=log,
                    start_new_session=True,
                )
            for port, process in self.instances.items():
                wait_for_port(port, process, f"gunicorn on {port}")
            wait_for_port(self.port, self.nginx, "nginx")
        except BaseException:
            self.stop()
            raise

    def kill_instance(self, port: int) -> None:
        """Kill an instance and its workers at once (SIGKILL), as a crash would."""
        process = self.instances[port]
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)

    def stop(self) -> None:
        """Stop nginx, then every instance: SIGTERM (graceful), SIGKILL after 10 s."""
        processes = [self.nginx] if self.nginx else []
        processes += list(self.instances.values())
        for process in processes:
            if process.poll() is None:
                # nginx: SIGQUIT is its graceful stop; gunicorn: SIGTERM.
                sig = signal.SIGQUIT if process is self.nginx else signal.SIGTERM
                os.killpg(process.pid, sig)
        for process in processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc):
        self.stop()


# What stops `make serve-prod`: Ctrl-C, a service manager or CI clean-up (SIGTERM), the terminal
# closing (SIGHUP). nginx and the instances run in sessions of their own, so these reach only
# this process; it stops them.
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


def stop_on_signal(signum, frame) -> None:
    """Leave the serving loop as Ctrl-C does, so that the stack's `stop` runs."""
    # A second signal must not cut the stop short and orphan what is still stopping.
    for stop_signal in STOP_SIGNALS:
        signal.signal(stop_signal, signal.SIG_IGN)
    raise KeyboardInterrupt


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description="nginx and gunicorn instances on loopback.")
    parser.add_argument("--port", type=int, default=8080, help="nginx port")
    parser.add_argument("--app-ports", type=int, nargs="+", default=[8001, 8002])
    parser.add_argument(
        "--database-url", default="postgres://postgres@127.0.0.1:5432/aifabriek_prod"
    )
    parser.add_argument("--cache-url", default="redis://127.0.0.1:6379/1")
    parser.add_argument("--state-dir", type=Path, default=PROJECT / ".serve-prod")
    options = parser.parse_args(argv)
    stack = Stack(
        state_dir=options.state_dir.resolve(),
        port=options.port,
        app_ports=options.app_ports,
        database_url=options.database_url,
        cache_url=options.cache_url,
    )
    for stop_signal in STOP_SIGNALS:
        signal.signal(stop_signal, stop_on_signal)
    print("Collecting static files, migrating, loading the data set ...", flush=True)
    try:
        stack.prepare()
        with stack:
            print(
                f"nginx on http://127.0.0.1:{stack.port}/ in front of gunicorn on "
                f"{', '.join(map(str, stack.app_ports))} (DEBUG off, {options.database_url}, "
                f"{options.cache_url}). Logs in {stack.state_dir}. Ctrl-C (or SIGTERM, SIGHUP) "
                "stops everything.",
                flush=True,
            )
            try:
                while all(p.poll() is None for p in [stack.nginx, *stack.instances.values()]):
                    time.sleep(0.5)
                print("A process of the stack stopped; stopping the rest.", file=sys.stderr)
            except KeyboardInterrupt:
                print("\nStopping ...", flush=True)
    except KeyboardInterrupt:
        # Stopped while preparing or starting: what had started is stopped already.
        print("\nStopped before the stack was serving.", file=sys.stderr)


if __name__ == "__main__":
    main()
