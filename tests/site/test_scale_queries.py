"""Every main page costs the same number of queries on a generated portfolio and on one 3x its size.

Each page is requested with a cold public cache on the small portfolio and on the portfolio three
times as large (programmes, contributions and the big programme's grants); the counts must be
equal, and at most the number pinned below. When a page's queries change on purpose, update its
number in PINNED_QUERIES (the failure lists every page that is over, with both numbers).
"""

from dataclasses import dataclass

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from funding.demo.data import BIG_SLUG
from tests.support.dataset import AIFABRIEK
from tests.support.portfolio import SMALL, generate_portfolio

LARGER = SMALL.times(3)

# The most queries one request may make, per page: the one table to update. A signed-in page's
# cold request (the cache emptied) includes the session and the user with their groups, team
# roles, permissions and second-factor devices: 8 (accounts/signed_in.py); warm, none of them.
# The programme page reads its sources' latest quote checks (1) for the "checked on" note.
PINNED_QUERIES = {
    "home": 3,
    "programme page, AI-fabriek": 13,
    "programme page, big": 13,
    "API list": 11,
    "API detail, AI-fabriek": 18,
    "API detail, big": 18,
    # The programme, the change log's newest entries, the rows of each of their three kinds.
    "feed, AI-fabriek": 5,
    "data package": 2,
    "change log, AI-fabriek": 12,
    "change log, big": 6,
    "change log, big, page 3": 6,
    # The portfolio (6), its cockpit (7: overdue milestones, overdue decisions, which programmes
    # changed this week and their shares, the failed source checks, the break-glass uses, the
    # person's own proposals) and the cold user (5).
    "portfolio dashboard": 18,
    "dashboard, AI-fabriek": 18,
    "dashboard, big": 18,
    "contributions table": 16,
    "contributions table, filtered": 16,
    "contributions table, sorted": 16,
    "contributions CSV export": 11,
    "admin contributions": 14,
    "admin contributions, filtered": 14,
    "admin contributions, searched": 16,
    "badge, AI-fabriek": 1,
    "embed, AI-fabriek": 1,
    "chart CSV, public, big": 1,
    "chart CSV, by funder, big": 18,
    "chart CSV, over time, big": 18,
    "chart CSV, portfolio": 10,
}

# A warm request (the same again): public pages, the dashboards and the tables make none; the
# admin's list reads its page of rows.
WARM_QUERIES = {
    "home": 0,
    "programme page, big": 0,
    "portfolio dashboard": 0,
    "dashboard, AI-fabriek": 0,
    "dashboard, big": 0,
    "contributions table": 0,
    "contributions table, filtered": 0,
    "contributions table, sorted": 0,
    "chart CSV, by funder, big": 0,
    "chart CSV, portfolio": 0,
    "admin contributions": 1,
    "admin contributions, filtered": 1,
    "admin contributions, searched": 1,
}


@dataclass(frozen=True)
class Page:
    name: str
    url: str
    who: str  # "public", "staff" or "admin"


