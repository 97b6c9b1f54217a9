"""Every admin list takes any value in any of its parameters: a clear answer, never a 500."""

import pytest
from django.contrib import admin
from django.contrib.auth.models import User
from django.test import Client, RequestFactory
from django.urls import reverse

from tests.support.admin_forms import sign_in_in_english
from tests.support.factories import ContributionFactory, OrganisationFactory
from tests.support.urlconf import sign_in_records

HOSTILE_VALUES = [
    "99999999999999999999999",
    "-1",
    "-99999999999999999999",
    "9999",
    "0",
    "\x00",
    "a\x00b",
    "",
    "é漢字🙂",
    "x" * 300,
    "no-such-choice",
]
# The parameters every list reads besides its filters and search: ordering, page, all rows.
LIST_PARAMETERS = ["o", "p", "all"]


def list_address(model) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")


def list_parameters(model_admin, user) -> list[str]:
    """The query parameters the list reads: each filter's lookups, the dates, search, order."""
    request = RequestFactory().get(list_address(model_admin.model))
    request.user = user
    changelist = model_admin.get_changelist_instance(request)
    names = {name for spec in changelist.filter_specs for name in spec.expected_parameters()}
    if model_admin.date_hierarchy:
        names |= {f"{model_admin.date_hierarchy}__{part}" for part in ("year", "month", "day")}
    if model_admin.get_search_fields(request):
        names.add("q")
    return sorted(names) + LIST_PARAMETERS


@pytest.fixture
def two_programmes(aifabriek):
    """The data set and a second programme: a filter with a single choice is not shown, and
    Django then ignores its parameter."""
    ContributionFactory(funder=OrganisationFactory(name="Second Fund"))


@pytest.fixture
def superuser_client(two_programmes):
    user = User.objects.create_superuser("root", password="a-root-password-of-length")
    sign_in_records(user)
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client, user


@pytest.mark.parametrize(
    "model_admin",
    list(admin.site._registry.values()),
    ids=lambda model_admin: model_admin.model._meta.label,
)
def test_every_list_parameter_takes_hostile_values(superuser_client, model_admin):
    client, user = superuser_client
    address = list_address(model_admin.model)
    assert client.get(address).status_code == 200
    failures = []
    for name in list_parameters(model_admin, user):
        for value in HOSTILE_VALUES:
            response = client.get(address, {name: value})
            if response.status_code >= 500:
                failures.append(f"{name}={value[:20]!r}: {response.status_code}")
    assert not failures, "\n".join(failures)


@pytest.fixture
def controller(client, funding_admin, two_programmes):
    return sign_in_in_english(client, funding_admin)


@pytest.mark.parametrize("name", ["funder__id__exact", "programme__id__exact"])
def test_an_id_beyond_the_column_lists_no_contributions(controller, name):
    response = controller.get(
        reverse("admin:funding_contribution_changelist"), {name: "99999999999999999999999"}
    )
    assert response.status_code == 200
    assert response.context["totals"] == []
    assert list(response.context["cl"].result_list) == []


@pytest.mark.parametrize(
    ("model", "name"),
    [("funding_contribution", "status__exact"), ("accounts_signinevent", "kind__exact")],
)
def test_a_nul_in_a_list_filter_is_a_bad_request(controller, model, name):
    response = controller.get(reverse(f"admin:{model}_changelist"), {name: "\x00"})
    assert response.status_code == 400
    assert response.content.decode() == "The address holds a NUL character."


def test_a_year_beyond_the_calendar_is_an_invalid_lookup(controller):
    address = reverse("admin:accounts_signinevent_changelist")
    for year in ("99999999999999999999", "9999"):
        response = controller.get(address, {"at__year": year})
        assert (response.status_code, response["Location"]) == (302, f"{address}?e=1")


@pytest.mark.parametrize("value", ["9223372036854775808", "-9223372036854775809", "1.5"])
def test_an_autocomplete_choice_beyond_the_columns_range_is_a_form_error(
    client, aifabriek, funding_admin, value
):
    from tests.support.factories import DateEstimateFactory

    estimate = DateEstimateFactory(milestone=aifabriek.milestones.order_by("pk").first())
    sign_in_in_english(client, funding_admin)
    url = reverse("admin:funding_dateestimate_change", args=[estimate.pk])
    response = client.post(url, {"source": value})
    assert response.status_code == 200
    assert "source" in response.context["adminform"].form.errors
