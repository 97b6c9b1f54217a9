"""Public pages and open data are cached, and an admin's change shows on the next request."""

import json

import pytest
from django.core.cache import cache
from django.test import Client

from funding.cache import GENERATION_KEY
from funding.models import Contribution
from tests.support.admin_forms import form_data
from tests.support.cache_headers import SHARED
from tests.support.pages import address_in

pytestmark = pytest.mark.django_db
PAGE = "/programmes/ai-fabriek-groningen/"
API = "/api/programmes/ai-fabriek-groningen/"


def test_editing_a_contribution_in_the_admin_changes_page_and_api_at_once(
    client, aifabriek, funding_admin
):
    assert "€ 130.000.000" in client.get(PAGE).content.decode()
    assert json.loads(client.get(API).content)["committed"] == "130000000.00"

    client.force_login(funding_admin)
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
    client.force_login(policy_staff)
    html = client.get(PAGE).content.decode()
    assert "policy afmelden" in html
    assert "Inloggen" not in html


def test_cached_page_is_per_language(client, aifabriek):
    assert "€ 130.000.000" in client.get(address_in(PAGE, "nl")).content.decode()
    english = client.get(address_in(PAGE, "en")).content.decode()
    assert "€130,000,000" in english
    assert "€ 130.000.000" not in english


def test_cached_programme_page_needs_no_queries(
    client, aifabriek, django_assert_max_num_queries, django_assert_num_queries
):
    with django_assert_max_num_queries(13):  # 12, and the day its quotes were checked
        client.get(PAGE)
    with django_assert_num_queries(0):
        assert client.get(PAGE).status_code == 200


@pytest.mark.parametrize("url", ["/", PAGE])
def test_public_page_answers_a_conditional_get_with_304(client, aifabriek, url):
    first = client.get(url)
    assert first["ETag"] and first["Last-Modified"]
    assert first["Cache-Control"] == SHARED
    again = client.get(url, headers={"if-none-match": first["ETag"]})
    assert again.status_code == 304
    assert again.content == b""


def test_public_page_etag_changes_when_a_figure_changes(client, aifabriek):
    etag = client.get(PAGE)["ETag"]
    eu = Contribution.objects.get(key="eu-cofinanciering")
    eu.status = "committed"
    eu.save()
    response = client.get(PAGE, headers={"if-none-match": etag})
    assert response.status_code == 200
    assert "€ 200.000.000" in response.content.decode()


def test_public_page_etag_differs_per_language_and_query(client, aifabriek):
    dutch = client.get(address_in(PAGE, "nl"))["ETag"]
    english = client.get(address_in(PAGE, "en"))["ETag"]
    paged = client.get(address_in(PAGE + "?page=2", "en"))["ETag"]
    assert len({dutch, english, paged}) == 3


def test_public_page_date_alone_gets_the_whole_page(client, aifabriek):
    # The date of the last change cannot say whether a milestone has become overdue since.
    modified = client.get(PAGE)["Last-Modified"]
    assert client.get(PAGE, headers={"if-modified-since": modified}).status_code == 200


@pytest.mark.parametrize("url", ["/", PAGE, PAGE + "changes/"])
def test_a_public_page_is_the_same_for_every_visitor_and_sets_no_cookie(aifabriek, url):
    first, second = Client(), Client()
    one, other = first.get(url), second.get(url)
    assert one.content == other.content and one["ETag"] == other["ETag"]
    assert one.cookies == {} and other.cookies == {}
    assert "csrfmiddlewaretoken" not in one.content.decode()


def test_signed_in_visitors_get_no_etag(client, aifabriek, policy_staff):
    client.force_login(policy_staff)
    response = client.get(PAGE)
    assert "ETag" not in response
    assert "policy afmelden" in response.content.decode()


def test_a_very_long_address_gets_a_short_cache_key_and_a_404(client, aifabriek):
    """Found by the fuzz tests: the slug went into the key, past what cache backends accept."""
    from funding.cache import MAX_KEY_LENGTH, cache_key

    slug = "9" * 300
    assert len(cache_key("programme", slug)) <= MAX_KEY_LENGTH
    assert cache_key("programme", slug) != cache_key("programme", slug + "0")
    assert client.get(f"/programmes/{slug}/").status_code == 404
