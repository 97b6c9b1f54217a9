"""Settings from the environment: unset is the default, a value not understood stops the start."""

import ast
import runpy

import pytest
from django.conf import settings as django_settings
from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory

from aifabriek.env import env_bool
from aifabriek.ops.client_address import client_address
from tests.support.commands import PRODUCTION, manage_as_production

SETTINGS_FILE = django_settings.BASE_DIR / "aifabriek" / "settings.py"
GUNICORN_FILE = django_settings.BASE_DIR / "deploy" / "gunicorn.conf.py"
SECURITY_SWITCHES = {
    "DEBUG",
    "ADMIN_REQUIRE_2FA",
    "STAFF_REQUIRE_2FA",
    "OIDC_TRUST_PROVIDER_MFA",
    "OIDC_USE_PKCE",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_PRELOAD",
}


def variables_read_by(path, function):
    """The names `function("NAME", ...)` is called with anywhere in a file, in order."""
    return [
        node.args[0].value
        for node in ast.walk(ast.parse(path.read_text()))
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == function
        and node.args
        and isinstance(node.args[0], ast.Constant)
    ]


# Read from the source, so that a switch added later is tried too.
SWITCHES = variables_read_by(SETTINGS_FILE, "env_bool")
NUMBERS = variables_read_by(SETTINGS_FILE, "env_int")


def load_settings(monkeypatch, **env):
    """The settings module run afresh, as production starts it, with `env` on top."""
    for name, value in {**PRODUCTION, **env}.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(SETTINGS_FILE))


def test_every_security_switch_is_read_as_a_switch():
    assert set(SWITCHES) >= SECURITY_SWITCHES


@pytest.mark.parametrize("name", SWITCHES)
def test_a_mistyped_switch_stops_the_start_naming_it(monkeypatch, name):
    with pytest.raises(ImproperlyConfigured, match=rf"^{name}=ture is not understood") as error:
        load_settings(monkeypatch, **{name: "ture"})
    assert "true/false, 1/0, yes/no or on/off" in str(error.value)


@pytest.mark.parametrize("default", [True, False])
@pytest.mark.parametrize("name", SWITCHES)
def test_the_reader_refuses_a_mistyped_switch_whatever_its_default(monkeypatch, name, default):
    monkeypatch.setenv(name, "ture")
    with pytest.raises(ImproperlyConfigured, match=rf"^{name}=ture is not understood"):
        env_bool(name, default)


def test_a_mistyped_switch_stops_manage_py():
    result = manage_as_production("check", ADMIN_REQUIRE_2FA="ture")
    assert result.returncode != 0
    assert "ADMIN_REQUIRE_2FA=ture is not understood" in result.stderr


@pytest.mark.parametrize(
    ("value", "expected"),
    [("true", True), ("ON", True), ("Yes", True), ("1", True)]
    + [("false", False), ("Off", False), ("NO", False), ("0", False), (" false ", False)],
)
def test_a_switch_takes_each_clear_spelling(monkeypatch, value, expected):
    assert load_settings(monkeypatch, ADMIN_REQUIRE_2FA=value)["ADMIN_REQUIRE_2FA"] is expected


@pytest.mark.parametrize("value", [None, ""])
def test_an_unset_or_empty_switch_takes_its_default(monkeypatch, value):
    if value is None:
        monkeypatch.delenv("ADMIN_REQUIRE_2FA", raising=False)
        loaded = load_settings(monkeypatch)
    else:
        loaded = load_settings(monkeypatch, ADMIN_REQUIRE_2FA=value)
    # On by default in production.
    assert loaded["ADMIN_REQUIRE_2FA"] is True


@pytest.mark.parametrize("name", NUMBERS)
@pytest.mark.parametrize("value", ["ten", "1.5", "-1"])
def test_a_number_that_is_no_count_stops_the_start_naming_it(monkeypatch, name, value):
    with pytest.raises(ImproperlyConfigured, match=rf"^{name}={value} is not"):
        load_settings(monkeypatch, **{name: value})


@pytest.mark.parametrize(
    "name",
    [
        "LOCKOUT_FAILURES",
        "LOCKOUT_MINUTES",
        "SESSION_IDLE_SECONDS",
        "SESSION_MAX_SECONDS",
        "OIDC_TIMEOUT",
    ],
)
def test_a_zero_that_would_undo_a_protection_stops_the_start(monkeypatch, name):
    with pytest.raises(ImproperlyConfigured, match=rf"^{name}=0 is not a whole number of 1 or"):
        load_settings(monkeypatch, **{name: "0"})


def test_numbers_keep_their_defaults_and_take_their_values(monkeypatch):
    monkeypatch.delenv("LOCKOUT_FAILURES", raising=False)
    loaded = load_settings(monkeypatch, LOCKOUT_MINUTES="30", SECURE_HSTS_SECONDS="0")
    assert loaded["AXES_FAILURE_LIMIT"] == 5
    assert loaded["AXES_COOLOFF_TIME"].total_seconds() == 30 * 60
    assert loaded["SECURE_HSTS_SECONDS"] == 0


def test_an_empty_trusted_proxy_list_believes_nobody(monkeypatch, settings):
    loaded = load_settings(monkeypatch, TRUSTED_PROXY_IPS="")
    assert loaded["TRUSTED_PROXY_IPS"] == []
    settings.TRUSTED_PROXY_IPS = loaded["TRUSTED_PROXY_IPS"]
    request = RequestFactory().get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.5")
    assert client_address(request) == "127.0.0.1"


def test_unset_trusted_proxies_are_loopback(monkeypatch):
    monkeypatch.delenv("TRUSTED_PROXY_IPS", raising=False)
    assert load_settings(monkeypatch)["TRUSTED_PROXY_IPS"] == ["127.0.0.1", "::1"]


