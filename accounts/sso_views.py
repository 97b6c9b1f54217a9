"""The addresses of single sign-on: off (404) unless configured; a provider that cannot be
reached gives a page that says so, never a 500."""

import logging
from urllib.parse import urlencode

import requests
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from mozilla_django_oidc import views as oidc_views

from accounts.oidc import ProviderUnavailable, endpoint, oidc_enabled, provider_configuration

logger = logging.getLogger(__name__)
SSO_BACKEND = "accounts.oidc.OrganisationBackend"
FAILURE_URL = "/accounts/login/?sso=failed"


def unavailable(request, error):
    logger.warning("single sign-on unavailable: %s", error)
    return render(request, "accounts/sso_unavailable.html", status=503)


class SignInWithOrganisation(oidc_views.OIDCAuthenticationRequestView):
    """Send the visitor to the provider, with a fresh state and nonce kept in the session."""

    def __init__(self, **kwargs):
        # The parent reads the endpoint when the view is built; here it is read in get().
        self.OIDC_RP_CLIENT_ID = settings.OIDC_CLIENT_ID

    def get(self, request):
        if not oidc_enabled():
            raise Http404
        try:
            self.OIDC_OP_AUTH_ENDPOINT = endpoint("authorization_endpoint")
        except ProviderUnavailable as error:
            return unavailable(request, error)
        return super().get(request)


class ReturnFromOrganisation(oidc_views.OIDCAuthenticationCallbackView):
    """The provider sends the visitor back here with a code; a wrong state or nonce is refused
    (400, from mozilla-django-oidc's SuspiciousOperation) and signs nobody in."""

    @property
    def failure_url(self):
        return FAILURE_URL

    def get(self, request):
        if not oidc_enabled():
            raise Http404
        try:
            return super().get(request)
        except (ProviderUnavailable, requests.RequestException) as error:
            return unavailable(request, error)


def provider_logout_url(request) -> str | None:
    """Where to end the provider's session too, for someone who signed in through it."""
    if not oidc_enabled() or request.session.get(BACKEND_SESSION_KEY) != SSO_BACKEND:
        return None
    try:
        end_session = provider_configuration().get("end_session_endpoint")
    except ProviderUnavailable:
        return None
    if not end_session:
        return None
    params = {
        "client_id": settings.OIDC_CLIENT_ID,
        "post_logout_redirect_uri": request.build_absolute_uri(reverse("funding:home")),
    }
    id_token = request.session.get("oidc_id_token")
    if id_token:
        params["id_token_hint"] = id_token
    return f"{end_session}?{urlencode(params)}"
