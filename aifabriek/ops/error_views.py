"""The site's error handlers: JSON under /api/ (aifabriek/ops/api_errors.py), pages elsewhere.

The 500 handler is aifabriek.ops.outage.server_error, which tells a database outage from a bug.
"""

from django.http import HttpResponseBadRequest
from django.template.loader import render_to_string
from django.views import defaults

from aifabriek.ops.api_errors import api_error, is_api


def bad_request(request, exception=None):
    """The 400, also for a Host outside ALLOWED_HOSTS: nothing here may ask for the host."""
    if is_api(request):
        return api_error(request, 400)
    # Rendered without the request, as the 500 page is: a refused request's host raises again,
    # and its context processors would read the session and the user.
    return HttpResponseBadRequest(render_to_string("400.html"))


def permission_denied(request, exception=None):
    if is_api(request):
        return api_error(request, 403)
    return defaults.permission_denied(request, exception)


def not_found(request, exception=None):
    if is_api(request):
        return api_error(request, 404)
    return defaults.page_not_found(request, exception)
