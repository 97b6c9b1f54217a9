from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from funding.figures.summaries import public_programme_page
from tests.support.factories import (
    ContributionFactory,
    ProgrammeFactory,
)
from tests.support.pages import get_in

pytestmark = pytest.mark.django_db
PAGE = "/programmes/ai-fabriek-groningen/"


def test_programme_page_shows_the_funding_summary_in_english(client, aifabriek):
    html = get_in(client, PAGE, "en").content.decode()
    assert "€200,000,000" in html
    assert "€130,000,000" in html
    assert "€70,000,000" in html
    assert "65% of the target" in html


def test_programme_page_shows_the_funding_summary_in_dutch(client, aifabriek):
    html = get_in(client, PAGE, "nl").content.decode()
    assert "€ 200.000.000" in html
    assert "€ 130.000.000" in html
    assert "€ 70.000.000" in html
    assert '<html lang="nl"' in html


def test_programme_page_names_the_four_partners(client, aifabriek):
    html = get_in(client, PAGE, "en").content.decode()
    for partner in ["SURF", "AIC4NL", "TNO"]:
        assert f"<strong>{partner}</strong>, consortium member" in html
    # A Dutch name with no English one, marked as Dutch.
    assert '<strong lang="nl">Samenwerking Noord</strong>, consortium member' in html


def test_programme_page_shows_both_supercomputer_estimates_with_their_sources(client, aifabriek):
    response = get_in(client, PAGE, "nl")
    html = response.content.decode()
    supercomputer = html[html.index("Supercomputer draait op volle kracht") :]
    assert "eind 2026" in supercomputer and "begin 2027" in supercomputer
    late, early = supercomputer.index("eind 2026"), supercomputer.index("begin 2027")
    assert late < early  # the earlier estimate first
    assert "Defensie investeert in AI-fabriek in Groningen" in supercomputer[late:early]
    assert "Nederland zet in op €200 miljoen" in supercomputer[early:]
    assert "De bronnen verschillen over deze datum" in supercomputer


def test_programme_page_says_the_rijk_split_is_not_published(client, aifabriek):
    html = get_in(client, PAGE, "en").content.decode()
    assert "Ministry of Economic Affairs" in html
    assert "split not published" in html


def test_timeline_is_in_expected_order(aifabriek):
    page = public_programme_page("ai-fabriek-groningen")
    assert [item.milestone.key for item in page.milestones] == [
        "kamerbrief",
        "eu-aanvraag-ingediend",
        "expertisecentrum-start",
        "ai-fabriek-in-gebruik",
        "supercomputer-volle-kracht",
    ]
    assert [item.sources_differ for item in page.milestones] == [False] * 4 + [True]


def test_sources_section_lists_each_document_with_its_quotes(aifabriek):
    page = public_programme_page("ai-fabriek-groningen")
    assert [cited.source.key for cited in page.sources] == [
        "defensie-investeert-ai-fabriek",
        "ez-ai-fabriek-200-miljoen",
    ]
    quotes = [passage.quote for passage in page.sources[1].passages]
    assert "Daarmee kan de totale investering op €200 miljoen uitkomen." in quotes


def test_overdue_estimate_is_flagged(aifabriek):
    from datetime import date

    page = public_programme_page("ai-fabriek-groningen", today=date(2026, 11, 23))
    overdue = {item.milestone.key for item in page.milestones if item.overdue}
    assert overdue == {"expertisecentrum-start"}


def test_non_public_records_stay_off_the_page(client, hidden_records):
    html = get_in(client, PAGE, "en").content.decode()
    assert [name for name in hidden_records if name in html] == []
    assert "€130,000,000" in html


def test_unknown_slug_is_404(client, aifabriek):
    assert client.get("/programmes/no-such-programme/").status_code == 404


def test_non_public_programme_is_404(client, aifabriek):
    aifabriek.is_public = False
    aifabriek.save()
    assert client.get(PAGE).status_code == 404


def test_home_lists_public_programmes_with_totals(client, aifabriek):
    html = get_in(client, "/", "en").content.decode()
    assert f'href="{reverse("funding:programme", args=["ai-fabriek-groningen"])}"' in html
    assert "€130,000,000" in html


