"""The badge and the framable summary that other sites embed (funding/public/embeds.py).

The summary is the one page that any site may show in a frame: X-Frame-Options is left off and
its CSP says `frame-ancestors *`; every other page keeps DENY and `frame-ancestors 'none'`.
"""

from csp.decorators import csp_replace
from django.utils import translation
from django.utils.cache import get_conditional_response
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_safe

from funding.cache import Rendered
from funding.public import embeds


def _answer(request, rendered: Rendered, *, language: str):
    response = get_conditional_response(request, etag=rendered.etag) or rendered.response()
    response["ETag"] = rendered.etag
    # Its language comes from the address (`?lang=`): how long others may keep it is
    # funding/cache_headers.py's to say.
    response["Content-Language"] = language
    return response


@require_safe
def badge(request, slug):
    language = embeds.embed_language(request.GET.get("lang"))
    with translation.override(language):
        rendered = embeds.badge(slug)
    return _answer(request, rendered, language=language)


@require_safe
@xframe_options_exempt
@csp_replace({"frame-ancestors": ["*"]})
def embed(request, slug):
    language = embeds.embed_language(request.GET.get("lang"))
    with translation.override(language):
        rendered = embeds.embed_page(slug)
    return _answer(request, rendered, language=language)
