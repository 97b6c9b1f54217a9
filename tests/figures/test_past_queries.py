"""A past page costs the same number of queries however long the history: pinned for the
shipped data set and for a programme with 30,000 history rows."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from funding.demo.history import HISTORY_SLUG, generate_history_programme
from funding.figures.past import versions
from funding.figures.past.page import past_programme_page
from funding.models import Contribution
from tests.support.dataset import AIFABRIEK
from tests.support.past_pages import page_figures

# The live programme, the programme's version, the contributions' versions found once, their
# sums, the payments, the gap and share, totals per funder and per status, a page of
# contributions with their shares and citations, the partners, the milestones and their
# estimates, the scenarios.
QUERIES = 15


def _queries(slug: str, on: date, **options) -> tuple[int, object]:
    with CaptureQueriesContext(connection) as queries:
        page = past_programme_page(slug, on=on, **options)
    return len(queries), page


@pytest.mark.django_db
def test_a_past_page_of_the_shipped_programme_takes_a_fixed_number_of_queries(aifabriek):
    from django.utils import timezone

    count, page = _queries(AIFABRIEK, timezone.localdate())

    assert page.summary.committed == 130_000_000
    assert count == QUERIES


@pytest.fixture
def long_history(db):
    """ "Demo geschiedenis": 3,000 contributions with ten versions each over 2024 and 2025."""
    programme = generate_history_programme(rows=30_000, seed=3)
    history = Contribution.history.filter(programme_id=programme.pk)
    assert history.count() == 30_000
    return programme


@pytest.mark.django_db
def test_a_past_page_of_a_programme_with_30000_history_rows_takes_as_many(long_history):
    count, page = _queries(HISTORY_SLUG, date(2025, 3, 31))

    assert count == QUERIES
    assert page.contribution_page.count > 1000
    assert page.summary.committed > 0 and page.summary.pending > 0
    # The extra query for the expected decisions of the shown pending contributions.
    count, page = _queries(HISTORY_SLUG, date(2025, 3, 31), decision_dates=True)
    assert count == QUERIES + 1


@pytest.mark.django_db
def test_past_pages_of_a_long_history_differ_from_day_to_day(long_history):
    days = [date(2024, 2, 1) + timedelta(days=60 * n) for n in range(8)]

    summaries = [past_programme_page(HISTORY_SLUG, on=day).summary for day in days]

    assert len({(s.committed, s.pending) for s in summaries}) == len(days)


@pytest.mark.django_db
def test_many_contributions_are_found_again_by_each_query_with_the_same_figures(
    long_history, monkeypatch
):
    day = date(2025, 6, 30)
    once = page_figures(past_programme_page(HISTORY_SLUG, on=day))

    monkeypatch.setattr(versions, "IDS_AT_MOST", 100)

    assert page_figures(past_programme_page(HISTORY_SLUG, on=day)) == once
