"""A dashboard's cost does not grow with its data: the same query bound for 10 and 2,000
contributions (generated with status histories and payments), and for 10 and 1,000 programmes."""

import re

import pytest

from funding.demo.data import BIG_SLUG
from tests.support.factories import (
    ContributionFactory,
    DateEstimateFactory,
    MilestoneFactory,
    ProgrammeFactory,
)
from tests.support.generated import programme_with_history
from tests.support.pages import figure, html_in, trace
from tests.support.portfolio import SMALL, generate_portfolio

pytestmark = pytest.mark.django_db

# The first request after signing in: the session, and the user with their groups, team roles,
# permissions (2) and second-factor devices (2), which the cache then keeps (7 in all,
# accounts/signed_in.py); then the page's own: programme, by funder, payments by funder, status
# changes per day, payments per day, milestones and their estimates (dashboard); programme, funder
# and instrument choices, count, the page's keys and its rows (table); programme and rows
# (export); programmes with their totals and payments per programme (portfolio); and the day the
# figures hold as of (each page). The dashboard's scenarios add the largest pending requests and
# their expected decisions (2); the table's count is the one that also sums the rows it shows,
# with their payments (1 more). The portfolio opens with the cockpit: overdue milestones, overdue
# decisions, the committed shares that fell (two: which programmes changed this week, and their
# shares), the failed source checks (one while none failed), the person's own proposals and the
# break-glass uses (one count each).
SIGNED_IN_COLD = 7
MAX_QUERIES = {
    "/dashboard/big/": 10 + SIGNED_IN_COLD,
    "/dashboard/big/contributions/": 8 + SIGNED_IN_COLD,
    "/dashboard/big/contributions/?export=csv": 3 + SIGNED_IN_COLD,
    "/dashboard/big/contributions/?export=xlsx": 3 + SIGNED_IN_COLD,
    "/dashboard/big/contributions/?status=committed&sort=-disbursed&page=2": 8 + SIGNED_IN_COLD,
    "/dashboard/big/contributions/?page=30&sort=funder": 8 + SIGNED_IN_COLD,
    "/dashboard/": 10 + SIGNED_IN_COLD,
}


# The over-time chart's series, in the order of the KPI cards after the target.
SERIES = ["Committed", "Pending (requested)", "Disbursed"]


def build_programme(size):
    programme = programme_with_history(ProgrammeFactory(slug="big", is_public=False), size=size)
    for milestone in MilestoneFactory.create_batch(3, programme=programme):
        DateEstimateFactory.create_batch(2, milestone=milestone)
    return programme


@pytest.mark.parametrize("size", [10, 2000])
@pytest.mark.parametrize("url", list(MAX_QUERIES))
def test_query_count_does_not_grow_with_contributions(
    staff_client, django_assert_max_num_queries, url, size
):
    build_programme(size)
    with django_assert_max_num_queries(MAX_QUERIES[url]):
        response = staff_client.get(url)
        if response.streaming:
            # The rows are read while the download streams.
            download = b"".join(response.streaming_content)
            assert len(download.splitlines()) > size or download.startswith(b"PK")
    assert response.status_code == 200


@pytest.mark.parametrize("size", [10, 1000])
def test_portfolio_query_count_does_not_grow_with_programmes(
    staff_client, django_assert_max_num_queries, size
):
    programmes = ProgrammeFactory.create_batch(size)
    ContributionFactory(programme=programmes[0])
    with django_assert_max_num_queries(MAX_QUERIES["/dashboard/"]):
        response = staff_client.get("/dashboard/?page=3&sort=-committed")
    assert response.status_code == 200


@pytest.mark.parametrize("size", [10, 2000])
def test_funding_admin_pays_no_query_for_the_admin_link(
    client, funding_admin, django_assert_max_num_queries, size
):
    build_programme(size)
    client.force_login(funding_admin)
    # The admin link's permission check reads the permissions the cache keeps with the user.
    with django_assert_max_num_queries(MAX_QUERIES["/dashboard/big/"]):
        response = client.get("/dashboard/big/")
    assert "/admin/funding/programme/" in response.content.decode()


@pytest.mark.parametrize("factor", [1, 10])
def test_generated_portfolio_costs_the_same_at_two_sizes_and_ends_on_the_kpis(
    staff_client, django_assert_max_num_queries, factor
):
    generate_portfolio(SMALL.times(factor))
    pages = {
        "/dashboard/?sort=-committed": MAX_QUERIES["/dashboard/"],
        f"/dashboard/{BIG_SLUG}/": MAX_QUERIES["/dashboard/big/"],
        f"/dashboard/{BIG_SLUG}/contributions/?sort=-disbursed&page=2": MAX_QUERIES[
            "/dashboard/big/contributions/"
        ],
    }
    for url, queries in pages.items():
        with django_assert_max_num_queries(queries):
            html = html_in(staff_client, url)
        if url == f"/dashboard/{BIG_SLUG}/":
            kpis = re.findall(r'<span class="kpi__value">(.*?)</span>', html)
            over_time = figure(html, "over-time")
            last = [trace(over_time, name)["customdata"][-1] for name in SERIES]
            assert last == kpis[1:4]


WARM_PAGES = [
    "/dashboard/",
    "/dashboard/big/",
    "/dashboard/big/contributions/",
    "/dashboard/big/contributions/?status=committed&sort=-disbursed&page=2",
]


@pytest.mark.parametrize("url", WARM_PAGES)
def test_a_warm_dashboard_makes_no_query(staff_client, django_assert_num_queries, url):
    """The second request: the session, the user and their rights (accounts/signed_in.py) and
    the page's body (funding/cache.py) all come from the cache."""
    build_programme(10)
    first = staff_client.get(url)
    with django_assert_num_queries(0):
        second = staff_client.get(url)
    assert second.status_code == 200
    assert without_token(second) == without_token(first)


def without_token(response) -> str:
    """The page but its CSRF token (the sign-out form's), which is masked anew each time."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", response.content.decode())
