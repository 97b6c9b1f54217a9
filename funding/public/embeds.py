"""What other sites embed: the status badge and the framable funding summary, public figures only.

Both are the same for every visitor in a language, so they are rendered once per change and
language (funding/cache.py) and answered with an ETag and a short public Cache-Control
(funding/cache_headers.py): a page elsewhere that shows the badge costs us a 304 most of the time.
"""

from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from funding.cache import HTML_TYPE, Rendered, cached
from funding.figures.summaries import FundingSummary
from funding.formatting import format_money_short, format_share
from funding.models import Programme

# Badge text is set in an 11px sans-serif; this is a generous average width of its characters,
# and `textLength` fits the text exactly into the width computed from it.
BADGE_CHAR_WIDTH = 7
BADGE_PADDING = 8
SVG_TYPE = "image/svg+xml"


def public_summary(slug: str) -> tuple[Programme, FundingSummary]:
    """A public programme with its public totals, in one query; 404 for anything else."""
    programme = get_object_or_404(
        Programme.objects.public().with_totals(public_only=True), slug=slug
    )
    return programme, FundingSummary.of(programme)


def badge_status(summary: FundingSummary) -> str:
    """ "€ 130 mln van € 200 mln toegezegd", or without a target "€ 130 mln toegezegd"."""
    committed = format_money_short(summary.committed, summary.currency)
    if not summary.target:
        return _("%(committed)s committed") % {"committed": committed}
    return _("%(committed)s of %(target)s committed") % {
        "committed": committed,
        "target": format_money_short(summary.target, summary.currency),
    }


def _text_box(text: str) -> int:
    return len(text) * BADGE_CHAR_WIDTH + 2 * BADGE_PADDING


def badge_context(programme: Programme, summary: FundingSummary) -> dict:
    name, status = programme.name, badge_status(summary)
    name_width, status_width = _text_box(name), _text_box(status)
    share = format_share(summary.committed_share)
    return {
        "name": name,
        "status": status,
        "title": f"{name}: {status}" + (f" ({share})" if share else ""),
        "name_width": name_width,
        "status_width": status_width,
        "width": name_width + status_width,
        "name_text_length": name_width - 2 * BADGE_PADDING,
        "status_text_length": status_width - 2 * BADGE_PADDING,
        "name_middle": name_width / 2,
        "status_middle": name_width + status_width / 2,
    }


def badge(slug: str) -> Rendered:
    """The SVG badge of a public programme, in the active language; 404 for anything else."""

    def build():
        programme, summary = public_summary(slug)
        context = badge_context(programme, summary)
        return Rendered.of(render_to_string("funding/badge.svg", context), SVG_TYPE)

    return cached(("badge", slug), build)


def embed_page(slug: str) -> Rendered:
    """The framable summary page of a public programme, in the active language."""

    def build():
        programme, summary = public_summary(slug)
        context = {
            "programme": programme,
            "summary": summary,
            "language": get_language(),
            "page_url": reverse("funding:programme", args=[slug]),
        }
        return Rendered.of(render_to_string("funding/embed.html", context), HTML_TYPE)

    return cached(("embed", slug), build)


def embed_snippets(request, *, slug: str, name: str) -> dict:
    """The HTML another site pastes to show the summary or the badge: absolute addresses, in
    the language of the page it is copied from (the addresses carry it: `/en/…`)."""

    def absolute(view_name):
        return request.build_absolute_uri(reverse(view_name, args=[slug]))

    embed_url = absolute("funding:embed")
    badge_url = absolute("funding:badge")
    page_url = absolute("funding:programme")
    frame_title = _("%(programme)s: funding") % {"programme": name}
    badge_alt = _("%(programme)s: funding committed of the target") % {"programme": name}
    return {
        "embed_url": embed_url,
        "badge_url": badge_url,
        "iframe": render_to_string(
            "funding/_partials/embed_iframe_code.html",
            {"url": embed_url, "title": frame_title},
        ).strip(),
        "img": render_to_string(
            "funding/_partials/embed_badge_code.html",
            {"url": badge_url, "page_url": page_url, "alt": badge_alt},
        ).strip(),
    }
