"""Public pages and open data cost the same number of queries however large the data: pinned at
two sizes, with a cold cache (the first request after a change) and a warm one (none at all)."""

import pytest

from tests.support.query_counts import COLD_QUERIES
from tests.support.scale import big_programme, many_programmes

pytestmark = pytest.mark.django_db
SIZES = {"small": (10, 60), "large": (80, 400)}


@pytest.fixture(params=list(SIZES))
def portfolio(request, db):
    programmes, contributions = SIZES[request.param]
    many_programmes(programmes)
    big_programme(contributions)


@pytest.mark.parametrize("url", list(COLD_QUERIES))
def test_query_count_does_not_grow_with_the_data(client, portfolio, url, django_assert_num_queries):
    with django_assert_num_queries(COLD_QUERIES[url]):
        assert client.get(url).status_code == 200
    with django_assert_num_queries(0):
        assert client.get(url).status_code == 200


def test_csv_reads_its_rows_in_a_fixed_number_of_queries_per_chunk(
    client, portfolio, django_assert_max_num_queries
):
    # And one for the day the figures hold as of (the header and the file's name).
    with django_assert_max_num_queries(7):
        response = client.get("/api/programmes/scheme/contributions.csv")
        assert len(b"".join(response.streaming_content).splitlines()) > 60


GENERATED_SIZES = {"small": 1, "three times as large": 3}


@pytest.mark.parametrize("factor", list(GENERATED_SIZES.values()), ids=list(GENERATED_SIZES))
def test_query_counts_on_the_generated_portfolio_are_the_same_at_two_sizes(
    client, demo_portfolio, factor, django_assert_num_queries
):
    from funding.demo.data import BIG_SLUG
    from tests.support.portfolio import SMALL

    demo_portfolio(SMALL.times(factor))
    # In this order: the first request also reads the newest edit, which then stays cached.
    # The big programme has fewer than 20 funders here, so no count of them is needed.
    cold = {
        "/": 3,
        f"/programmes/{BIG_SLUG}/": 12,  # with the day its quotes were checked
        f"/programmes/{BIG_SLUG}/?page=2": 12,
        f"/programmes/{BIG_SLUG}/feed/": 3,  # its entries are status events only
        f"/programmes/{BIG_SLUG}/changes/": 5,
        f"/api/programmes/{BIG_SLUG}/": 12,
        "/api/programmes/": 2,
        f"/api/programmes/{BIG_SLUG}/oc4ids.json": 10,
        "/api/oc4ids.json": 12,
    }
    for url, queries in cold.items():
        with django_assert_num_queries(queries):
            assert client.get(url).status_code == 200
        with django_assert_num_queries(0):
            assert client.get(url).status_code == 200
