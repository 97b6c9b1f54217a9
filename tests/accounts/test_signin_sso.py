"""Single sign-on against a real OpenID Connect provider on loopback (oidc-provider-mock)."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.auth.models import User

from accounts.models import SignInEvent, SsoIdentity
from funding.permissions import FUNDING_ADMINS, POLICY_STAFF
from tests.support.oidc_provider import (
    ADMIN_VALUE,
    ISSUER,
    POLICY_VALUE,
    authorize_at_provider,
    set_claims,
    sign_in_with_organisation,
)
from tests.support.pages import address_in
from tests.support.users import PASSWORD, make_user

pytestmark = pytest.mark.django_db


def group_names(user):
    return set(user.groups.values_list("name", flat=True))


def test_single_sign_on_is_off_and_absent_when_not_configured(client, db):
    assert client.get("/accounts/oidc/authenticate/").status_code == 404
    assert client.get("/accounts/oidc/callback/?code=x&state=y").status_code == 404
    page = client.get(address_in("/accounts/login/", "en")).content.decode()
    assert "Sign in with your organisation" not in page


def test_sign_in_page_offers_the_organisation_beside_the_password(client, sso):
    page = client.get(address_in("/accounts/login/", "en")).content.decode()
    assert 'href="/en/accounts/oidc/authenticate/"' in page
    assert "Sign in with your organisation" in page
    assert 'id="id_password"' in page


def test_policy_staff_claim_signs_in_to_the_dashboards(client, sso):
    response = sign_in_with_organisation(
        client,
        "anna@ez.example",
        groups=[POLICY_VALUE],
        preferred_username="anna",
        given_name="Anna",
    )
    assert response.status_code == 302
    assert response["Location"] == "/dashboard/"
    assert client.get("/dashboard/").status_code == 200
    user = User.objects.get(sso_identity__subject="anna@ez.example")
    assert (user.username, user.first_name, user.is_staff) == ("anna", "Anna", False)
    assert group_names(user) == {POLICY_STAFF}
    assert not user.has_usable_password()
    assert SsoIdentity.objects.get(user=user).issuer == ISSUER
    signed_in = SignInEvent.objects.get(kind="signed_in")
    assert (signed_in.user, signed_in.detail) == (user, "single sign-on")
    changed = SignInEvent.objects.get(kind="groups_changed")
    assert changed.detail == "added: Policy staff"


def test_admin_claim_gives_the_admin_after_the_second_factor(client, sso, settings):
    settings.ADMIN_REQUIRE_2FA = True
    sign_in_with_organisation(client, "bram@ez.example", groups=[ADMIN_VALUE, "other"])
    user = User.objects.get(sso_identity__subject="bram@ez.example")
    assert group_names(user) == {FUNDING_ADMINS}
    assert user.is_staff
    response = client.get("/admin/", follow=True)
    assert response.redirect_chain[-1][0] == "/accounts/two-factor/setup/?next=%2Fadmin%2F"


def test_provider_mfa_is_trusted_only_where_the_setting_says_so(client, sso, settings):
    settings.ADMIN_REQUIRE_2FA = True
    settings.OIDC_TRUST_PROVIDER_MFA = True
    sign_in_with_organisation(client, "cor@ez.example", groups=[ADMIN_VALUE])
    assert client.get("/admin/").status_code == 200


def test_claims_for_no_group_sign_in_and_get_the_403_page(client, sso):
    sign_in_with_organisation(client, "dirk@ez.example", groups=["canteen"])
    assert "_auth_user_id" in client.session
    page = client.get(address_in("/dashboard/", "en"))
    assert page.status_code == 403
    assert "ask whoever manages your organisation's accounts" in page.content.decode()


def test_a_changed_claim_removes_the_group_at_the_next_sign_in(client, sso):
    sign_in_with_organisation(client, "eva@ez.example", groups=[ADMIN_VALUE, POLICY_VALUE])
    user = User.objects.get(sso_identity__subject="eva@ez.example")
    assert group_names(user) == {FUNDING_ADMINS, POLICY_STAFF}
    client.post("/accounts/logout/")

    sign_in_with_organisation(client, "eva@ez.example", groups=[POLICY_VALUE])
    user.refresh_from_db()
    assert group_names(user) == {POLICY_STAFF}
    assert not user.is_staff
    assert User.objects.filter(sso_identity__subject="eva@ez.example").count() == 1
    removed = SignInEvent.objects.filter(kind="groups_changed").latest("pk")
    assert removed.detail == "removed: Funding admins"


def test_a_local_account_of_the_same_name_is_never_taken_over(client, sso):
    local = make_user("frank", FUNDING_ADMINS, is_staff=True)
    sign_in_with_organisation(
        client, "frank@elsewhere.example", groups=[], preferred_username="frank"
    )
    signed_in = User.objects.get(pk=client.session["_auth_user_id"])
    assert signed_in != local
    assert signed_in.username == "frank-2"
    assert local.check_password(PASSWORD)
    assert group_names(local) == {FUNDING_ADMINS}


def test_a_callback_with_a_wrong_state_is_refused(client, sso):
    set_claims("gert@ez.example", groups=[ADMIN_VALUE])
    callback = authorize_at_provider(client, "gert@ez.example")
    url = urlsplit(callback)
    query = parse_qs(url.query)
    forged = f"{url.path}?code={query['code'][0]}&state=not-the-state-we-sent"
    assert client.get(forged).status_code == 400
    assert "_auth_user_id" not in client.session
    assert not User.objects.filter(sso_identity__subject="gert@ez.example").exists()


def test_a_callback_whose_token_carries_another_nonce_is_refused(client, sso):
    set_claims("hans@ez.example", groups=[ADMIN_VALUE])
    callback = authorize_at_provider(client, "hans@ez.example")
    # The provider signs the nonce we sent into the ID token; pretend we sent another.
    session = client.session
    for state in session["oidc_states"].values():
        state["nonce"] = "a-nonce-we-never-sent"
    session.save()
    assert client.get(callback).status_code == 400
    assert "_auth_user_id" not in client.session
    assert not User.objects.filter(sso_identity__subject="hans@ez.example").exists()


def test_a_callback_without_a_started_sign_in_signs_nobody_in(client, sso):
    response = client.get("/accounts/oidc/callback/?code=abc&state=def")
    assert response["Location"] == "/accounts/login/?sso=failed"
    assert "_auth_user_id" not in client.session
    page = client.get(address_in(response["Location"], "en"))
    assert "Signing in with your organisation did not succeed." in page.content.decode()


def test_signing_out_ends_the_providers_session_too(client, sso):
    sign_in_with_organisation(client, "ida@ez.example", groups=[POLICY_VALUE])
    response = client.post("/accounts/logout/")
    assert "_auth_user_id" not in client.session
    location = urlsplit(response["Location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == (
        f"{ISSUER}/oauth2/end_session"
    )
    query = parse_qs(location.query)
    assert query["post_logout_redirect_uri"] == ["http://testserver/"]
    assert query["id_token_hint"][0].count(".") == 2  # the ID token we were given


def test_password_sign_out_stays_local(client, sso, policy_staff):
    client.post("/accounts/login/", {"username": "policy", "password": PASSWORD})
    assert client.post("/accounts/logout/")["Location"] == "/"


def test_an_unreachable_provider_gives_a_page_not_an_error(client, db, settings):
    from accounts import oidc

    oidc._discovered.clear()
    settings.OIDC_ISSUER = "http://127.0.0.1:8859"  # nothing listens here
    settings.OIDC_CLIENT_ID = "funding-tracker"
    response = client.get(address_in("/accounts/oidc/authenticate/", "en"))
    assert response.status_code == 503
    assert "Your organisation cannot be reached" in response.content.decode()


@pytest.mark.parametrize("path", ["/accounts/login/", "/admin/login/"])
def test_break_glass_password_sign_in_still_works_with_sso_on(client, sso, funding_admin, path):
    response = client.post(path, {"username": "controller", "password": PASSWORD})
    assert response.status_code == 302
    assert "_auth_user_id" in client.session


def test_claims_of_the_id_token_count_where_the_user_info_lacks_them(monkeypatch):
    from django.core.exceptions import SuspiciousOperation
    from mozilla_django_oidc.auth import OIDCAuthenticationBackend

    from accounts.oidc import OrganisationBackend

    monkeypatch.setattr(
        OIDCAuthenticationBackend,
        "get_userinfo",
        lambda self, access_token, id_token, payload: {"sub": "x", "email": "x@ez.example"},
    )
    backend = OrganisationBackend()
    claims = backend.get_userinfo("access", "id", {"sub": "x", "groups": [ADMIN_VALUE]})
    assert claims == {"sub": "x", "email": "x@ez.example", "groups": [ADMIN_VALUE]}
    with pytest.raises(SuspiciousOperation):
        backend.get_userinfo("access", "id", {"sub": "someone-else"})


def test_a_deactivated_account_is_signed_out_at_its_next_request(client, sso):
    sign_in_with_organisation(client, "jan@ez.example", groups=[POLICY_VALUE])
    assert client.get("/dashboard/").status_code == 200
    # As the admin's user form does it: saved, which retires what the cache held of the user.
    user = User.objects.get(sso_identity__subject="jan@ez.example")
    user.is_active = False
    user.save()
    assert client.get("/dashboard/").status_code == 302
