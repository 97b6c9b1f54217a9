"""The old language links, `/language/<code>/?next=<page>`: addresses people may have kept.

The language is now in the address (funding/language_addresses.py) and the pages link straight
to their other language. An old link is sent on, permanently, to the page it named in the
language it named; it sets no cookie (only the admin still reads one, and chooses with Django's
form at /i18n/setlang/).
"""

from django.conf import settings
from django.http import Http404, HttpResponsePermanentRedirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_safe

from funding.language_addresses import address_in


@require_safe
def choose_language(request, code):
    if code not in dict(settings.LANGUAGES):
        raise Http404
    back = request.GET.get("next", "/")
    if not url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        back = "/"
    return HttpResponsePermanentRedirect(address_in(back, code) or back)
