"""Long public lists: the home's programmes searched and sorted, a big programme's contributions
paged below its totals per status and funder. Bad query strings never fail."""

import re

import pytest

from funding.public.home_listing import programme_listing
from tests.support.factories import ContributionFactory, ProgrammeFactory
from tests.support.pages import address_in
from tests.support.scale import big_programme, many_programmes

pytestmark = pytest.mark.django_db
SCHEME = "/programmes/scheme/"


def html_of(client, url, language="en"):
    response = client.get(address_in(url, language))
    assert response.status_code == 200
    return response.content.decode()


def row_names(html):
    return re.findall(r'<th scope="row"[^>]*><a [^>]*>([^<]+)</a>', html)


def test_shipped_home_keeps_its_card_and_has_no_search(client, aifabriek):
    html = html_of(client, "/")
    assert html.count('class="utrecht-heading-3"') == 1
    assert 'class="kpis"' in html
    assert 'name="q"' not in html


def test_home_with_many_programmes_is_a_compact_table_with_search_and_sort(client, db):
    many_programmes(120)
    html = html_of(client, "/")
    assert 'name="q"' in html and 'name="sort"' in html
    assert 'class="kpis"' not in html
    assert row_names(html)[:3] == ["Scale 000", "Scale 001", "Scale 002"]
    assert len(row_names(html)) == 50
    assert "120 public programmes." in html
    assert 'href="?page=2"' in html


def test_home_search_finds_programmes_by_name(client, db):
    many_programmes(120)
    html = html_of(client, "/?q=scale+11")
    assert row_names(html) == [f"Scale 11{n}" for n in range(10)]
    assert "10 programmes have a name containing “scale 11”." in html


def test_home_search_keeps_search_and_sort_in_the_page_links(client, db):
    many_programmes(120)
    html = html_of(client, "/?q=scale&sort=-target")
    assert row_names(html)[0] == "Scale 119"
    assert 'href="?q=scale&amp;sort=-target&amp;page=2"' in html


@pytest.mark.parametrize(
    "sort, first",
    [
        ("name", "Full"),
        ("-name", "Scale 009"),
        ("-target", "High"),
        ("target", "None"),
        ("-share", "Full"),
        ("share", "High"),  # 0%, like Low and the Scale ones: then by name
    ],
)
def test_home_sorts_by_name_target_and_committed_share(client, db, sort, first):
    many_programmes(10)
    for name, target, committed in [
        ("Full", 100, 100),
        ("High", 10**9, 0),
        ("Low", 1, 0),
        ("None", 0, 5),
    ]:
        ContributionFactory(programme=ProgrammeFactory(name=name, target=target), amount=committed)
    names = row_names(html_of(client, f"/?sort={sort}"))
    assert names[0] == first
    if sort in ("share", "-share"):
        assert names[-1] == "None"  # no target, no share: last either way


def test_home_committed_share_sorts_with_programmes_without_a_target_last(db):
    many_programmes(10)
    ProgrammeFactory(name="No target", target=0)
    for sort in ("share", "-share"):
        rows = programme_listing(sort=sort).page.items
        assert rows[-1].name == "No target"


@pytest.mark.parametrize(
    "query",
    [
        "?sort=bogus",
        "?page=abc",
        "?page=-1",
        "?page=99999999999999999999",
        "?q=" + "x" * 101,
        "?q=%00",
        "?sort=share&page=0&q=",
    ],
)
def test_home_bad_query_strings_show_a_page(client, db, query):
    many_programmes(60)
    html = html_of(client, "/" + query)
    assert len(row_names(html)) in (10, 50) or "No programme" in html or "0 programmes" in html


def test_home_search_longer_than_a_name_is_not_applied(client, db):
    many_programmes(60)
    assert "60 public programmes." in html_of(client, "/?q=" + "x" * 101)


def test_home_search_without_matches_says_so(client, db):
    many_programmes(10)
    html = html_of(client, "/?q=nothing-like-it")
    assert "0 programmes have a name containing “nothing-like-it”." in html
    assert "<table" not in html


def test_big_programme_shows_totals_per_status_and_funder_first(client, db):
    big_programme(100)
    html = html_of(client, SCHEME)
    status = html.index("Totals per status")
    funders = html.index("Totals per funder")
    contributions = html.index("Contributions, largest first")
    assert status < funders < contributions
    # 25 of each status; amounts 1,000 + n with n = 0, 4, 8, ... for requested.
    requested = sum(1000 + n for n in range(0, 100, 4))
    assert f"€{requested:,}" in html[status:funders]
    assert "The 20 largest of 30 funders" in html


def test_big_programme_pages_its_contributions_largest_first(client, db):
    big_programme(100)
    first = html_of(client, SCHEME)
    assert first.count('data-label="Amount">€1,0') == 25
    assert "€1,099" in first and "€1,074" not in first[first.index("Contributions, largest") :]
    assert "Page 1 of 4" in first
    second = html_of(client, SCHEME + "?page=2")
    assert "€1,074" in second and "Page 2 of 4" in second
    assert 'href="?page=3#contributions-heading"' in second


def test_big_programme_finds_contributions_by_funder(client, db):
    big_programme(100)
    html = html_of(client, SCHEME + "?funder=Funder+07")
    assert "4 contributions from funders whose names contain “Funder 07”." in html
    table = html[html.index("Contributions, largest first") :]
    assert len(re.findall(r'<th scope="row"[^>]*><span lang="nl">Funder 07', table)) == 4
    assert "Funder 08" not in table[: table.index("Partners")]


@pytest.mark.parametrize(
    "query", ["?page=abc", "?page=0", "?page=999", "?funder=" + "y" * 300, "?funder=%00"]
)
def test_big_programme_bad_query_strings_show_a_page(client, db, query):
    big_programme(60)
    assert "Totals per status" in html_of(client, SCHEME + query)


def test_big_programme_page_stays_small(client, db):
    big_programme(2000)
    assert len(client.get(SCHEME).content) < 150_000


def test_shipped_programme_page_shows_its_three_contributions_unpaged(client, aifabriek):
    html = html_of(client, "/programmes/ai-fabriek-groningen/")
    assert "Totals per status" not in html
    assert "Page 1 of" not in html
    # Three contribution rows; the progress chart's table has six amounts of its own.
    assert html.count('utrecht-table__cell number" data-label="Amount"') == 3
