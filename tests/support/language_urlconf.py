"""A URLconf with the language in the address (`i18n_patterns`, Dutch unprefixed), for the tests
that check what the caching headers do once the site's own pages are addressed this way."""

from django.conf.urls.i18n import i18n_patterns
from django.http import HttpResponse
from django.urls import path
from django.utils.translation import get_language


def statement(request):
    return HttpResponse(f"statement in {get_language()}")


urlpatterns = i18n_patterns(
    path("toegankelijkheid/", statement, name="accessibility"), prefix_default_language=False
)
