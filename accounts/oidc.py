"""Single sign-on through the organisation's OpenID Connect provider (mozilla-django-oidc).

Configured from the environment (OIDC_ISSUER, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET, ...); with no
issuer or client it is off and its addresses answer 404. The provider's endpoints come from its
discovery document, fetched at the first sign-in and kept for an hour. People are matched on the
provider's subject, never on a user name, so single sign-on cannot take over a local account.
Their groups follow the provider's claims at every sign-in (accounts/sso_groups.py).
"""

import time

import jwt
import requests
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import SuspiciousOperation
from django.db import transaction
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from accounts.models import SsoIdentity
from accounts.sso_groups import follow_claims

DISCOVERY_SECONDS = 60 * 60
_discovered: dict[str, tuple[float, dict]] = {}


class ProviderUnavailable(Exception):
    """The provider's discovery document could not be read or does not fit."""


def oidc_enabled() -> bool:
    return bool(settings.OIDC_ISSUER and settings.OIDC_CLIENT_ID)


def issuer() -> str:
    return settings.OIDC_ISSUER.rstrip("/")


def provider_configuration() -> dict:
    """The provider's `/.well-known/openid-configuration`, fetched once an hour at most."""
    url = issuer()
    cached = _discovered.get(url)
    if cached and cached[0] > time.monotonic():
        return cached[1]
    try:
        response = requests.get(
            f"{url}/.well-known/openid-configuration", timeout=settings.OIDC_TIMEOUT
        )
        response.raise_for_status()
        document = response.json()
    except (requests.RequestException, ValueError) as error:
        raise ProviderUnavailable(f"discovery at {url} failed: {error}") from error
    if str(document.get("issuer", "")).rstrip("/") != url:
        raise ProviderUnavailable(f"discovery at {url} names issuer {document.get('issuer')!r}")
    _discovered[url] = (time.monotonic() + DISCOVERY_SECONDS, document)
    return document


def endpoint(name: str) -> str:
    value = provider_configuration().get(name)
    if not value:
        raise ProviderUnavailable(f"the provider names no {name}")
    return value


class OrganisationBackend(OIDCAuthenticationBackend):
    """mozilla-django-oidc's backend, with endpoints from discovery, read only when needed.

    Django builds every backend for every sign-in, password ones included; the parent class
    would read its endpoints then, so these are properties instead.
    """

    def __init__(self, *args, **kwargs):
        self.UserModel = get_user_model()

    OIDC_OP_TOKEN_ENDPOINT = property(lambda self: endpoint("token_endpoint"))
    OIDC_OP_USER_ENDPOINT = property(lambda self: endpoint("userinfo_endpoint"))
    OIDC_OP_JWKS_ENDPOINT = property(lambda self: endpoint("jwks_uri"))
    OIDC_RP_CLIENT_ID = property(lambda self: settings.OIDC_CLIENT_ID)
    OIDC_RP_CLIENT_SECRET = property(lambda self: settings.OIDC_CLIENT_SECRET)
    OIDC_RP_SIGN_ALGO = property(lambda self: settings.OIDC_RP_SIGN_ALGO)
    OIDC_RP_IDP_SIGN_KEY = None

    def authenticate(self, request, **kwargs):
        if request is None or not oidc_enabled() or "nonce" not in kwargs:
            return None  # a password sign-in, or single sign-on is off
        return super().authenticate(request, **kwargs)

    def get_user(self, user_id):
        # Like Django's ModelBackend: a deactivated account's session ends at its next request.
        user = super().get_user(user_id)
        return user if user is not None and user.is_active else None

    def retrieve_matching_jwk(self, token):
        """The provider's signing key for this token: by its `kid`, or its only key if the token
        names none (the parent class requires a `kid`, which not every provider sends)."""
        header = jwt.get_unverified_header(token)
        response = requests.get(self.OIDC_OP_JWKS_ENDPOINT, timeout=settings.OIDC_TIMEOUT)
        response.raise_for_status()
        kid, alg = header.get("kid"), header.get("alg")
        candidates = [
            key
            for key in response.json().get("keys", [])
            if (kid is None or key.get("kid") == kid)
            and key.get("alg", alg) == alg
            and key.get("use", "sig") == "sig"
        ]
        if len(candidates) != 1:
            raise SuspiciousOperation("No single signing key of the provider fits the token.")
        return jwt.PyJWK(candidates[0], algorithm=alg)

    def get_userinfo(self, access_token, id_token, payload):
        """The user-info answer over the (verified) ID token's claims.

        Some providers (Microsoft Entra ID) put groups and roles only in the ID token.
        """
        userinfo = super().get_userinfo(access_token, id_token, payload)
        if userinfo.get("sub") != payload.get("sub"):
            raise SuspiciousOperation("The user-info answer is about someone else.")
        return {**payload, **userinfo}

    def verify_claims(self, claims):
        # A subject that SsoIdentity cannot hold fails the sign-in, never the database write.
        subject = claims.get("sub")
        return isinstance(subject, str) and 0 < len(subject) <= 255 and "\x00" not in subject

    def filter_users_by_claims(self, claims):
        return self.UserModel.objects.filter(
            sso_identity__issuer=issuer(), sso_identity__subject=claims["sub"]
        )

    @transaction.atomic
    def create_user(self, claims):
        user = self.UserModel.objects.create_user(
            username=self._free_username(claims), email=claim_text(claims, "email")
        )
        SsoIdentity.objects.create(user=user, issuer=issuer(), subject=claims["sub"])
        return self.update_user(user, claims)

    def update_user(self, user, claims):
        changed = []
        for field, claim in (
            ("first_name", "given_name"),
            ("last_name", "family_name"),
            ("email", "email"),
        ):
            value = claim_text(claims, claim)
            if value and getattr(user, field) != value:
                setattr(user, field, value)
                changed.append(field)
        if changed:
            user.save(update_fields=changed)
        follow_claims(user, claims, request=self.request)
        return user

    def _free_username(self, claims) -> str:
        """The provider's user name, with a number added when a local account has it."""
        wanted = claim_text(claims, "preferred_username") or claim_text(claims, "email")
        wanted = (wanted or claims["sub"])[:140]
        username, number = wanted, 1
        while self.UserModel.objects.filter(username=username).exists():
            number += 1
            username = f"{wanted}-{number}"
        return username


def claim_text(claims, name: str) -> str:
    """A claim as text the User model's fields hold: at most 150 characters, no NUL."""
    return str(claims.get(name) or "").replace("\x00", "")[:150]
