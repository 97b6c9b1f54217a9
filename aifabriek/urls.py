from django.contrib import admin
from django.urls import include, path

from funding.views.accounts import LogoutView, SignInView
from funding.views.health import healthz
from funding.views.language import choose_language
from funding.views.metrics import metrics_view

# Under /api/ every handler answers JSON, as the API's own errors do (funding/api_errors.py).
# The 400 also answers a Host outside ALLOWED_HOSTS, so its page never asks for the host.
handler400 = "funding.views.errors.bad_request"
handler403 = "funding.views.errors.permission_denied"
handler404 = "funding.views.errors.not_found"
# A database outage met outside a view still gets the calm 503 rather than the 500 page.
handler500 = "funding.outage.server_error"

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
