"""English texts next to the Dutch originals: on the pages, in the open data, in the admin and in
the shipped data set, with the Dutch marked lang="nl" wherever it stands in for a missing one."""

import json
import re
from io import StringIO

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from funding.dataset import DEFAULT_DATA_FILE, load_data_file
from funding.languages import in_language, original
from funding.models import Contribution, Milestone, Programme, Source
from tests.support.admin_forms import form_data, sign_in_in_english
from tests.support.factories import ProgrammeFactory
from tests.support.pages import address_in, get_in
from tests.support.query_counts import COLD_QUERIES
from tests.support.scale import big_programme, many_programmes

pytestmark = pytest.mark.django_db
PAGE = "/programmes/ai-fabriek-groningen/"
API = "/api/programmes/ai-fabriek-groningen/"
ENGLISH_DESCRIPTION = "A Dutch AI factory in Groningen: an innovation hub where entrepreneurs"
DUTCH_DESCRIPTION = "Een Nederlandse AI-fabriek in Groningen: een innovatiehub"


def element_holding(html: str, text: str) -> str:
    """The opening tag of the innermost element whose text starts with `text`."""
    match = re.search(r"(<\w+[^<>]*>)\s*" + re.escape(text), html)
    assert match, text
    return match.group(1)


def test_english_page_shows_the_english_description_in_the_pages_language(client, aifabriek):
    html = get_in(client, PAGE, "en").content.decode()
    assert '<html lang="en"' in html
    tag = element_holding(html, ENGLISH_DESCRIPTION)
    assert tag.startswith('<p class="utrecht-paragraph lead">')
    assert "lang=" not in tag
    assert DUTCH_DESCRIPTION not in html


def test_english_page_shows_english_titles_names_and_instruments(client, aifabriek):
    html = get_in(client, PAGE, "en").content.decode()
    assert '<h1 class="utrecht-heading-1">AI Factory Groningen</h1>' in html
    assert "<title>AI Factory Groningen · " in html
    assert '<h3 class="timeline__title">Supercomputer runs at full power</h3>' in html
    assert ">European co-financing application</td>" in html
    assert ">European Union" in html
    assert "Co-applicant for the European co-financing" in html


def test_quotes_stay_in_dutch_marked_lang_nl_on_the_english_page(client, aifabriek):
    html = get_in(client, PAGE, "en").content.decode()
    quotes = re.findall(r"<blockquote([^>]*)>", html)
    assert len(quotes) > 5
    assert all('lang="nl"' in attributes for attributes in quotes)
    assert element_holding(html, "“Het kabinet draagt €70 miljoen bij").startswith(
        '<blockquote lang="nl"'
    )


def test_source_titles_keep_the_dutch_original_with_the_english_rendering(client, aifabriek):
    html = get_in(client, PAGE, "en").content.decode()
    assert (
        '<span lang="nl">Defensie investeert in AI-fabriek in Groningen</span></strong> '
        '<span class="muted">(in English: Defence invests in AI factory in Groningen)</span>'
    ) in html


def test_text_without_english_falls_back_to_dutch_marked_lang_nl(client, db):
    ProgrammeFactory(
        slug="dutch-only", name="Alleen Nederlands", description="Een Nederlandse beschrijving"
    )
    html = get_in(client, "/programmes/dutch-only/", "en").content.decode()
    assert '<h1 class="utrecht-heading-1" lang="nl">Alleen Nederlands</h1>' in html
    assert '<p class="utrecht-paragraph lead" lang="nl">Een Nederlandse beschrijving</p>' in html


def test_dutch_page_shows_the_dutch_texts_unmarked(client, aifabriek):
    html = get_in(client, PAGE, "nl").content.decode()
    assert '<html lang="nl"' in html
    tag = element_holding(html, DUTCH_DESCRIPTION)
    assert tag == '<p class="utrecht-paragraph lead">'
    assert '<h1 class="utrecht-heading-1">AI-fabriek Groningen</h1>' in html
    assert ENGLISH_DESCRIPTION not in html
    assert "in English:" not in html
    assert "Supercomputer runs at full power" not in html


