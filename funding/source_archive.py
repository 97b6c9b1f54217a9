"""A source's text as it stands today: fetched from its address, or the text shipped with the
software for a source that has none (the shipped data set's press releases).

`archive(source, fetcher)` returns what to keep as the source's snapshot; recording it and
checking the quotes against it is `funding.source_checks`.
"""

import hashlib
import ipaddress
import re
from dataclasses import dataclass, field

from django.conf import settings

from aifabriek.ops.safe_fetch import Fetcher, FetchPolicy, Outcome
from funding.dataset import DEFAULT_DATA_FILE
from funding.models import SnapshotOrigin, SnapshotOutcome, Source
from funding.source_text import decode, html_to_text, tidy

# The texts of the sources that have no address: file name = the source's key.
SHIPPED_TEXTS = DEFAULT_DATA_FILE.parent / "sources"
HTML_TYPES = ("text/html", "application/xhtml+xml")
KEY = re.compile(r"^[-a-zA-Z0-9_]+$")


@dataclass
class Archived:
    """A snapshot before it is recorded: the fields of `SourceSnapshot` that the fetch decides."""

    origin: str
    outcome: str
    url: str = ""
    final_url: str = ""
    redirects: list = field(default_factory=list)
    http_status: int | None = None
    content_type: str = ""
    detail: str = ""
    text: str = ""

    @property
    def sha256(self) -> str:
        if self.outcome != SnapshotOutcome.OK:
            return ""
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()


def user_agent() -> str:
    """The polite User-Agent of the check: what it is, and whom a site's operator may write to."""
    contact = settings.SOURCE_CHECK_CONTACT or "the operator of this installation"
    return (
        f"MonitorPubliekeFinanciering-SourceCheck/0.1 (checks quoted passages; contact: {contact})"
    )


def fetch_policy() -> FetchPolicy:
    """The limits of a source fetch, from the settings (SOURCE_CHECK_*)."""
    return FetchPolicy(
        user_agent=user_agent(),
        timeout=settings.SOURCE_CHECK_TIMEOUT,
        max_bytes=settings.SOURCE_CHECK_MAX_BYTES,
        max_redirects=settings.SOURCE_CHECK_MAX_REDIRECTS,
        allow_private=settings.SOURCE_CHECK_ALLOW_PRIVATE,
        allowed_networks=tuple(
            ipaddress.ip_network(entry, strict=False)
            for entry in settings.SOURCE_CHECK_ALLOWED_NETWORKS
        ),
        pause=settings.SOURCE_CHECK_PAUSE,
    )


def shipped_text(source: Source) -> str | None:
    """The text shipped for a source (funding/data/sources/<key>.txt), None when there is none."""
    if not KEY.match(source.key):
        return None
    path = SHIPPED_TEXTS / f"{source.key}.txt"
    return path.read_text(encoding="utf-8") if path.is_file() else None


def archive(source: Source, fetcher: Fetcher) -> Archived:
    """The source's text today, and how it was obtained."""
    if not source.url:
        text = shipped_text(source)
        if text is None:
            return Archived(
                origin=SnapshotOrigin.SHIPPED,
                outcome=SnapshotOutcome.UNAVAILABLE,
                detail="The source has no address and no text shipped with the software.",
            )
        return Archived(
            origin=SnapshotOrigin.SHIPPED,
            outcome=SnapshotOutcome.OK,
            url=f"funding/data/sources/{source.key}.txt",
            text=tidy(text),
        )
    fetched = fetcher.fetch(source.url)
    archived = Archived(
        origin=SnapshotOrigin.ADDRESS,
        outcome=fetched.outcome,
        url=fetched.url,
        final_url=fetched.final_url,
        redirects=fetched.redirects,
        http_status=fetched.status,
        content_type=fetched.content_type[:200],
        detail=fetched.detail[:300],
    )
    if fetched.outcome == Outcome.OK:
        text = text_of(fetched.body, fetched.content_type)
        if text is None:
            archived.outcome = SnapshotOutcome.NOT_TEXT
            archived.detail = f"not a web page or text ({archived.content_type or 'no type'})"
        else:
            archived.text = text
    return archived


def text_of(body: bytes, content_type: str) -> str | None:
    """The readable text of an answer; None for what is not text (a PDF, an image)."""
    media = content_type.split(";", 1)[0].strip().lower()
    if not media:
        # No type given: a page starts with markup; anything else is not taken as text.
        media = "text/html" if body.lstrip()[:1] == b"<" else ""
    if media in HTML_TYPES:
        return html_to_text(decode(body, content_type))
    if media == "text/plain":
        return tidy(decode(body, content_type))
    return None
