from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from funding.views.accounts import LogoutView
from funding.views.health import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    # Only signing in and out: no e-mail is sent, so there is no password reset by mail, and
    # funding admins change their password in the admin.
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("funding.urls")),
]