def test_api_gives_the_dutch_original_and_the_english_text_side_by_side(client, aifabriek):
    programme = json.loads(client.get(API).content)
    assert programme["text_language"] == "nl"
    assert programme["description"].startswith(DUTCH_DESCRIPTION)
    assert programme["description_en"].startswith(ENGLISH_DESCRIPTION)
    assert (programme["name"], programme["name_en"]) == (
        "AI-fabriek Groningen",
        "AI Factory Groningen",
    )
    milestone = programme["milestones"][-1]
    assert (milestone["title"], milestone["title_en"]) == (
        "Supercomputer draait op volle kracht",
        "Supercomputer runs at full power",
    )
    eu = next(c for c in programme["contributions"] if c["key"] == "eu-cofinanciering")
    assert eu["instrument_en"] == "European co-financing application"
    assert eu["funder"]["name_en"] == "European Union"
    assert eu["sources"][0]["title_en"] == (
        "The Netherlands commits to €200 million for AI factory in Groningen"
    )
    # Quotes have no English version: they are the sources' own words.
    assert "quote_en" not in eu["sources"][0]


def test_api_gives_null_where_no_english_text_was_written(client, db):
    ProgrammeFactory(slug="dutch-only", description="Alleen Nederlands")
    programme = json.loads(client.get("/api/programmes/dutch-only/").content)
    assert (programme["description"], programme["description_en"]) == ("Alleen Nederlands", None)
    listed = json.loads(client.get("/api/programmes/").content)["programmes"][0]
    assert (listed["name_en"], listed["text_language"]) == (None, "nl")


def test_api_is_the_same_whatever_language_is_asked(client, aifabriek):
    dutch = client.get(API, headers={"accept-language": "nl"}).content
    english = client.get(API, headers={"accept-language": "en"}).content
    assert json.loads(dutch) == json.loads(english)


def test_a_funding_admin_edits_the_english_description(client, funding_admin, aifabriek):
    sign_in_in_english(client, funding_admin)
    url = reverse("admin:funding_programme_change", args=[aifabriek.pk])
    page = client.get(url)
    fields = re.findall(r'name="(description(?:_en)?|purpose(?:_en)?)"', page.content.decode())
    # Each English field comes right after its Dutch original.
    assert fields == ["description", "description_en", "purpose", "purpose_en"]
    data = form_data(page, "programme_form") | {"description_en": "A new English text."}
    assert client.post(url, data).status_code == 302
    aifabriek.refresh_from_db()
    assert aifabriek.description_en == "A new English text."
    assert aifabriek.description.startswith(DUTCH_DESCRIPTION)
    record = aifabriek.history.first()
    assert record.description_en == "A new English text."
    changes = record.diff_against(record.prev_record).changed_fields
    assert changes == ["description_en"]


def test_a_funding_admin_edits_a_milestones_english_title(client, funding_admin, aifabriek):
    sign_in_in_english(client, funding_admin)
    milestone = Milestone.objects.get(key="expertisecentrum-start")
    url = reverse("admin:funding_milestone_change", args=[milestone.pk])
    data = form_data(client.get(url), "milestone_form") | {"title_en": "Expertise centre opens"}
    assert client.post(url, data).status_code == 302
    milestone.refresh_from_db()
    assert milestone.title_en == "Expertise centre opens"
    html = get_in(client, PAGE, "en").content.decode()
    assert "Expertise centre opens" in html


def test_a_funding_admin_edits_a_contributions_english_notes(client, funding_admin, aifabriek):
    sign_in_in_english(client, funding_admin)
    eu = Contribution.objects.get(key="eu-cofinanciering")
    url = reverse("admin:funding_contribution_change", args=[eu.pk])
    data = form_data(client.get(url), "contribution_form") | {"notes_en": "Still undecided."}
    assert client.post(url, data).status_code == 302
    eu.refresh_from_db()
    assert (eu.notes_en, eu.history.first().notes_en) == ("Still undecided.", "Still undecided.")


