"""The badge and the framable summary that other sites embed (funding/public/embeds.py).

The summary is the one page that any site may show in a frame: X-Frame-Options is left off and
its CSP says `frame-ancestors *`; every other page keeps DENY and `frame-ancestors 'none'`.
"""

from functools import wraps

from csp.decorators import csp_replace
from django.conf import settings
from django.http import HttpResponsePermanentRedirect
from django.utils.cache import get_conditional_response
from django.utils.translation import get_language
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_safe

from funding.cache import Rendered
from funding.language_addresses import address_in
from funding.public import embeds


def _answer(request, rendered: Rendered):
    response = get_conditional_response(request, etag=rendered.etag) or rendered.response()
    response["ETag"] = rendered.etag
    # How long others may keep it is funding/cache_headers.py's to say; its language, the
    # address's (Content-Language from funding/language_addresses.py).
    return response


def language_by_address(view):
    """The badge and the embed were once chosen in a language with `?lang=`, and sites have
    pasted those addresses: one is sent on, permanently, to the address in that language
    (an unknown `lang` to the address without it)."""

    @wraps(view)
    def answer(request, slug):
        if "lang" not in request.GET:
            return view(request, slug)
        query = request.GET.copy()
        requested = query.pop("lang")[-1]
        language = requested if requested in dict(settings.LANGUAGES) else get_language()
        target = address_in(request.path, language) or request.path
        return HttpResponsePermanentRedirect(f"{target}?{query.urlencode()}" if query else target)

    return answer


@require_safe
@language_by_address
def badge(request, slug):
    return _answer(request, embeds.badge(slug))


@require_safe
@language_by_address
@xframe_options_exempt
@csp_replace({"frame-ancestors": ["*"]})
def embed(request, slug):
    return _answer(request, embeds.embed_page(slug))
