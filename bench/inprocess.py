"""What a request costs inside Django: queries and bytes, measured with the test client.

Importing this module sets Django up with the settings in the environment (bench.settings).
"""

import time
from dataclasses import dataclass
from importlib import import_module

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.contrib.auth.models import Group, User  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django_otp import DEVICE_ID_SESSION_KEY  # noqa: E402
from django_otp.plugins.otp_totp.models import TOTPDevice  # noqa: E402

from accounts.sessions import LAST_ACTIVITY, SIGNED_IN_AT  # noqa: E402
from funding.cache import bump_generation  # noqa: E402
from funding.models import Programme  # noqa: E402
from funding.models.teams import ProgrammeMembership, TeamRole  # noqa: E402
from funding.permissions import FUNDING_ADMINS, POLICY_STAFF  # noqa: E402

HOST = "127.0.0.1"
# The team viewer's programmes: a person on a team of this many of the portfolio's programmes.
TEAM_PROGRAMMES = 50


@dataclass(frozen=True)
class InProcess:
    status: int
    queries_cold: int  # with an empty cache
    queries_warm: int  # the next request, as most requests under load are
    bytes: int
    cold_ms: tuple[float, ...] = ()  # the page's cold requests (`Page.cold_runs`), in ms


def _session_cookie(username: str, group: str | None, *, is_staff: bool) -> str:
    """A session as signing in leaves it, with a second factor given (the admin asks for one)."""
    user, _ = User.objects.get_or_create(username=username, defaults={"is_staff": is_staff})
    if group:
        user.groups.add(Group.objects.get(name=group))
    device, _ = TOTPDevice.objects.get_or_create(user=user, name="bench", confirmed=True)
    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session[SESSION_KEY] = user._meta.pk.value_to_string(user)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session[SIGNED_IN_AT] = session[LAST_ACTIVITY] = int(time.time())
    session.save()
    return session.session_key


def _team_viewer(username: str) -> str:
    """A person in no group, viewer on `TEAM_PROGRAMMES` programmes (the first by name)."""
    cookie = _session_cookie(username, None, is_staff=False)
    user = User.objects.get(username=username)
    programmes = Programme.objects.order_by("name").values_list("pk", flat=True)
    ProgrammeMembership.objects.bulk_create(
        [
            ProgrammeMembership(user=user, programme_id=pk, role=TeamRole.VIEWER)
            for pk in programmes[:TEAM_PROGRAMMES]
        ],
        ignore_conflicts=True,
    )
    return cookie


def session_cookies() -> dict[str, dict[str, str]]:
    """Cookie headers per kind of visitor: anonymous, Policy staff, a programme team's viewer,
    Funding admin."""
    name = settings.SESSION_COOKIE_NAME
    staff = _session_cookie("bench-staff", POLICY_STAFF, is_staff=False)
    team = _team_viewer("bench-team-viewer")
    admin = _session_cookie("bench-controller", FUNDING_ADMINS, is_staff=True)
    return {
        "public": {},
        "staff": {"Cookie": f"{name}={staff}"},
        "team": {"Cookie": f"{name}={team}"},
        "admin": {"Cookie": f"{name}={admin}"},
    }


def _get(client: Client, path: str) -> tuple[int, int, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path, HTTP_HOST=HOST)
        body = b"".join(response.streaming_content) if response.streaming else response.content
    return response.status_code, len(queries), len(body)


def measure(page, headers: dict[str, str]) -> InProcess:
    client = Client(raise_request_exception=False)
    cookie = headers.get("Cookie")
    if cookie:
        name, value = cookie.split("=", 1)
        client.cookies[name] = value
    bump_generation()  # cold: no cached public data (and nothing else's cache flushed)
    status, cold, _ = _get(client, page.path)
    status, warm, size = _get(client, page.path)
    timings = []
    for _ in range(page.cold_runs):
        bump_generation()
        started = time.perf_counter()
        _get(client, page.path)
        timings.append((time.perf_counter() - started) * 1000)
    return InProcess(
        status=status, queries_cold=cold, queries_warm=warm, bytes=size, cold_ms=tuple(timings)
    )