@pytest.mark.parametrize(
    "query, shown",
    [
        ("", "Programme 000"),
        ("?page=2", "Programme 050"),
        ("?page=abc", "Programme 000"),
        ("?page=999", "Programme 100"),
    ],
)
def test_home_pages_through_many_programmes(client, db, query, shown):
    for number in range(120):
        ProgrammeFactory(name=f"Programme {number:03}", slug=f"programme-{number:03}")
    html = get_in(client, "/" + query, "en").content.decode()
    rows = html.count('<th scope="row"')
    assert rows == (20 if shown == "Programme 100" else 50)
    # Generated names have no English version: they are marked as Dutch.
    assert f'lang="nl" href="/en/programmes/{shown.lower().replace(" ", "-")}/">{shown}</a>' in html
    assert "of 3" in html


def test_programme_page_query_count_is_fixed(client, aifabriek, django_assert_max_num_queries):
    for n in range(20):
        ContributionFactory(programme=aifabriek, amount=Decimal(n))
    # The page's records, its totals (3), its scenarios, the day they hold as of, and the newest
    # edit for Last-Modified, and the day the sources' quotes were checked.
    with django_assert_max_num_queries(14):
        assert client.get(PAGE).status_code == 200


def test_pages_state_who_may_see_them(client, aifabriek):
    with translation.override("en"):
        for url in ["/", PAGE]:
            html = get_in(client, url, "en").content.decode()
            assert "Public page: anyone may see it." in html


def test_programme_page_writes_dates_and_fuzzy_dates_per_language(client, aifabriek):
    from datetime import date

    from funding.models import Source

    Source.objects.filter(key="ez-ai-fabriek-200-miljoen").update(published_on=date(2025, 11, 14))
    dutch = get_in(client, PAGE, "nl").content.decode()
    english = get_in(client, PAGE, "en").content.decode()
    assert "14 november 2025" in dutch
    assert "14 November 2025" in english
    assert '<span class="estimate__date">eind 2026</span>' in dutch
    assert '<span class="estimate__date">late 2026</span>' in english


def test_programme_page_writes_shares_per_language(client, aifabriek):
    rijk = aifabriek.contributions.get(key="rijk")
    rijk.amount = Decimal("71000000.00")  # committed €131M: 65.5% of the target
    rijk.save()
    dutch = get_in(client, PAGE, "nl").content.decode()
    english = get_in(client, PAGE, "en").content.decode()
    assert "€ 131.000.000" in dutch and "65,5% van het doel" in dutch
    assert "€131,000,000" in english and "65.5% of the target" in english


def test_programme_page_links_its_open_data(client, aifabriek):
    html = get_in(client, PAGE, "en").content.decode()
    for url in [
        # The feed in the page's language; the open data has one address for every language.
        "/en/programmes/ai-fabriek-groningen/feed/",
        "/api/programmes/ai-fabriek-groningen/",
        "/api/programmes/ai-fabriek-groningen/contributions.csv",
    ]:
        assert f'href="{url}"' in html


def test_every_public_page_links_the_accessibility_statement(client, aifabriek):
    statement = reverse("funding:accessibility")
    for url in ["/", PAGE, statement]:
        assert f'href="{statement}"' in get_in(client, url, "nl").content.decode()


def test_accessibility_statement_states_target_tests_and_limits(client, db):
    html = get_in(client, reverse("funding:accessibility"), "en").content.decode()
    assert "<h1" in html and "Accessibility statement" in html
    assert "WCAG) 2.1 at level AA" in html
    assert "axe-core" in html and "keyboard" in html and "390 pixel" in html
    assert "Known limitations" in html
    assert "has not yet filled in its contact address" in html


def test_accessibility_statement_is_in_dutch_by_default(client, db):
    html = get_in(client, reverse("funding:accessibility"), "nl").content.decode()
    assert "Toegankelijkheidsverklaring" in html


def test_accessibility_statement_shows_the_configured_contact(client, db, settings):
    settings.ACCESSIBILITY_CONTACT = "toegankelijkheid@example.org"
    html = get_in(client, reverse("funding:accessibility"), "en").content.decode()
    assert 'href="mailto:toegankelijkheid@example.org"' in html
    assert "has not yet filled in" not in html
