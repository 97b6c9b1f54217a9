"""Who needs a second factor, and where to send someone who has not given it yet.

Funding admins and superusers need one when ADMIN_REQUIRE_2FA is on (the default with DEBUG off);
everyone who reads the dashboards, funding admins included, when STAFF_REQUIRE_2FA is on. Who
needs one gives it before every page that is not public, the dashboards and the admin alike
(`needs_second_factor`): both show the same records. The password (or single sign-on) comes
first; the second factor is asked when a page needs it:
someone without a device is led through setting one up, someone with a device enters a code.
A page that registers, replaces or completes a second factor runs for someone with a device only
after a code in this session (`code_before_changes`), so a password alone cannot swap the factor.
"""

from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY
from django.shortcuts import redirect
from django.urls import reverse
from django_otp import user_has_device

from funding.permissions import may_enter_admin, may_view_dashboards

SSO_BACKEND = "accounts.oidc.OrganisationBackend"


def needs_second_factor(user) -> bool:
    """The one rule for the dashboards and the admin: whether this person gives a code first."""
    # Whoever edits in the admin: funding admins, and editors and approvers of a programme.
    if settings.ADMIN_REQUIRE_2FA and may_enter_admin(user):
        return True
    return settings.STAFF_REQUIRE_2FA and may_view_dashboards(user)


def second_factor_given(request) -> bool:
    """A code was accepted in this session, or the organisation's provider is trusted for it."""
    user = request.user
    if user.is_verified():
        return True
    signed_in_by_sso = request.session.get(BACKEND_SESSION_KEY) == SSO_BACKEND
    return signed_in_by_sso and settings.OIDC_TRUST_PROVIDER_MFA


def second_factor_url(request, next_url: str) -> str:
    """Enter a code if the user has a device; otherwise set one up first."""
    name = "two_factor_verify" if user_has_device(request.user) else "two_factor_setup"
    return f"{reverse(name)}?{urlencode({'next': next_url})}"


def may_change_second_factor(request) -> bool:
    """No device yet (the password is all there is), or a code was given in this session.

    Only a code counts here: a provider trusted for multi-factor sign-in does not know this
    app's devices, so it cannot vouch for replacing one.
    """
    user = request.user
    return not user_has_device(user) or user.is_verified()


def code_before_changes(view):
    """The one rule for every page that sets up, replaces or removes a second factor."""

    @wraps(view)
    def guarded(request, *args, **kwargs):
        if request.user.is_authenticated and not may_change_second_factor(request):
            next_url = request.get_full_path()
            return redirect(f"{reverse('two_factor_verify')}?{urlencode({'next': next_url})}")
        return view(request, *args, **kwargs)

    return guarded
