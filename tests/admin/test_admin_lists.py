"""The contribution list: totals for the current filter, and finding a contribution quickly."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from funding.admin.totals import contribution_totals
from funding.models import Contribution
from tests.support.admin_forms import sign_in_in_english
from tests.support.factories import ContributionFactory, PaymentFactory

LIST = reverse("admin:funding_contribution_changelist")


@pytest.fixture
def controller(client, funding_admin):
    return sign_in_in_english(client, funding_admin)


def test_totals_follow_the_filter(controller, aifabriek):
    everything = controller.get(LIST).context["totals"]
    requested = controller.get(LIST, {"status__exact": "requested"}).context["totals"]
    assert everything == [
        {
            "currency": "EUR",
            "count": 3,
            "committed": Decimal("130000000.00"),
            "pending": Decimal("70000000.00"),
            "withdrawn": Decimal("0.00"),
            "paid": Decimal("0.00"),
        }
    ]
    assert (requested[0]["count"], requested[0]["pending"], requested[0]["committed"]) == (
        1,
        Decimal("70000000.00"),
        Decimal("0.00"),
    )


def test_totals_are_kept_for_the_next_page_and_follow_an_edit(controller, aifabriek):
    first = controller.get(LIST).context["totals"]
    with CaptureQueriesContext(connection) as again:
        assert controller.get(LIST, {"o": "-3"}).context["totals"] == first
    assert not [query for query in again if "SUM(" in query["sql"]]
    eu = Contribution.objects.get(programme=aifabriek, status="requested")
    eu.amount = Decimal("50000000.00")
    eu.save()
    assert controller.get(LIST).context["totals"][0]["pending"] == Decimal("50000000.00")


def test_totals_are_shown_above_the_list(controller, aifabriek):
    html = controller.get(LIST).content.decode()
    assert "Totals of the 3 contributions that match the current filter" in html
    assert '<td class="number">€130,000,000</td>' in html


def test_totals_take_two_queries_however_many_rows(aifabriek, django_assert_max_num_queries):
    for _ in range(20):
        PaymentFactory(contribution=ContributionFactory(programme=aifabriek))
    with django_assert_max_num_queries(2):
        totals = contribution_totals(Contribution.objects.all())
    assert (totals[0]["count"], totals[0]["paid"]) == (23, Decimal("20000.00"))


def test_the_list_page_cost_does_not_grow_with_rows(
    controller, aifabriek, django_assert_max_num_queries
):
    for _ in range(30):
        ContributionFactory(programme=aifabriek)
    with django_assert_max_num_queries(14):
        controller.get(LIST)


@pytest.mark.parametrize(
    ("query", "keys"),
    [
        ({"q": "Europese Unie"}, ["eu-cofinanciering"]),  # funder
        ({"q": "Nij Begun"}, ["nij-begun"]),  # instrument
        ({"status__exact": "committed"}, ["nij-begun", "rijk"]),
        ({"q": "AI-fabriek", "status__exact": "requested"}, ["eu-cofinanciering"]),  # programme
    ],
)
def test_a_contribution_is_found_by_funder_instrument_status_and_programme(
    controller, aifabriek, query, keys
):
    found = controller.get(LIST, query).context["cl"].queryset
    assert sorted(contribution.key for contribution in found) == keys


def test_the_list_filters_by_instrument(controller, aifabriek):
    html = controller.get(LIST).content.decode()
    assert "By instrument or budget line" in html
    response = controller.get(LIST, {"instrument": "Economische Agenda Nij Begun"})
    assert [c.key for c in response.context["cl"].result_list] == ["nij-begun"]
