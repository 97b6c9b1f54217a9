"""Signing out: Django signs out on POST only; a GET (a typed or bookmarked address) asks first.

Someone who signed in through the organisation's provider is signed out there too, where the
provider offers it (its `end_session_endpoint`).
"""

from django.contrib.auth import views as auth_views
from django.http import HttpResponseRedirect

from accounts.forms import SignInForm
from accounts.oidc import oidc_enabled
from accounts.sso_views import provider_logout_url


class SignInView(auth_views.LoginView):
    """The password form, and "Sign in with your organisation" where single sign-on is on."""

    authentication_form = SignInForm

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "sso_enabled": oidc_enabled(),
            "sso_failed": self.request.GET.get("sso") == "failed",
        }


class LogoutView(auth_views.LogoutView):
    http_method_names = ["get", "post", "options"]
    template_name = "registration/logout_confirm.html"

    def get(self, request, *args, **kwargs):
        return self.render_to_response(self.get_context_data())

    def post(self, request, *args, **kwargs):
        at_provider = provider_logout_url(request)  # read before the session is gone
        response = super().post(request, *args, **kwargs)
        return HttpResponseRedirect(at_provider) if at_provider else response
