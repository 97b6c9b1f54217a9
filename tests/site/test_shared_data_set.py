"""The data set loaded once (tests/conftest.py): each test finds it as shipped, and only if it asks.

The tests run in this file's order among the tests that read the data set, so each one sees
what the one before it left behind.
"""

from decimal import Decimal

from django.db.models import Sum

from funding.models import Contribution, Programme


def shipped_figures():
    return (
        Programme.objects.count(),
        Contribution.objects.count(),
        Contribution.objects.aggregate(total=Sum("amount"))["total"],
    )


def test_a_test_deletes_every_contribution(aifabriek):
    assert shipped_figures() == (1, 3, Decimal("200000000.00"))
    Contribution.objects.all().delete()
    assert Contribution.objects.count() == 0


def test_the_next_test_finds_them_again(aifabriek):
    assert shipped_figures() == (1, 3, Decimal("200000000.00"))


def test_a_test_whose_response_closes_the_connection(aifabriek, client):
    # The test client closes the connection as a server does when a response is closed.
    response = client.get(f"/api/programmes/{aifabriek.slug}/contributions.csv")
    response.close()


def test_the_next_test_after_a_closed_connection_finds_the_data_set(aifabriek):
    assert shipped_figures() == (1, 3, Decimal("200000000.00"))


def test_a_test_that_does_not_ask_finds_no_data(db):
    assert shipped_figures() == (0, 0, None)
