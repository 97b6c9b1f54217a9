"""The sign-in audit: each event is kept in SignInEvent and logged to `aifabriek.audit`."""

import logging

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed

from accounts.models import SignInEvent
from aifabriek.ops.client_address import client_address

logger = logging.getLogger("aifabriek.audit")

SSO_BACKEND = "accounts.oidc.OrganisationBackend"


def record(kind, *, request=None, user=None, username: str = "", detail: str = "") -> SignInEvent:
    """Keep one event and log it."""
    if user is not None and not user.is_authenticated:
        user = None
    if not username and user is not None:
        username = user.get_username()
    address = client_address(request) if request is not None else None
    event = SignInEvent.objects.create(
        kind=kind,
        user=user,
        username=username[:150],
        address=address,
        detail=detail[:500],
    )
    logger.info(
        "%s user=%r address=%s%s",
        kind,
        username,
        address or "-",
        f" {detail}" if detail else "",
    )
    return event


def _signed_in(sender, request, user, **kwargs):
    by_sso = getattr(user, "backend", "") == SSO_BACKEND
    method = "single sign-on" if by_sso else "password"
    if request is not None and hasattr(request, "session"):
        # Pages (the 403 page) say whom to ask by how the person signed in.
        request.session["signed_in_with"] = "organisation" if by_sso else "password"
    record(SignInEvent.Kind.SIGNED_IN, request=request, user=user, detail=method)


def _signed_out(sender, request, user, **kwargs):
    if user is not None:
        record(SignInEvent.Kind.SIGNED_OUT, request=request, user=user)


def _failed(sender, credentials, request=None, **kwargs):
    # The two-factor page reports a wrong code as a failed sign-in, so that axes counts it.
    second_factor = kwargs.get("reason") == "second factor"
    record(
        SignInEvent.Kind.TWO_FACTOR_FAILED if second_factor else SignInEvent.Kind.FAILED,
        request=request,
        username=str(credentials.get("username") or ""),
    )


def _locked_out(sender, request, username, ip_address, **kwargs):
    # Set by accounts/lockout.py: the address reached its limit across user names (spraying).
    by_address = getattr(request, "locked_by_address", False)
    record(
        SignInEvent.Kind.LOCKED_OUT,
        request=request,
        username=username or "",
        detail="every user name from this address" if by_address else "",
    )


def connect() -> None:
    user_logged_in.connect(_signed_in, dispatch_uid="accounts-audit-signed-in")
    user_logged_out.connect(_signed_out, dispatch_uid="accounts-audit-signed-out")
    user_login_failed.connect(_failed, dispatch_uid="accounts-audit-failed")
    user_locked_out.connect(_locked_out, dispatch_uid="accounts-audit-locked-out")
