"""Signed-in sessions end after a while without activity and after a maximum in any case.

The times are kept in the session itself, so every app process sees the same ones. The last
activity is written at most once a minute, to spare the session store a write per request.
"""

import time

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in

SIGNED_IN_AT = "signed_in_at"
LAST_ACTIVITY = "last_activity"
ACTIVITY_RESOLUTION_SECONDS = 60


def stamp_sign_in(sender, request, user, **kwargs):
    """Start both clocks when someone signs in (after login() has cycled the session key)."""
    if request is None or not hasattr(request, "session"):
        return
    now = int(time.time())
    request.session[SIGNED_IN_AT] = now
    request.session[LAST_ACTIVITY] = now


def session_expired(session, now: int) -> bool:
    """Whether a signed-in session is past its idle or absolute limit."""
    signed_in_at = session.get(SIGNED_IN_AT)
    last_activity = session.get(LAST_ACTIVITY, signed_in_at)
    if signed_in_at is None:
        return False
    return (
        now - last_activity > settings.SESSION_IDLE_SECONDS
        or now - signed_in_at > settings.SESSION_MAX_SECONDS
    )


class SessionLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = int(time.time())
            session = request.session
            if SIGNED_IN_AT not in session:
                # Signed in before these limits existed, or by a path that sent no signal.
                stamp_sign_in(None, request, request.user)
            elif session_expired(session, now):
                from accounts.audit import record

                record("session_expired", request=request, user=request.user)
                logout(request)
            elif now - session.get(LAST_ACTIVITY, 0) >= ACTIVITY_RESOLUTION_SECONDS:
                session[LAST_ACTIVITY] = now
        return self.get_response(request)


def connect() -> None:
    user_logged_in.connect(stamp_sign_in, dispatch_uid="accounts-stamp-sign-in")
