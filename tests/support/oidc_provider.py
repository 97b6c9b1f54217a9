"""A real OpenID Connect provider on loopback (oidc-provider-mock), for the sign-on tests."""

import socket
from urllib.parse import quote, urlsplit

import requests


def free_port() -> int:
    """A port no one listens on now: the SQLite and PostgreSQL passes run side by side."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


PROVIDER_PORT = free_port()
ISSUER = f"http://localhost:{PROVIDER_PORT}"
POLICY_VALUE = "tracker-readers"
ADMIN_VALUE = "tracker-editors"


def set_claims(subject: str, **claims):
    """What the provider will say about this person at their next sign-in."""
    response = requests.put(f"{ISSUER}/users/{quote(subject)}", json=claims, timeout=5)
    assert response.status_code == 204


def authorize_at_provider(client, subject: str, path="/accounts/oidc/authenticate/"):
    """Start at our site, sign in at the provider; return the callback address it sends back."""
    start = client.get(path)
    assert start.status_code == 302
    assert start["Location"].startswith(f"{ISSUER}/oauth2/authorize?")
    answer = requests.post(start["Location"], data={"sub": subject}, allow_redirects=False)
    assert answer.status_code == 302, answer.text
    callback = urlsplit(answer.headers["Location"])
    return f"{callback.path}?{callback.query}"


def sign_in_with_organisation(client, subject: str, **claims):
    set_claims(subject, **claims)
    return client.get(authorize_at_provider(client, subject))