@pytest.mark.django_db
def test_an_empty_metrics_address_list_leaves_only_the_token(monkeypatch, client, settings):
    loaded = load_settings(monkeypatch, METRICS_ALLOWED_IPS="")
    assert loaded["METRICS_ALLOWED_IPS"] == []
    settings.METRICS_ALLOWED_IPS = loaded["METRICS_ALLOWED_IPS"]
    settings.METRICS_TOKEN = "a-long-scrape-token-0123456789"
    assert client.get("/metrics").status_code == 404  # from loopback, no token
    token = {"authorization": "Bearer a-long-scrape-token-0123456789"}
    assert client.get("/metrics", headers=token).status_code == 200


@pytest.mark.parametrize(
    ("name", "value"), [("LOG_FORMAT", "xml"), ("LOG_LEVEL", "verbose"), ("LOG_LEVEL", "warn ing")]
)
def test_an_unknown_log_setting_stops_the_start_naming_it(monkeypatch, name, value):
    with pytest.raises(ImproperlyConfigured, match=rf"^{name}={value} is not one of"):
        load_settings(monkeypatch, **{name: value})


def test_log_settings_take_known_values_in_any_case(monkeypatch):
    loaded = load_settings(monkeypatch, LOG_FORMAT="Text", LOG_LEVEL="warning")
    assert (loaded["LOG_FORMAT"], loaded["LOG_LEVEL"]) == ("text", "WARNING")
    assert loaded["LOGGING"]["root"]["level"] == "WARNING"


def test_a_cache_url_that_is_not_redis_stops_the_start(monkeypatch):
    with pytest.raises(ImproperlyConfigured, match=r"^CACHE_URL must start with redis://"):
        load_settings(monkeypatch, CACHE_URL="memcached://127.0.0.1:11211")


@pytest.mark.parametrize(
    ("value", "backend"),
    [
        ("", "django.core.cache.backends.locmem.LocMemCache"),
        ("rediss://cache.example.org:6380/0", "aifabriek.ops.redis_cache.RedisCache"),
    ],
)
def test_an_empty_cache_url_is_memory_and_redis_is_shared(monkeypatch, value, backend):
    assert load_settings(monkeypatch, CACHE_URL=value)["CACHES"]["default"]["BACKEND"] == backend


@pytest.mark.parametrize(
    "value", ["postgress://app:s3cret@db.example.org/app", "postgres://app:s3cret@db:port/app", ""]
)
def test_a_database_url_that_cannot_be_read_stops_the_start_naming_it(monkeypatch, value):
    with pytest.raises(ImproperlyConfigured, match=r"^DATABASE_URL") as error:
        load_settings(monkeypatch, DATABASE_URL=value)
    # The URL may hold the database password; the message never repeats it.
    assert "s3cret" not in str(error.value)


@pytest.mark.parametrize("path", [SETTINGS_FILE, GUNICORN_FILE], ids=lambda path: path.name)
def test_settings_read_the_environment_only_through_the_parser(path):
    tree = ast.parse(path.read_text())
    reads = [
        ast.unparse(node)
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute) and node.attr in {"environ", "getenv"}
    ]
    assert reads == []


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("WEB_CONCURRENCY", "two"),
        ("WEB_CONCURRENCY", "0"),
        ("GUNICORN_THREADS", "0"),
        ("GUNICORN_TIMEOUT", "-5"),
        ("GUNICORN_GRACEFUL_TIMEOUT", "30s"),
        ("GUNICORN_LOG_LEVEL", "loud"),
    ],
)
def test_a_mistyped_gunicorn_setting_stops_gunicorn_naming_it(monkeypatch, name, value):
    monkeypatch.setenv(name, value)
    with pytest.raises(ImproperlyConfigured, match=rf"^{name}={value} is not"):
        runpy.run_path(str(GUNICORN_FILE))


CHOICES = variables_read_by(SETTINGS_FILE, "env_choice")


@pytest.mark.parametrize("name", CHOICES)
def test_a_choice_outside_its_words_stops_the_start_naming_it(monkeypatch, name):
    with pytest.raises(ImproperlyConfigured, match=rf"^{name}=nonsense is not one of"):
        load_settings(monkeypatch, **{name: "nonsense"})


def test_an_unsigned_sign_in_token_is_no_choice(monkeypatch):
    assert "OIDC_SIGN_ALGO" in CHOICES
    with pytest.raises(ImproperlyConfigured, match=r"^OIDC_SIGN_ALGO=none is not one of"):
        load_settings(monkeypatch, OIDC_SIGN_ALGO="none")
    assert load_settings(monkeypatch, OIDC_SIGN_ALGO="es256")["OIDC_RP_SIGN_ALGO"] == "ES256"


@pytest.mark.parametrize("value", ["   ", "\t"])
def test_a_blank_secret_key_stops_the_start(monkeypatch, value):
    with pytest.raises(ImproperlyConfigured, match=r"^SECRET_KEY must be set"):
        load_settings(monkeypatch, SECRET_KEY=value)


def test_a_short_secret_key_stops_the_start_saying_how_long(monkeypatch):
    with pytest.raises(
        ImproperlyConfigured, match=r"^SECRET_KEY has 12 characters; give at least 50"
    ):
        load_settings(monkeypatch, SECRET_KEY="  short-key-12  ")


def test_development_keeps_its_own_key_when_none_is_given(monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    loaded = runpy.run_path(str(SETTINGS_FILE))
    assert loaded["SECRET_KEY"].startswith("django-insecure-development-only")
