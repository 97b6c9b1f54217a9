"""A dashboard's cost does not grow with its data: the same query bound for 10 and 500 rows."""

import pytest

from tests.factories import (
    ContributionFactory,
    DateEstimateFactory,
    MilestoneFactory,
    ProgrammeFactory,
    contributions_for,
)

pytestmark = pytest.mark.django_db

# Every page: session and user (2) and the group check (1); then the page's own: programme, by
# funder, payments by funder, status history, payments by day, milestones and their estimates
# (dashboard); programme, funder and instrument choices, count and page (table); programme and
# rows (export); count, page and chart (portfolio). For funding admins the admin link's
# permission check adds two.
MAX_QUERIES = {
    "/dashboard/big/": 10,
    "/dashboard/big/contributions/": 8,
    "/dashboard/big/contributions/?export=csv": 5,
    "/dashboard/big/contributions/?export=xlsx": 5,
    "/dashboard/big/contributions/?status=committed&sort=-disbursed&page=2": 8,
    "/dashboard/": 6,
}


def build_programme(size):
    programme = ProgrammeFactory(slug="big", is_public=False)
    contributions_for(programme, size)
    for milestone in MilestoneFactory.create_batch(3, programme=programme):
        DateEstimateFactory.create_batch(2, milestone=milestone)
    return programme


@pytest.mark.parametrize("size", [10, 500])
@pytest.mark.parametrize("url", list(MAX_QUERIES))
def test_query_count_does_not_grow_with_contributions(
    staff_client, django_assert_max_num_queries, url, size
):
    build_programme(size)
    with django_assert_max_num_queries(MAX_QUERIES[url]):
        response = staff_client.get(url)
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


@pytest.mark.parametrize("size", [10, 500])
def test_funding_admin_pays_two_queries_for_the_admin_link(
    client, funding_admin, django_assert_max_num_queries, size
):
    build_programme(size)
    client.force_login(funding_admin)
    with django_assert_max_num_queries(MAX_QUERIES["/dashboard/big/"] + 2):
        response = client.get("/dashboard/big/")
    assert "/admin/funding/programme/" in response.content.decode()
