"""Mail settings from the environment (aifabriek/env.py: env_email) and the break-glass switch:
understood, or the start stops naming the variable."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from aifabriek.env import env_bool, env_email


def test_unset_mail_is_the_console_in_development_and_smtp_on_localhost_otherwise(monkeypatch):
    monkeypatch.delenv("EMAIL_URL", raising=False)
    assert env_email("EMAIL_URL", development=True) == {
        "EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"
    }
    assert env_email("EMAIL_URL", development=False) == {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend"
    }


def test_an_smtp_url_gives_host_port_user_and_tls(monkeypatch):
    monkeypatch.setenv("EMAIL_URL", "smtp+tls://mailer:p%40ss@mail.example.org:2525")
    assert env_email("EMAIL_URL", development=False) == {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "mail.example.org",
        "EMAIL_PORT": 2525,
        "EMAIL_HOST_USER": "mailer",
        "EMAIL_HOST_PASSWORD": "p@ss",
        "EMAIL_USE_TLS": True,
        "EMAIL_USE_SSL": False,
    }
    monkeypatch.setenv("EMAIL_URL", "smtps://mail.example.org")
    assert env_email("EMAIL_URL", development=False)["EMAIL_PORT"] == 465


@pytest.mark.parametrize(
    "value, message",
    [
        ("smtpp://mail.example.org", "must start with one of"),
        ("smtp://:25", "names no host"),
        ("smtp://mail.example.org:port", "not a number"),
    ],
)
def test_a_mail_url_not_understood_stops_the_start(monkeypatch, value, message):
    monkeypatch.setenv("EMAIL_URL", value)
    with pytest.raises(ImproperlyConfigured, match=message) as error:
        env_email("EMAIL_URL", development=True)
    assert "EMAIL_URL" in str(error.value)


def test_a_typo_in_the_break_glass_switch_stops_the_start(monkeypatch):
    monkeypatch.setenv("FOUR_EYES_BREAK_GLASS", "ja")
    with pytest.raises(ImproperlyConfigured, match="FOUR_EYES_BREAK_GLASS"):
        env_bool("FOUR_EYES_BREAK_GLASS", False)


def test_break_glass_is_off_unless_set(settings):
    assert settings.FOUR_EYES_BREAK_GLASS is False
