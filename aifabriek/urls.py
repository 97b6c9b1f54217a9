from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from accounts.signin_views import LogoutView, SignInView
from accounts.urls import sso_callback_patterns
from aifabriek.ops.health import healthz
from aifabriek.ops.metrics_view import metrics_view
from funding.public.language import choose_language

# Under /api/ every handler answers JSON, as the API's own errors do (aifabriek/ops/api_errors.py).
# The 400 also answers a Host outside ALLOWED_HOSTS, so its page never asks for the host.
handler400 = "aifabriek.ops.error_views.bad_request"
handler403 = "aifabriek.ops.error_views.permission_denied"
handler404 = "aifabriek.ops.error_views.not_found"
# A database outage met outside a view still gets the calm 503 rather than the 500 page.
handler500 = "aifabriek.ops.outage.server_error"

# Language-neutral: one answer at one address for everyone (funding/language_addresses.py).
urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("metrics", metrics_view, name="metrics"),
    # The admin follows its user's language preference (docs/decisions.md).
    path("admin/", admin.site.urls),
    path("", include("funding.api_urls")),
    # The identity provider knows the callback by its full address: one address.
    path("accounts/", include(sso_callback_patterns)),
    # Django's language form (a POST), for the admin's preference; it sends a page's address on
    # to that page in the chosen language.
    path("i18n/", include("django.conf.urls.i18n")),
    # The old language links: they now send the visitor to the page's address in that language.
    path("language/<slug:code>/", choose_language, name="choose_language"),
]

# Every page a person reads: Dutch without a prefix, English under /en/.
urlpatterns += i18n_patterns(
    # Only signing in and out: no e-mail is sent, so there is no password reset by mail, and
    # funding admins change their password in the admin.
    path("accounts/login/", SignInView.as_view(), name="login"),
    path("accounts/logout/", LogoutView.as_view(), name="logout"),
    path("accounts/", include("accounts.urls")),
    path("", include("funding.urls")),
    prefix_default_language=False,
)
