"""The cockpit as the portfolio page shows it: the shared items rendered once for everyone who
sees the same programmes with the same rights, the person's own items rendered for them.

The rows and links of the shared items are the same for everyone who sees the same programmes
and may edit the same ones, in one language, on one day, until a funding record changes: their
HTML is cached under those (funding/cache.py), so a warm portfolio page renders no row of them.
Items of the person (their proposals) are found and rendered on every request.
"""

from dataclasses import dataclass, field
from datetime import date

from django.template.loader import render_to_string
from django.utils.functional import Promise
from django.utils.safestring import SafeString, mark_safe

from funding.cache import cached
from funding.dashboards.cockpit import PROVIDERS, ShownItem, asked, programmes_key, shown_items
from funding.permissions import editable_programme_ids, visible_programme_ids

ITEMS_TEMPLATE = "funding/dashboard/_cockpit_items.html"


@dataclass
class CockpitPage:
    own: list[ShownItem]  # the person's items that found something
    shared_html: SafeString  # the shared items that found something, rendered
    counts: dict[str, int] = field(default_factory=dict)  # every item's count, by key

    @property
    def found(self) -> bool:
        return any(self.counts.values())

    @property
    def clear(self) -> list[Promise]:
        """The titles of the items that found nothing, in the cockpit's order."""
        return [p.title for p in PROVIDERS if p.key in self.counts and not self.counts[p.key]]


def build_cockpit(
    user, *, today: date, expand: str | None = None, page: str | None = None
) -> CockpitPage:
    """The cockpit for `user` today; `expand` and `page` as typed in the address."""
    expand, page_asked = asked(expand, page)
    own = shown_items(user, today=today, expand=expand, page=page_asked, per_user=True)

    def render_shared():
        items = shown_items(user, today=today, expand=expand, page=page_asked, per_user=False)
        found = [item for item in items if item.count]
        html = render_to_string(ITEMS_TEMPLATE, {"items": found}) if found else ""
        return html, {item.key: item.count for item in items}

    html, counts = cached(
        (
            "cockpit-page",
            programmes_key(visible_programme_ids(user)),
            programmes_key(editable_programme_ids(user)),  # the links differ for editors
            expand or "-",
            page_asked,
        ),
        render_shared,
        scope="staff",
        day=today,
    )
    counts = {**counts, **{item.key: item.count for item in own}}
    # Our own template's output, escaped when it was rendered.
    return CockpitPage(
        own=[item for item in own if item.count], shared_html=mark_safe(html), counts=counts
    )