def test_the_load_command_loads_the_english_texts_and_changes_nothing_the_second_time(db):
    call_command("load_aifabriek", stdout=StringIO())
    programme = Programme.objects.get(slug="ai-fabriek-groningen")
    assert programme.description_en.startswith(ENGLISH_DESCRIPTION)
    assert programme.purpose_en.startswith("Smart agriculture, better healthcare")
    assert Source.objects.get(key="defensie-investeert-ai-fabriek").title_en == (
        "Defence invests in AI factory in Groningen"
    )
    assert Milestone.objects.get(key="kamerbrief").title_en == (
        "Letter to Parliament about the AI factory sent"
    )
    output = StringIO()
    call_command("load_aifabriek", stdout=output)
    assert output.getvalue().startswith("aifabriek.json: nothing changed. Programme ai-fabriek")


def test_every_dutch_text_of_the_data_set_has_an_english_one_and_no_quote_has():
    document = json.loads(DEFAULT_DATA_FILE.read_text(encoding="utf-8"))
    programme = document["programmes"][0]
    records = [
        (programme, ["name", "description", "purpose", "location"]),
        *((s, ["title", "publisher"]) for s in document["sources"]),
        *((c, ["instrument", "notes"]) for c in programme["contributions"]),
        *((p, ["description"]) for p in programme["partners"]),
        *((m, ["title", "description"]) for m in programme["milestones"]),
    ]
    missing = [
        (record.get("key", record.get("slug")), name)
        for record, names in records
        for name in names
        if record.get(name) and not record.get(f"{name}_en")
    ]
    assert missing == []
    text = DEFAULT_DATA_FILE.read_text(encoding="utf-8")
    assert "quote_en" not in text


def test_an_updated_data_file_leaves_the_loaded_english_texts_alone(db, tmp_path):
    """The data set only seeds: once loaded, the English texts are the admins' to change."""
    load_data_file()
    document = json.loads(DEFAULT_DATA_FILE.read_text(encoding="utf-8"))
    document["programmes"][0]["description_en"] = "An updated English description."
    changed = tmp_path / "changed.json"
    changed.write_text(json.dumps(document), encoding="utf-8")
    report = load_data_file(changed)
    assert (report.created, report.kept) == ({}, ["ai-fabriek-groningen"])
    assert Programme.objects.get().description_en.startswith(ENGLISH_DESCRIPTION)


def test_a_data_file_without_english_fields_keeps_the_english_texts(db, tmp_path):
    load_data_file()
    document = json.loads(DEFAULT_DATA_FILE.read_text(encoding="utf-8"))
    del document["programmes"][0]["description_en"]
    older = tmp_path / "older.json"
    older.write_text(json.dumps(document), encoding="utf-8")
    assert not load_data_file(older).changed
    assert Programme.objects.get().description_en.startswith(ENGLISH_DESCRIPTION)


def test_in_language_falls_back_to_the_original_with_its_language(db):
    programme = ProgrammeFactory.build(description="Nederlands", description_en="English")
    untranslated = ProgrammeFactory.build(description="Alleen Nederlands")
    with translation.override("en"):
        assert (str(in_language(programme, "description")), programme_lang(programme)) == (
            "English",
            "en",
        )
        text = in_language(untranslated, "description")
        assert (text.text, text.language, text.lang_attr) == (
            "Alleen Nederlands",
            "nl",
            ' lang="nl"',
        )
        assert text.marked == '<span lang="nl">Alleen Nederlands</span>'
    with translation.override("nl"):
        text = in_language(programme, "description")
        assert (text.text, text.lang_attr, text.marked) == ("Nederlands", "", "Nederlands")


def programme_lang(programme) -> str:
    return in_language(programme, "description").language


def test_a_source_in_english_needs_no_rendering_and_is_marked_on_dutch_pages(db):
    source = Source(key="report", title="An English report", publisher="EU", language="en")
    with translation.override("en"):
        assert in_language(source, "title").lang_attr == ""
    with translation.override("nl"):
        assert original(source, "title").lang_attr == ' lang="en"'


