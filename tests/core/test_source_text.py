"""A quoted passage is found in its source's text whatever the typography, and only then."""

import pytest

from funding.source_archive import text_of
from funding.source_text import html_to_text, passage_found

TEXT = "Het kabinet zegt: “Dit is een 'mooie' dag” — en de AI\u00adfabriek\u00a0start   in\n2026."


@pytest.mark.parametrize(
    "passage",
    [
        "Het kabinet zegt: \"Dit is een 'mooie' dag\" - en de AIfabriek start in 2026.",
        "zegt: “Dit is een ‘mooie’ dag” – en",
        "de AIfabriek start in 2026",
        "  Het   kabinet\nzegt:  ",
        "Het kabinet … start in 2026.",
        "Het kabinet [...] de AIfabriek",
    ],
)
def test_a_passage_is_found_whatever_its_quotes_dashes_and_spaces(passage):
    assert passage_found(passage, TEXT)


@pytest.mark.parametrize(
    "passage",
    [
        "het kabinet zegt",  # the source's capitals are part of its words
        "Het kabinet zegt niets",
        "start in 2026 … Het kabinet",  # the parts around an ellipsis stand in order
        "…",
        "",
    ],
)
def test_a_passage_that_the_text_does_not_hold_is_not_found(passage):
    assert not passage_found(passage, TEXT)


def test_html_becomes_the_text_a_reader_sees():
    page = (
        "<html><head><title>Titel</title><script>var x = 'geheim';</script></head>"
        "<body><h1>Kop</h1><p>Een <em>zin</em> met&nbsp;tekst &amp; meer.</p>"
        "<style>p {}</style><ul><li>een</li><li>twee</li></ul></body></html>"
    )
    assert html_to_text(page) == "Kop\nEen zin met tekst & meer.\neen\ntwee"


@pytest.mark.parametrize(
    ("body", "content_type", "text"),
    [
        (b"<p>caf\xc3\xa9</p>", "text/html; charset=utf-8", "café"),
        (b"<p>caf\xe9</p>", "text/html; charset=iso-8859-1", "café"),
        (b"<p>caf\xe9</p>", "text/html", "café"),  # no charset and not UTF-8: Windows-1252
        (b"een\n\n  twee  ", "text/plain", "een\ntwee"),
        (b"<p>zonder type</p>", "", "zonder type"),
        (b"%PDF-1.4", "application/pdf", None),
        (b"\x89PNG", "", None),
    ],
)
def test_the_text_of_an_answer_follows_its_type(body, content_type, text):
    assert text_of(body, content_type) == text
