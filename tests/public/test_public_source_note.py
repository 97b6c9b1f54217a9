"""The programme page says, per source, that its quotes were checked against it, and when; when a
check did not find them it says nothing alarming, only no note."""

from io import StringIO

from django.core.management import call_command
from django.utils import timezone
from django.utils.formats import date_format

from funding.models import Source
from tests.support.pages import html_in

PAGE = "/programmes/ai-fabriek-groningen/"


def check_sources():
    call_command("check_sources", stdout=StringIO())


def note():
    return f"Quotes checked against the source on {date_format(timezone.localdate(), 'j F Y')}."


def test_the_note_appears_after_a_check_and_the_cached_page_is_retired(client, aifabriek):
    assert "checked against the source" not in html_in(client, PAGE)  # now cached
    check_sources()
    assert html_in(client, PAGE).count(note()) == 2


def test_a_source_whose_quote_was_not_found_gets_no_note(client, aifabriek):
    source = Source.objects.get(key="defensie-investeert-ai-fabriek")
    citation = source.contributionsource_set.first()
    citation.quote = "Een zin die er niet staat."
    citation.save()
    check_sources()
    html = html_in(client, PAGE)
    assert html.count(note()) == 1
    assert "not found" not in html


def test_the_note_is_dutch_on_the_dutch_page(client, aifabriek):
    check_sources()
    html = html_in(client, PAGE, language="nl")
    assert html.count("gecontroleerd in de bron.") == 2
