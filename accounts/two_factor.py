"""Who needs a second factor, and where to send someone who has not given it yet.

Funding admins and superusers need one for the admin when ADMIN_REQUIRE_2FA is on (the default
with DEBUG off); policy staff need one for the dashboards only when STAFF_REQUIRE_2FA is on. The
password (or single sign-on) comes first; the second factor is asked when a page needs it:
someone without a device is led through setting one up, someone with a device enters a code.
"""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY
from django.urls import reverse
from django_otp import user_has_device

from funding.permissions import is_funding_admin, may_view_dashboards

SSO_BACKEND = "accounts.oidc.OrganisationBackend"


def admin_needs_second_factor(user) -> bool:
    return settings.ADMIN_REQUIRE_2FA and is_funding_admin(user)


def dashboards_need_second_factor(user) -> bool:
    if admin_needs_second_factor(user):
        return False  # funding admins give it for the admin, not to read
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
