"""The admin's big lists cost the same number of queries however many rows they hold."""

import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from funding.models import Contribution
from tests.support.admin_forms import sign_in_in_english
from tests.support.factories import OrganisationFactory, ProgrammeFactory, contributions_for

LISTS = [
    ("admin:funding_contribution_changelist", {}),
    ("admin:funding_contribution_changelist", {"status__exact": "committed"}),
    ("admin:funding_contribution_changelist", {"q": "Regeling Groei"}),
    ("admin:funding_contribution_changelist", {"has_source": "public_no"}),
    ("admin:funding_statusevent_changelist", {}),
    ("admin:funding_payment_changelist", {}),
]


@pytest.fixture
def controller(client, funding_admin):
    return sign_in_in_english(client, funding_admin)


def queries_for(client, name, params, *, warm: bool) -> int:
    """Queries of one request: cold (nothing cached, the session and its user included) or
    warm (the same request again)."""
    if not warm:
        cache.clear()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse(name), params)
    assert response.status_code == 200
    return len(captured)


def costs(client, name, params) -> tuple[int, int]:
    cold = queries_for(client, name, params, warm=False)
    return cold, queries_for(client, name, params, warm=True)


@pytest.mark.parametrize(("name", "params"), LISTS)
def test_a_list_costs_the_same_queries_at_two_sizes(controller, aifabriek, name, params):
    small = ProgrammeFactory(slug="klein")
    contributions_for(small, 3, instrument="Regeling Groei")
    at_small_size = costs(controller, name, params)
    for number in range(4):
        contributions_for(ProgrammeFactory(slug=f"groot-{number}"), 30, instrument="Regeling Groei")
    assert Contribution.objects.count() == 126
    assert costs(controller, name, params) == at_small_size
    # Cold: the session, the user with groups, team roles, permissions and devices (7), and the
    # list's own; a search adds one lookup each of funders and programmes.
    assert at_small_size[0] <= 17


# Warm, the contributions list reads only its page of rows (Django's admin counts them for the
# actions' "0 of 50 selected"). The totals, the filters' choices, the funders and programmes a
# search names, and the rendered rows and filters come from the cache.
WARM_CONTRIBUTION_LIST = [({}, 1), ({"status__exact": "committed"}, 1), ({"q": "Regeling"}, 1)]


@pytest.mark.parametrize(("params", "queries"), WARM_CONTRIBUTION_LIST)
def test_the_contribution_list_reads_only_its_rows_when_warm(
    controller, aifabriek, params, queries
):
    for number in range(3):
        contributions_for(ProgrammeFactory(slug=f"p-{number}"), 20, instrument="Regeling Groei")
    assert costs(controller, "admin:funding_contribution_changelist", params)[1] == queries


def test_the_search_finds_by_funder_key_and_programme_name_together(controller, aifabriek):
    funder = OrganisationFactory(key="fonds-noord", name="Fonds Noord")
    programme = ProgrammeFactory(slug="waterstof", name="Waterstofprogramma")
    contributions_for(programme, 2)
    wanted = Contribution.objects.create(
        programme=programme, key="wanted", funder=funder, amount=5, status="requested"
    )
    response = controller.get(
        reverse("admin:funding_contribution_changelist"), {"q": "fonds-noord Waterstof"}
    )
    assert [c.key for c in response.context["cl"].result_list] == [wanted.key]
    assert "1 result" in response.content.decode()


def test_a_programme_with_many_contributions_links_to_them_instead(controller, aifabriek):
    big = ProgrammeFactory(slug="regeling")
    contributions_for(big, 101)
    html = controller.get(reverse("admin:funding_programme_change", args=[big.pk])).content
    html = html.decode()
    assert f"/admin/funding/contribution/?programme__id__exact={big.pk}" in html
    assert "101 contributions, in the contributions list" in html
    assert 'name="contributions-0-key"' not in html


def test_a_programme_with_few_contributions_edits_them_on_its_page(controller, aifabriek):
    html = controller.get(reverse("admin:funding_programme_change", args=[aifabriek.pk]))
    assert 'name="contributions-0-key"' in html.content.decode()


def choice_filter_submission(html: str, chosen_label: str) -> list[tuple[str, str]]:
    """What the browser sends when the programme drop-down is set to `chosen_label` and the
    filter's button is pressed: the hidden fields and the chosen option's value."""
    form = re.search(r'<form method="get" class="choice-filter">(.*?)</form>', html, re.S).group(1)
    fields = re.findall(r'<input type="hidden" name="([^"]*)" value="([^"]*)">', form)
    name = re.search(r'<select id="[^"]*" name="([^"]*)">', form).group(1)
    options = dict(
        (label, value)
        for value, label in re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)<', form)
    )
    return [*fields, (name, options[chosen_label])]


def test_the_programme_drop_down_filters_and_keeps_the_search_and_other_filters(
    controller, aifabriek
):
    wanted = ProgrammeFactory(slug="waterstof", name="Waterstofprogramma")
    contributions_for(wanted, 3, instrument="Regeling Groei", status="committed")
    other = ProgrammeFactory(slug="ander", name="Ander programma")
    contributions_for(other, 2, instrument="Regeling Groei", status="committed")
    changelist = reverse("admin:funding_contribution_changelist")
    html = controller.get(changelist, {"q": "Regeling", "status__exact": "committed"}).content

    response = controller.get(changelist, choice_filter_submission(html.decode(), wanted.name))
    assert response.status_code == 200
    result = response.context["cl"].result_list
    assert {c.programme for c in result} == {wanted} and len(result) == 3
    # Chosen again when the page comes back, with the other filters still applied.
    page = response.content.decode()
    assert f'<option value="{wanted.pk}" selected>Waterstofprogramma</option>' in page
    assert response.context["cl"].params == {
        "q": "Regeling",
        "status__exact": "committed",
        "programme__id__exact": str(wanted.pk),
    }

    # "All" sends an empty value: every programme again, not Django's invalid-filter page.
    response = controller.get(changelist, choice_filter_submission(page, "All"))
    assert response.status_code == 200
    programmes = {c.programme for c in response.context["cl"].result_list}
    assert {wanted, other} <= programmes
    assert response.context["cl"].params["q"] == "Regeling"
