"""The contribution list's rows and filters are rendered once per change, and never shown to an
admin whose rights would render them otherwise."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from funding.admin.contributions import ContributionAdmin
from funding.permissions import FUNDING_ADMINS
from tests.support.admin_forms import sign_in_in_english
from tests.support.factories import ContributionFactory, OrganisationFactory
from tests.support.users import make_user

pytestmark = pytest.mark.django_db

LIST = reverse("admin:funding_contribution_changelist")
CHECKBOX = 'name="_selected_action"'


def rows_of(response) -> str:
    """The list's table of rows (the filters beside it name every funder in use)."""
    return re.search(r'<table id="result_list">.*?</table>', response.content.decode(), re.S)[0]


@pytest.fixture
def two_admins(client, funding_admin):
    other = make_user("second-controller", FUNDING_ADMINS, is_staff=True)
    return sign_in_in_english(client, funding_admin), sign_in_in_english(Client(), other)


def test_a_saved_change_shows_in_the_cached_rows_at_once(two_admins, aifabriek):
    first, _second = two_admins
    assert "Fonds Noord" not in first.get(LIST).content.decode()
    ContributionFactory(programme=aifabriek, funder=OrganisationFactory(name="Fonds Noord"))
    html = first.get(LIST).content.decode()
    assert "Fonds Noord" in html  # in the rows and in the funder filter
    assert html.count("Fonds Noord") >= 2


def test_rows_limited_to_what_an_admin_may_see_are_not_taken_from_anothers(
    two_admins, aifabriek, monkeypatch
):
    first, second = two_admins
    assert "Europese Unie" in rows_of(first.get(LIST))
    shown = ContributionAdmin.get_queryset

    def own_programmes_only(self, request):
        rows = shown(self, request)
        if request.user.username == "controller":
            return rows
        return rows.exclude(key="eu-cofinanciering")

    monkeypatch.setattr(ContributionAdmin, "get_queryset", own_programmes_only)
    assert "Europese Unie" in rows_of(first.get(LIST))
    assert "Europese Unie" not in rows_of(second.get(LIST))


def test_rows_rendered_with_actions_are_not_shown_to_an_admin_without_them(
    two_admins, aifabriek, monkeypatch
):
    first, second = two_admins
    assert CHECKBOX in first.get(LIST).content.decode()
    offered = ContributionAdmin.get_actions

    def none_for_the_second(self, request):
        return {} if request.user.username != "controller" else offered(self, request)

    monkeypatch.setattr(ContributionAdmin, "get_actions", none_for_the_second)
    assert CHECKBOX in first.get(LIST).content.decode()
    assert CHECKBOX not in second.get(LIST).content.decode()


def test_the_rows_follow_the_language(two_admins, aifabriek):
    first, _second = two_admins
    english = first.get(LIST).content.decode()
    dutch = first.get(LIST, headers={"accept-language": "nl"}).content.decode()
    assert "Committed" in english or "committed" in english
    assert english != dutch
