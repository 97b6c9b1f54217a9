"""The Atom feed of a programme: its milestone changes and funding status changes, newest first.

Its entries are the change log's status, milestone and date estimate entries (the log's rule of
what is public, in `funding.changes.index`), read with the records' own words for a feed reader.
"""

from dataclasses import dataclass
from datetime import datetime

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import condition, require_safe

from funding.cache import Rendered, cached
from funding.changes.entries import entry_rows
from funding.changes.index import EntryKey, newest_entry_keys
from funding.fuzzydate import FuzzyDate
from funding.history.registry import STATUS
from funding.languages import in_language
from funding.models import Programme

ENTRIES = 50


@dataclass(frozen=True)
class FeedEntry:
    anchor: str  # unique within the programme: "status-event-12"
    title: str
    description: str
    updated: datetime


@dataclass(frozen=True)
class FeedData:
    slug: str
    name: str
    entries: list[FeedEntry]


@dataclass(frozen=True)
class FeedItem:
    entry: FeedEntry
    guid: str
    link: str


def _cited(source, quote: str) -> str:
    if source is None:
        return ""
    text = _("Source: %(source)s.") % {"source": str(source)}
    return f"{text} “{quote}”" if quote else text


def _status_entry(key: EntryKey, event) -> FeedEntry:
    funder = event.contribution.funder_label_in_language()
    description = [_cited(event.source, event.quote), event.note]
    if event.effective_on:
        description.insert(
            0,
            _("Took effect on %(date)s.") % {"date": date_format(event.effective_on, "j F Y")},
        )
    return FeedEntry(
        anchor=key.anchor,
        title=_("Funding from %(funder)s: %(status)s")
        % {"funder": funder, "status": event.get_status_display()},
        description=" ".join(part for part in description if part),
        updated=event.recorded_at,
    )


def _milestone_entry(key: EntryKey, change) -> FeedEntry:
    title = _("Milestone added: %(title)s (%(status)s)")
    if change.history_type == "~":
        title = _("Milestone updated: %(title)s (%(status)s)")
    return FeedEntry(
        anchor=key.anchor,
        title=title
        % {"title": in_language(change, "title"), "status": change.get_status_display()},
        description=" ".join(
            str(part)
            for part in [in_language(change, "description"), _cited(change.source, change.quote)]
            if part
        ),
        updated=change.history_date,
    )


def _estimate_entry(key: EntryKey, change) -> FeedEntry:
    return FeedEntry(
        anchor=key.anchor,
        title=_("Expected date for %(milestone)s: %(date)s")
        % {
            "milestone": in_language(change.milestone, "title"),
            "date": FuzzyDate(change.precision, change.year, change.period, change.day).label(),
        },
        description=_cited(change.source, change.quote),
        updated=change.history_date,
    )


# The kinds of the change log the feed announces, in its own words; the entries' anchors are the
# log's (funding/history/registry.py).
ENTRY_OF = {STATUS: _status_entry, "milestone": _milestone_entry, "estimate": _estimate_entry}


def feed_entries(programme: Programme) -> list[FeedEntry]:
    """The newest status, milestone and estimate entries of the programme's change log.

    The log decides what is public (`funding.changes.index`), so the feed never shows a change
    the log hides, such as one recorded while its record was not public. A removed estimate is
    in the log but not announced: the feed names dates, and a removed one no longer holds.
    """
    keys = newest_entry_keys(programme, kinds=list(ENTRY_OF), limit=ENTRIES)
    rows = entry_rows(keys, previous=False)
    entries = []
    for key in keys:
        row = rows[(key.kind, key.pk)]
        if getattr(row, "history_type", None) != "-":
            entries.append(ENTRY_OF[key.kind](key, row))
    return entries


def programme_feed_data(slug: str) -> FeedData:
    """The feed's entries for a public programme, newest first; 404 for unknown slugs."""
    programme = get_object_or_404(Programme.objects.public(), slug=slug)
    return FeedData(
        slug=programme.slug,
        name=in_language(programme, "name").text,
        entries=feed_entries(programme),
    )


class ProgrammeFeed(Feed):
    feed_type = Atom1Feed

    def get_object(self, request, slug):
        # Read only when the feed's XML is not cached (rendered_feed): not cached on its own.
        data = programme_feed_data(slug)
        page_url = request.build_absolute_uri(reverse("funding:programme", args=[slug]))
        changes_url = request.build_absolute_uri(reverse("funding:changes", args=[slug]))
        # Entry ids are stable fragments of the programme page's address; entries link to the
        # change log, which sends the reader to the page holding the entry (changes/views.py).
        return data, [
            FeedItem(
                entry,
                guid=f"{page_url}#{entry.anchor}",
                link=f"{changes_url}?{urlencode({'entry': entry.anchor})}",
            )
            for entry in data.entries
        ]

    def title(self, obj):
        return _("%(programme)s: changes") % {"programme": obj[0].name}

    def subtitle(self, obj):
        return _("Milestone and funding status changes of %(programme)s, newest first.") % {
            "programme": obj[0].name
        }

    def link(self, obj):
        return reverse("funding:programme", args=[obj[0].slug])

    def author_name(self):
        return _("Public funding tracker")

    def items(self, obj):
        return obj[1]

    def item_title(self, item):
        return item.entry.title

    def item_description(self, item):
        # Atom readers take the summary as HTML; the entry's text is plain.
        return escape(item.entry.description)

    def item_link(self, item):
        return item.link

    def item_guid(self, item):
        return item.guid

    def item_updateddate(self, item):
        return item.entry.updated


PROGRAMME_FEED = ProgrammeFeed()


def rendered_feed(request, slug) -> Rendered:
    """The feed's XML, rendered once per change, language and site address (its links are
    absolute); Http404 for a slug that is not a public programme."""

    def build():
        response = PROGRAMME_FEED(request, slug)
        return Rendered.of(response.content, response["Content-Type"])

    return cached(("feed", slug), build, address=request.build_absolute_uri("/"))


@require_safe
@condition(etag_func=lambda request, slug: rendered_feed(request, slug).etag)
def programme_feed(request, slug):
    """The Atom feed; readers that send the ETag back get 304 until something changed."""
    return rendered_feed(request, slug).response()
