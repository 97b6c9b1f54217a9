"""`/programmes/<slug>/?on=YYYY-MM-DD`: the public page as it stood at the end of a past day."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from funding.cache import settled_day
from funding.demo.history import HISTORY_SLUG, generate_history_programme
from funding.models import Contribution
from tests.support.clock import FrozenClock
from tests.support.dataset import load_for_tests
from tests.support.pages import address_in, get_in

PAGE = "/programmes/ai-fabriek-groningen/"
LOADED = date(2026, 9, 30)
CHANGED = date(2026, 10, 2)


@pytest.fixture
def two_days(db, monkeypatch):
    """The data set loaded on 30 September 2026; Nij Begun raised to €65 million on 2 October;
    the clock then on 5 October."""
    clock = FrozenClock(monkeypatch, LOADED)
    clock.at(LOADED, 10)
    load_for_tests()
    clock.at(CHANGED, 11)
    nij_begun = Contribution.objects.get(key="nij-begun")
    nij_begun.amount = Decimal("65000000.00")
    nij_begun.save()
    clock.at(date(2026, 10, 5))
    return clock


def test_a_past_page_says_which_day_it_stood_on_and_links_to_today(client, two_days):
    html = get_in(client, f"{PAGE}?on=2026-10-01", "en").content.decode()

    assert 'This is how this page stood on <time datetime="2026-10-01">1 October 2026</time>.' in (
        html
    )
    english = address_in(PAGE, "en")  # an English page links the English pages
    assert f'<a class="utrecht-link" href="{english}">See the page as it is today</a>' in html
    assert '<meta name="robots" content="noindex">' in html
    # The figures of 1 October: €130 million committed, before the change of the 2nd.
    assert "€ 130.000.000" in html or "€130,000,000" in html
    assert "€135,000,000" not in html
    # The chart's CSV holds today's figures: a past page offers no download of it.
    assert "charts/progress.csv" not in html


def test_a_past_page_in_dutch(client, two_days):
    html = get_in(client, f"{PAGE}?on=2026-10-01", "nl").content.decode()

    assert "Zo stond deze pagina er op" in html
    assert '<time datetime="2026-10-01">1 oktober 2026</time> bij.' in html
    assert "Bekijk de pagina zoals die nu is" in html


def test_the_page_of_the_day_of_a_change_shows_it(client, two_days):
    before = get_in(client, f"{PAGE}?on=2026-10-01", "en").content.decode()
    after = get_in(client, f"{PAGE}?on=2026-10-02", "en").content.decode()

    assert "€65,000,000" not in before
    assert "€65,000,000" in after


def test_a_past_page_is_marked_as_never_changing(client, two_days):
    past = client.get(f"{PAGE}?on=2026-10-01")
    today = client.get(PAGE)

    assert settled_day(past) == date(2026, 10, 1)
    assert settled_day(today) is None


@pytest.mark.parametrize("day", ["2026-10-05", "2026-10-06", "9999-12-31"])
def test_today_or_a_day_to_come_shows_todays_page(client, two_days, day):
    html = get_in(client, f"{PAGE}?on={day}", "en").content.decode()

    assert "This is how this page stood" not in html
    assert "noindex" not in html
    assert "€65,000,000" in html


def test_a_day_before_the_programme_was_public_shows_no_figure(client, two_days):
    response = get_in(client, f"{PAGE}?on=2001-01-01", "en")
    html = response.content.decode()

    assert "On 1 January 2001 this programme had no public page" in html
    assert "noindex" in html
    assert "€" not in html
    assert 'class="kpis"' not in html


@pytest.mark.parametrize(
    "value",
    [
        "2026-13-01",
        "2026-02-30",
        "x",
        "\x00",
        "2026-10-01\x00",
        "0000-01-01",
        "1" * 300,
        "20261001",
        "2026-W40-4",
        " 2026-10-01",
        "2026-10-1",
        "٢٠٢٦-١٠-٠١",
    ],
)
def test_a_value_that_is_not_a_day_is_a_bad_request(client, aifabriek, value):
    response = client.get(PAGE, {"on": value})

    assert response.status_code == 400
    assert '<h1 class="utrecht-heading-1">Onjuist verzoek</h1>' in response.content.decode()


def test_an_empty_day_is_a_bad_request(client, aifabriek):
    assert client.get(f"{PAGE}?on=").status_code == 400


def test_a_past_day_of_an_unknown_programme_is_not_found(client, aifabriek):
    assert client.get("/programmes/no-such-programme/?on=2026-10-01").status_code == 404


def test_the_shipped_programme_today_and_a_day_to_come_show_the_same_figures(client, aifabriek):
    today = timezone.localdate()
    tomorrow = today + timedelta(days=1)

    html = get_in(client, f"{PAGE}?on={tomorrow.isoformat()}", "en").content.decode()

    assert "€130,000,000" in html or "€ 130.000.000" in html
    assert html.count("€") == get_in(client, PAGE, "en").content.decode().count("€")


def test_the_change_log_links_each_change_to_the_page_before_and_after_it(client, two_days):
    html = get_in(client, f"{PAGE}changes/", "en").content.decode()

    english = address_in(PAGE, "en")
    assert f'href="{english}?on=2026-10-01">before this change (1 October 2026)</a>' in html
    assert f'href="{english}?on=2026-10-02">after it (2 October 2026)</a>' in html


def test_the_pages_and_the_search_of_a_long_list_keep_the_day(client, db):
    generate_history_programme(rows=1000, seed=2)

    html = get_in(client, f"/programmes/{HISTORY_SLUG}/?on=2025-06-30", "en").content.decode()

    assert 'href="?on=2025-06-30&amp;page=2#contributions-heading"' in html
    assert '<input type="hidden" name="on" value="2025-06-30">' in html
