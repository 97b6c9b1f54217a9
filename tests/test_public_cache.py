"""Public pages and open data are cached, and an admin's change shows on the next request."""

import json

import pytest
from django.core.cache import cache

from funding.cache import GENERATION_KEY
from funding.models import Contribution
from tests.admin_forms import form_data
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db
PAGE = "/programmes/ai-fabriek-groningen/"
API = "/api/programmes/ai-fabriek-groningen/"


def test_editing_a_contribution_in_the_admin_changes_page_and_api_at_once(
    client, aifabriek, funding_admin
):
    assert "€ 130.000.000" in client.get(PAGE).content.decode()
    assert json.loads(client.get(API).content)["committed"] == "130000000.00"

    client.login(username=funding_admin.username, password=PASSWORD)
    eu = Contribution.objects.get(key="eu-cofinanciering")
    url = f"/admin/funding/contribution/{eu.pk}/change/"
    data = form_data(client.get(url), "contribution_form")
    data["status"] = "committed"
    data["status_effective_on"] = "2026-11-20"
    data["status_source"] = str(aifabriek.target_source.pk)
    response = client.post(url, data)
    assert response.status_code == 302, response.context["errors"]
    client.logout()

    html = client.get(PAGE).content.decode()
    assert "€ 200.000.000" in html  # committed now equals the target
    assert json.loads(client.get(API).content)["committed"] == "200000000.00"
    assert json.loads(client.get(API).content)["pending"] == "0.00"


def test_any_saved_funding_record_retires_the_cached_pages(aifabriek):
    before = cache.get(GENERATION_KEY)
    source = aifabriek.target_source
    source.publisher = "Rijksoverheid"
    source.save()
    assert cache.get(GENERATION_KEY) not in (None, before)


def test_cached_page_still_shows_each_visitor_their_own_sign_in_state(
    client, aifabriek, policy_staff
):
    assert "Inloggen" in client.get(PAGE).content.decode()
    client.login(username=policy_staff.username, password=PASSWORD)
    html = client.get(PAGE).content.decode()
    assert "policy afmelden" in html
    assert "Inloggen" not in html


def test_cached_page_is_per_language(client, aifabriek):
    assert "€ 130.000.000" in client.get(PAGE, headers={"accept-language": "nl"}).content.decode()
    english = client.get(PAGE, headers={"accept-language": "en"}).content.decode()
    assert "€130,000,000" in english
    assert "€ 130.000.000" not in english


def test_cached_programme_page_needs_no_queries(
    client, aifabriek, django_assert_max_num_queries, django_assert_num_queries
):
    with django_assert_max_num_queries(8):
        client.get(PAGE)
    with django_assert_num_queries(0):
        assert client.get(PAGE).status_code == 200
