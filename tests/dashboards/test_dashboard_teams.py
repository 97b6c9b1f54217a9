"""The dashboards for a programme's team: their programmes only, another programme's pages as
unknown ones (404, no name), at a cost that does not grow with the data, and bodies cached once
for everyone who sees the same programmes."""

import re
from decimal import Decimal

import pytest
from prometheus_client import REGISTRY

from funding.models import TeamRole
from tests.support.factories import ContributionFactory, ProgrammeFactory
from tests.support.users import make_member

SLUG = "ai-fabriek-groningen"
B_NAME = "Elders programme"
# The portfolio's bound for policy staff (test_dashboard_queries.py): its own 10 (with the
# cockpit) and the cold signed-in user's 7.
DASHBOARD_QUERIES = 10 + 7


@pytest.fixture
def elsewhere(aifabriek):
    programme = ProgrammeFactory(slug="elders", name=B_NAME, target=Decimal("9876543.21"))
    ContributionFactory(programme=programme, instrument="Elders line", amount=Decimal("4321.00"))
    return programme


@pytest.fixture
def viewer(client, aifabriek, elsewhere):
    client.force_login(make_member("vera", aifabriek, TeamRole.VIEWER))
    return client


def body(response) -> str:
    if response.streaming:
        return b"".join(response.streaming_content).decode("utf-8-sig")
    # The sign-out form's token differs per response.
    return re.sub(r'name="csrfmiddlewaretoken" value="\w+"', "", response.content.decode())


def test_the_portfolio_its_chart_and_numbers_hold_only_their_programmes(viewer, aifabriek):
    for url in ("/dashboard/", "/dashboard/?sort=-target", "/dashboard/charts/comparison.csv"):
        response = viewer.get(url)
        assert response.status_code == 200, url
        text = body(response)
        assert B_NAME not in text, url
        assert "9876543.21" not in text and "9.876.543" not in text, url
    comparison = body(viewer.get("/dashboard/charts/comparison.csv"))
    assert aifabriek.name in comparison


@pytest.mark.parametrize(
    "path",
    [
        "/dashboard/{slug}/",
        "/dashboard/{slug}/contributions/",
        "/dashboard/{slug}/contributions/?export=csv",
        "/dashboard/{slug}/contributions/?export=xlsx",
        "/dashboard/{slug}/contributions/?status=committed",
        "/dashboard/{slug}/charts/progress.csv",
        "/dashboard/{slug}/charts/by-funder.csv",
    ],
)
def test_another_programmes_pages_answer_as_an_unknown_ones(viewer, elsewhere, path):
    own = viewer.get(path.format(slug=SLUG))
    other = viewer.get(path.format(slug=elsewhere.slug))
    unknown = viewer.get(path.format(slug="no-such-programme"))
    own.close()  # a download's file
    assert own.status_code == 200
    assert (other.status_code, unknown.status_code) == (404, 404)
    assert body(other) == body(unknown).replace("no-such-programme", elsewhere.slug)
    assert B_NAME not in body(other)


def test_a_policy_member_still_sees_every_programme(staff_client, elsewhere):
    assert B_NAME in staff_client.get("/dashboard/").content.decode()
    assert staff_client.get(f"/dashboard/{elsewhere.slug}/").status_code == 200


def cache_reads(result: str) -> float:
    return REGISTRY.get_sample_value("aifabriek_public_cache_total", {"result": result}) or 0.0


def page_reads(client, url) -> tuple[float, float]:
    """The cache's misses and hits while `client` gets `url`."""
    misses, hits = cache_reads("miss"), cache_reads("hit")
    assert client.get(url).status_code == 200
    return cache_reads("miss") - misses, cache_reads("hit") - hits


def test_the_portfolio_is_cached_once_for_all_who_see_the_same_programmes(
    client, aifabriek, elsewhere, policy_staff
):
    from django.test import Client

    first, second, staff = Client(), Client(), Client()
    first.force_login(make_member("vera", aifabriek, TeamRole.VIEWER))
    second.force_login(make_member("vince", aifabriek, TeamRole.VIEWER))
    staff.force_login(policy_staff)
    assert page_reads(first, "/dashboard/")[0] > 0  # built
    # The same programmes: the same body and cockpit; only the person's own two cockpit items
    # (their proposals awaiting approval, and awaiting others) are theirs alone.
    assert page_reads(second, "/dashboard/") == (2, 2)
    # Every programme: a body, the cockpit's items and their HTML of its own, and the person's
    # own two items.
    assert page_reads(staff, "/dashboard/")[0] == 5
    # A programme's dashboard is the same for everyone who may see it.
    page_reads(first, f"/dashboard/{SLUG}/")
    assert page_reads(staff, f"/dashboard/{SLUG}/") == (0, 1)


@pytest.mark.parametrize("size", [10, 1000])
def test_a_team_members_portfolio_costs_the_same_at_two_sizes(
    client, db, django_assert_max_num_queries, size
):
    programmes = ProgrammeFactory.create_batch(size)
    ContributionFactory(programme=programmes[0])
    member = make_member("vera", programmes[0], TeamRole.VIEWER)
    for programme in programmes[1:50]:
        member.programme_memberships.create(programme=programme, role=TeamRole.VIEWER)
    client.force_login(member)
    with django_assert_max_num_queries(DASHBOARD_QUERIES):
        response = client.get("/dashboard/?page=2&sort=-committed")
    assert response.status_code == 200


@pytest.mark.parametrize("size", [10, 2000])
def test_a_team_members_programme_dashboard_adds_one_query_at_any_size(
    client, db, django_assert_max_num_queries, size
):
    programme = ProgrammeFactory(slug="big")
    ContributionFactory.create_batch(size, programme=programme)
    client.force_login(make_member("vera", programme, TeamRole.VIEWER))
    # The bound for policy staff (test_dashboard_queries.py), and the check that the address's
    # programme is one of theirs.
    with django_assert_max_num_queries(10 + 7 + 1):
        response = client.get("/dashboard/big/")
    assert response.status_code == 200
