from django.urls import path

from accounts import sso_views, views

# Served in each language (aifabriek/urls.py): the pages of signing in that a person reads.
urlpatterns = [
    # Single sign-on; the provider is told the callback's full address as redirect URI.
    path(
        "oidc/authenticate/",
        sso_views.SignInWithOrganisation.as_view(),
        name="oidc_authentication_init",
    ),
    path("two-factor/", views.verify, name="two_factor_verify"),
    path("two-factor/setup/", views.SetupView.as_view(), name="two_factor_setup"),
    path("two-factor/setup/qr/", views.QRGeneratorView.as_view(), name="two_factor_qr"),
    path("two-factor/setup/complete/", views.setup_complete, name="two_factor_setup_complete"),
    path(
        "two-factor/recovery-codes/",
        views.RecoveryCodesView.as_view(),
        name="two_factor_recovery_codes",
    ),
]

# One address in every language: the identity provider was told it as the redirect URI.
sso_callback_patterns = [
    path(
        "oidc/callback/",
        sso_views.ReturnFromOrganisation.as_view(),
        name="oidc_authentication_callback",
    ),
]
