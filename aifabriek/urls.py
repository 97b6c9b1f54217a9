from django.contrib import admin
from django.urls import include, path

from accounts.signin_views import LogoutView, SignInView
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

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("metrics", metrics_view, name="metrics"),
    path("admin/", admin.site.urls),
    # Only signing in and out: no e-mail is sent, so there is no password reset by mail, and
    # funding admins change their password in the admin.
    path("accounts/login/", SignInView.as_view(), name="login"),
    path("accounts/logout/", LogoutView.as_view(), name="logout"),
    path("accounts/", include("accounts.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("language/<slug:code>/", choose_language, name="choose_language"),
    path("", include("funding.urls")),
]