def test_dashboard_contributions_table_shows_english_instrument_and_notes(staff_client, aifabriek):
    url = reverse("funding:dashboard_contributions", args=[aifabriek.slug])
    english = get_in(staff_client, url, "en").content.decode()
    assert "European co-financing application" in english
    assert "not yet granted" in english
    assert "AI Factory Groningen" in english
    dutch = get_in(staff_client, url, "nl").content.decode()
    assert "Europese cofinancieringsaanvraag" in dutch
    assert "European co-financing application" not in dutch


def test_dashboard_shows_english_funder_names_and_milestones(staff_client, aifabriek):
    url = reverse("funding:dashboard_programme", args=[aifabriek.slug])
    html = get_in(staff_client, url, "en").content.decode()
    assert re.search(r'<th scope="row"><a [^>]+>Government of the Netherlands</a></th>', html)
    assert "Supercomputer runs at full power" in html


SIZES = {"small": (10, 60), "large": (80, 400)}


@pytest.mark.parametrize("size", list(SIZES))
def test_the_english_page_costs_the_same_queries_as_the_dutch_one(
    client, db, size, django_assert_num_queries
):
    programmes, contributions = SIZES[size]
    many_programmes(programmes)
    big_programme(contributions)
    # With a cold cache, as pinned in tests/public/test_public_queries.py for the Dutch pages.
    for url in ("/programmes/scheme/", "/", "/api/programmes/scheme/"):
        cache.clear()
        with django_assert_num_queries(COLD_QUERIES[url]):
            assert get_in(client, url, "en").status_code == 200


def test_english_change_log_names_the_programme_and_milestones_in_english(client, aifabriek):
    html = get_in(client, PAGE + "changes/", "en").content.decode()
    assert "<title>What changed: AI Factory Groningen · " in html
    assert '<h1 class="utrecht-heading-1">What changed: AI Factory Groningen</h1>' in html
    assert "Milestone “Supercomputer runs at full power”" in html
    assert "Expected date of “Supercomputer runs at full power”" in html
    # A changed value is the record's own, Dutch, field: marked as Dutch on the English page,
    # as are the Dutch sources' titles.
    assert '<dd><span lang="nl">Supercomputer draait op volle kracht</span></dd>' in html
    assert '<span lang="nl">Defensie investeert in AI-fabriek in Groningen</span>' in html


def test_dutch_change_log_is_unmarked_dutch(client, aifabriek):
    html = get_in(client, PAGE + "changes/", "nl").content.decode()
    assert "Mijlpaal “Supercomputer draait op volle kracht”" in html
    assert "<dd>Supercomputer draait op volle kracht</dd>" in html
    assert 'lang="nl"' not in html.split("<main", 1)[1].replace('<q lang="nl"', "")


def test_dashboard_filters_name_funders_and_instruments_in_the_pages_language(
    staff_client, aifabriek
):
    url = reverse("funding:dashboard_contributions", args=[aifabriek.slug])
    english = get_in(staff_client, url, "en").content.decode()
    funder = re.search(r'<select name="funder".*?</select>', english, re.S).group(0)
    instrument = re.search(r'<select name="instrument".*?</select>', english, re.S).group(0)
    assert ">Government of the Netherlands</option>" in funder
    assert ">Rijksoverheid<" not in funder
    eu = Contribution.objects.get(programme=aifabriek, key="eu-cofinanciering")
    assert f'<option value="{eu.instrument}">{eu.instrument_en}</option>' in instrument

    # The English name filters the rows by the original value behind it.
    response = staff_client.get(address_in(url, "en"), {"instrument": eu.instrument})
    assert [row.key for row in response.context["table"].data] == ["eu-cofinanciering"]

    dutch = get_in(staff_client, url, "nl").content.decode()
    assert ">Rijksoverheid</option>" in dutch
    assert f'<option value="{eu.instrument}">{eu.instrument}</option>' in dutch
