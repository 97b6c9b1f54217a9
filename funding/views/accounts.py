"""Signing out: Django signs out on POST only; a GET (a typed or bookmarked address) asks first."""

from django.contrib.auth import views as auth_views


class LogoutView(auth_views.LogoutView):
    http_method_names = ["get", "post", "options"]
    template_name = "registration/logout_confirm.html"

    def get(self, request, *args, **kwargs):
        return self.render_to_response(self.get_context_data())
