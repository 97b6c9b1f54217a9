"""The one reader of settings from the environment: a value it does not understand stops the start.

Unset means the default. A switch, number or choice left empty takes its default too; a list left
empty is an empty list (`TRUSTED_PROXY_IPS=` believes nobody). Anything else that is not
understood raises ImproperlyConfigured naming the variable, so a typo never turns a protection off.
"""

import ipaddress
import os
from urllib.parse import unquote, urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

TRUE = ("true", "1", "yes", "on")
FALSE = ("false", "0", "no", "off")


def env_text(name: str, default: str = "") -> str:
    """A value taken as it is (a key, a name, a path)."""
    return os.environ.get(name, default)


def _given(name: str) -> str:
    return os.environ.get(name, "").strip()


def env_bool(name: str, default: bool) -> bool:
    """A switch: true/false, 1/0, yes/no or on/off, in any case."""
    value = _given(name)
    if not value:
        return default
    if value.lower() in TRUE:
        return True
    if value.lower() in FALSE:
        return False
    raise ImproperlyConfigured(
        f"{name}={value} is not understood: give true/false, 1/0, yes/no or on/off "
        f"(or leave it unset for {'true' if default else 'false'})."
    )


def env_int(name: str, default: int, *, minimum: int) -> int:
    """A whole number of at least `minimum` (seconds, minutes, a count)."""
    value = _given(name)
    if not value:
        return default
    try:
        number = int(value)
    except ValueError:
        number = None
    if number is None or number < minimum:
        raise ImproperlyConfigured(
            f"{name}={value} is not a whole number of {minimum} or more "
            f"(or leave it unset for {default})."
        )
    return number


def env_choice(name: str, default: str, choices: list[str]) -> str:
    """One of a few known words, in any case; returned as spelled in `choices`."""
    value = _given(name)
    if not value:
        return default
    for choice in choices:
        if value.lower() == choice.lower():
            return choice
    raise ImproperlyConfigured(f"{name}={value} is not one of {', '.join(choices)}.")


def env_list(name: str) -> list[str]:
    """Comma-separated values; unset or empty is none."""
    return [item.strip() for item in os.environ.get(name, "").split(",") if item.strip()]


def env_networks(name: str, default: list[str]) -> list[str]:
    """Addresses or networks (10.0.0.0/8); unset is `default`, empty is none."""
    entries = default if name not in os.environ else env_list(name)
    for entry in entries:
        try:
            ipaddress.ip_network(entry, strict=False)
        except ValueError as error:
            raise ImproperlyConfigured(f"{name}: {error}") from None
    return entries


def env_cache_url(name: str) -> str:
    """A Redis URL (redis:// or rediss://), or empty for none."""
    value = _given(name)
    if value and not value.startswith(("redis://", "rediss://")):
        # Only the scheme is repeated: the rest may hold a password.
        raise ImproperlyConfigured(
            f"{name} must start with redis:// or rediss://, or be empty for each process's own "
            f"memory (the scheme given is {urlsplit(value).scheme!r})."
        )
    return value


def env_database(name: str, default: str, **options) -> dict:
    """Django's DATABASES entry for a database URL (dj-database-url); unset is `default`."""
    value = os.environ.get(name, default)
    if not value.strip():
        raise ImproperlyConfigured(
            f"{name} is empty: give a database URL, or leave it unset for {default}."
        )
    try:
        return dj_database_url.parse(value, **options)
    except ValueError as error:
        # Its messages name the scheme or the fault, never the password in the URL.
        raise ImproperlyConfigured(f"{name} cannot be read: {error}") from None


EMAIL_SCHEMES = {
    "smtp": ("django.core.mail.backends.smtp.EmailBackend", False, False),
    "smtp+tls": ("django.core.mail.backends.smtp.EmailBackend", True, False),
    "smtps": ("django.core.mail.backends.smtp.EmailBackend", False, True),
    "console": ("django.core.mail.backends.console.EmailBackend", False, False),
    "locmem": ("django.core.mail.backends.locmem.EmailBackend", False, False),
    "dummy": ("django.core.mail.backends.dummy.EmailBackend", False, False),
}


def env_email(name: str, *, development: bool) -> dict:
    """Django's mail settings from one URL: smtp://user:password@host:port (smtp+tls:// for
    STARTTLS, smtps:// for TLS), console://, locmem:// or dummy://. Unset: the console in
    development, SMTP on localhost:25 (Django's default) otherwise."""
    value = _given(name)
    if not value:
        scheme = "console" if development else "smtp"
        return {"EMAIL_BACKEND": EMAIL_SCHEMES[scheme][0]}
    parts = urlsplit(value)
    if parts.scheme not in EMAIL_SCHEMES:
        # Only the scheme is repeated: the rest may hold a password.
        raise ImproperlyConfigured(
            f"{name} must start with one of {', '.join(s + '://' for s in EMAIL_SCHEMES)} "
            f"(the scheme given is {parts.scheme!r})."
        )
    backend, tls, ssl = EMAIL_SCHEMES[parts.scheme]
    settings = {"EMAIL_BACKEND": backend}
    if parts.scheme.startswith("smtp"):
        try:
            port = parts.port
        except ValueError:
            port = None
            raise ImproperlyConfigured(f"{name} has a port that is not a number.") from None
        if not parts.hostname:
            raise ImproperlyConfigured(f"{name} names no host (smtp://host:port).")
        settings |= {
            "EMAIL_HOST": parts.hostname,
            "EMAIL_PORT": port or (465 if ssl else 587 if tls else 25),
            "EMAIL_HOST_USER": unquote(parts.username or ""),
            "EMAIL_HOST_PASSWORD": unquote(parts.password or ""),
            "EMAIL_USE_TLS": tls,
            "EMAIL_USE_SSL": ssl,
        }
    return settings
