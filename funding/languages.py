"""Texts in the reader's language: the English version where an admin wrote one, otherwise the
Dutch original, marked with its language so that screen readers pronounce it as Dutch.

Records keep the original in the plain field (`description`) and a version in another language
in a field named after it (`description_en`). Everything that shows a record's text asks here,
so the choice of text and the `lang` mark are made in one place (docs/decisions.md).
"""

from dataclasses import dataclass

from django.conf import settings
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

ORIGINAL_LANGUAGE = settings.LANGUAGE_CODE


def primary_language(code: str | None) -> str:
    """The language part of a code: "en" for "en-GB"."""
    return (code or ORIGINAL_LANGUAGE).split("-")[0].lower()


def page_language() -> str:
    return primary_language(get_language())


@dataclass(frozen=True)
class Text:
    """A text and the language it is written in."""

    text: str
    language: str

    def __str__(self) -> str:
        return self.text

    def __bool__(self) -> bool:
        return bool(self.text)

    @property
    def foreign(self) -> bool:
        """True when the text is not in the language of the page being rendered."""
        return primary_language(self.language) != page_language()

    @property
    def lang_attr(self) -> SafeString:
        """` lang="nl"` for an element holding a text in another language than the page."""
        if self.foreign and self.text:
            return format_html(' lang="{}"', self.language)
        return mark_safe("")

    @property
    def marked(self) -> SafeString:
        """The text, escaped, in a `<span lang="…">` when it is not in the page's language."""
        if self.foreign and self.text:
            return format_html('<span lang="{}">{}</span>', self.language, self.text)
        return conditional_escape(self.text)


def original_language(record) -> str:
    """The language of a record's plain fields: a source's own language, Dutch for the rest."""
    return getattr(record, "original_language", None) or ORIGINAL_LANGUAGE


def original(record, field: str) -> Text:
    """The text as it was written, in its own language."""
    return Text(getattr(record, field, "") or "", original_language(record))


def translated(record, field: str, language: str | None = None) -> Text | None:
    """The version of the text in `language` (the page's), or None when none was written."""
    language = primary_language(language or page_language())
    if language == primary_language(original_language(record)):
        return None
    text = getattr(record, f"{field}_{language}", "")
    return Text(text, language) if text else None


def in_language(record, field: str, language: str | None = None) -> Text:
    """The text in `language` (the page's) when there is one, otherwise the original."""
    return translated(record, field, language) or original(record, field)