PAGES = [
    Page("home", "/", "public"),
    Page("programme page, AI-fabriek", f"/programmes/{AIFABRIEK}/", "public"),
    Page("programme page, big", f"/programmes/{BIG_SLUG}/", "public"),
    Page("API list", "/api/programmes/", "public"),
    Page("API detail, AI-fabriek", f"/api/programmes/{AIFABRIEK}/", "public"),
    Page("API detail, big", f"/api/programmes/{BIG_SLUG}/", "public"),
    Page("feed, AI-fabriek", f"/programmes/{AIFABRIEK}/feed/", "public"),
    Page("data package", "/api/datapackage.json", "public"),
    Page("change log, AI-fabriek", f"/programmes/{AIFABRIEK}/changes/", "public"),
    Page("change log, big", f"/programmes/{BIG_SLUG}/changes/", "public"),
    Page("change log, big, page 3", f"/programmes/{BIG_SLUG}/changes/?page=3", "public"),
    Page("portfolio dashboard", "/dashboard/", "staff"),
    Page("dashboard, AI-fabriek", f"/dashboard/{AIFABRIEK}/", "staff"),
    Page("dashboard, big", f"/dashboard/{BIG_SLUG}/", "staff"),
    Page("contributions table", f"/dashboard/{BIG_SLUG}/contributions/", "staff"),
    Page(
        "contributions table, filtered",
        f"/dashboard/{BIG_SLUG}/contributions/?status=committed",
        "staff",
    ),
    Page(
        "contributions table, sorted",
        f"/dashboard/{BIG_SLUG}/contributions/?sort=-amount&page=2",
        "staff",
    ),
    Page("contributions CSV export", f"/dashboard/{BIG_SLUG}/contributions/?export=csv", "staff"),
    Page("admin contributions", "/admin/funding/contribution/", "admin"),
    Page(
        "admin contributions, filtered",
        "/admin/funding/contribution/?status__exact=committed",
        "admin",
    ),
    Page("admin contributions, searched", "/admin/funding/contribution/?q=regeling", "admin"),
    Page("badge, AI-fabriek", f"/programmes/{AIFABRIEK}/badge.svg", "public"),
    Page("embed, AI-fabriek", f"/programmes/{AIFABRIEK}/embed/", "public"),
    Page("chart CSV, public, big", f"/programmes/{BIG_SLUG}/charts/progress.csv", "public"),
    Page("chart CSV, by funder, big", f"/dashboard/{BIG_SLUG}/charts/by-funder.csv", "staff"),
    Page("chart CSV, over time, big", f"/dashboard/{BIG_SLUG}/charts/over-time.csv", "staff"),
    Page("chart CSV, portfolio", "/dashboard/charts/comparison.csv", "staff"),
]


def test_every_page_has_a_pinned_count():
    assert {page.name for page in PAGES} == set(PINNED_QUERIES)


def read_whole(response) -> bytes:
    """The body, streamed or not: a streamed export runs its queries while it is read."""
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def queries_for(client, url: str) -> tuple[int, int]:
    """The queries of a cold request (the cache emptied) and of the same request again."""
    cache.clear()
    counts = []
    for _request in range(2):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
            body = read_whole(response)
        assert response.status_code == 200, (url, response.status_code)
        assert body
        counts.append(len(queries))
    return counts[0], counts[1]


@pytest.fixture
def clients(client, policy_staff, funding_admin):
    """A client per kind of visitor: anonymous, Policy staff and Funding admin."""
    staff, admin = Client(), Client()
    staff.force_login(policy_staff)
    admin.force_login(funding_admin)
    return {"public": client, "staff": staff, "admin": admin}


def count_every_page(clients) -> dict[str, tuple[int, int]]:
    return {page.name: queries_for(clients[page.who], page.url) for page in PAGES}


def test_query_counts_are_the_same_at_two_sizes_and_within_the_pins(aifabriek, clients):
    # One test for all pages: generating the two portfolios is most of its cost.
    generate_portfolio(SMALL)
    small = count_every_page(clients)
    generate_portfolio(LARGER)
    larger = count_every_page(clients)
    grew = {name: (small[name], larger[name]) for name in small if small[name] != larger[name]}
    assert grew == {}, "queries (small, 3x) that depend on the data size"
    made_and_pinned = {name: (count, PINNED_QUERIES[name]) for name, (count, _) in small.items()}
    over = {name: pair for name, pair in made_and_pinned.items() if pair[0] > pair[1]}
    assert over == {}, "queries (made, pinned) above the pinned number"
    warm = {name: small[name][1] for name in WARM_QUERIES}
    assert warm == WARM_QUERIES, "queries of a warm request (the same request again)"


@pytest.mark.parametrize(
    "slug", [AIFABRIEK, BIG_SLUG, "demo-programme-0001", "demo-programme-0002"]
)
def test_funds_over_time_end_at_the_kpi_cards(aifabriek, clients, slug):
    generate_portfolio(SMALL)
    response = clients["staff"].get(f"/dashboard/{slug}/")
    dashboard = response.context["dashboard"]
    last = dashboard.over_time.points[-1]
    summary = dashboard.summary
    assert (last.committed, last.pending, last.disbursed) == (
        summary.committed,
        summary.pending,
        summary.disbursed,
    )
    if slug != AIFABRIEK:
        assert summary.committed > 0
