"""The public change log of a programme: its context builder, which tests call without HTTP."""

from dataclasses import dataclass
from datetime import date

from django.shortcuts import get_object_or_404

from funding.changes.entries import change_entries
from funding.changes.index import entry_keys, entry_of_anchor, entry_position
from funding.figures.as_of import programme_as_of
from funding.figures.listings import PageOf
from funding.models import Programme

CHANGES_PAGE_SIZE = 25


@dataclass(frozen=True)
class ChangeLog:
    programme: Programme
    as_of: date | None
    page: PageOf  # its items are ChangeEntry


def change_log(
    slug: str, *, page: int | None = None, page_size: int = CHANGES_PAGE_SIZE
) -> ChangeLog:
    """One page of a public programme's change log, newest first; 404 for unknown slugs.

    A page past the end gives the last page, as the site's other lists do.
    """
    programme = get_object_or_404(Programme.objects.public(), slug=slug)
    number = page or 1
    keys, count = entry_keys(programme, offset=(number - 1) * page_size, limit=page_size)
    pages = max((count + page_size - 1) // page_size, 1)
    if number > pages:
        number = pages
        keys, count = entry_keys(programme, offset=(number - 1) * page_size, limit=page_size)
    entries = change_entries(programme, keys)
    return ChangeLog(
        programme=programme,
        as_of=programme_as_of(programme, public_only=True),
        page=PageOf(entries, number, pages, count),
    )


def page_of_entry(slug: str, anchor: str, *, page_size: int = CHANGES_PAGE_SIZE) -> int | None:
    """The page of the log that holds the entry with this anchor; None when it is not listed
    (or names nothing). 404 for unknown slugs."""
    programme = get_object_or_404(Programme.objects.public(), slug=slug)
    entry = entry_of_anchor(anchor)
    if entry is None:
        return None
    kind, pk = entry
    position = entry_position(programme, kind=kind, pk=pk)
    return None if position is None else position // page_size + 1
