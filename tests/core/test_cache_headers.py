"""Which answers a shared cache may keep (funding/cache_headers.py): anonymous public answers are
`public` with a short lifetime and no `Vary: Cookie`; anything personal is `private, no-store`."""

import pytest
from django.conf import settings
from django.contrib.messages import INFO
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.db import SessionStore
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.test import Client, RequestFactory, override_settings

from funding.cache_headers import (
    is_public_address,
    may_be_shared,
    public_cache_control,
    without_language_prefix,
)
from tests.support.cache_headers import PRIVATE, SHARED
from tests.support.dataset import AIFABRIEK

PAGE = f"/programmes/{AIFABRIEK}/"
PUBLIC_ANSWERS = [
    "/",
    PAGE,
    PAGE + "changes/",
    PAGE + "feed/",
    PAGE + "badge.svg",
    PAGE + "embed/",
    PAGE + "charts/progress.csv",
    "/toegankelijkheid/",
    "/api/programmes/",
    f"/api/programmes/{AIFABRIEK}/",
    f"/api/programmes/{AIFABRIEK}/contributions.csv",
    f"/api/programmes/{AIFABRIEK}/oc4ids.json",
    "/api/oc4ids.json",
    "/api/openapi.json",
]


def vary(response) -> set[str]:
    return {value.strip().lower() for value in response.get("Vary", "").split(",") if value}


def test_the_header_comes_from_settings(settings):
    settings.PUBLIC_MAX_AGE, settings.PUBLIC_STALE_WHILE_REVALIDATE = 7, 11
    settings.PUBLIC_STALE_IF_ERROR = 3600
    assert public_cache_control() == (
        "public, max-age=7, stale-while-revalidate=11, stale-if-error=3600"
    )


@pytest.mark.parametrize("path", PUBLIC_ANSWERS)
def test_an_anonymous_public_answer_may_be_kept_by_a_shared_cache(client, aifabriek, path):
    response = client.get(path)
    assert response.status_code == 200
    assert response["Cache-Control"] == SHARED
    # The accessibility statement changes only with a release: it has no validators.
    assert response.has_header("ETag") or path == "/toegankelijkheid/"
    assert response.cookies == {}
    assert "cookie" not in vary(response)
    assert not response.has_header("Expires")


@pytest.mark.parametrize("path", ["/", PAGE, f"/api/programmes/{AIFABRIEK}/", PAGE + "feed/"])
def test_the_same_address_asked_by_a_signed_in_staff_member_is_private(
    client, staff_client, aifabriek, path
):
    anonymous = Client().get(path)
    signed_in = staff_client.get(path)
    assert (anonymous.status_code, signed_in.status_code) == (200, 200)
    assert anonymous["Cache-Control"] == SHARED
    assert signed_in["Cache-Control"] == PRIVATE


def test_the_signed_in_page_names_the_person_and_the_public_one_does_not(staff_client, aifabriek):
    assert "policy" in staff_client.get(PAGE).content.decode()
    assert "policy" not in Client().get(PAGE).content.decode()


@pytest.mark.parametrize("path", ["/", PAGE, f"/api/programmes/{AIFABRIEK}/", PAGE + "badge.svg"])
def test_a_head_is_public_with_the_get_s_validators(client, aifabriek, path):
    get, head = client.get(path), client.head(path)
    assert head.status_code == 200
    assert head["Cache-Control"] == SHARED
    assert head["ETag"] == get["ETag"]
    assert head.content == b""


@pytest.mark.parametrize("path", ["/", PAGE, f"/api/programmes/{AIFABRIEK}/", PAGE + "embed/"])
def test_a_revalidation_gets_304_with_the_public_header(client, aifabriek, path):
    first = client.get(path)
    again = client.get(path, headers={"if-none-match": first["ETag"]})
    assert again.status_code == 304
    assert again["Cache-Control"] == SHARED
    assert again["ETag"] == first["ETag"]


@pytest.mark.parametrize(
    "path",
    ["/admin/", "/admin/login/", "/dashboard/", "/accounts/login/", "/healthz", "/metrics"],
)
def test_staff_sign_in_and_operations_answers_are_private_even_anonymously(client, aifabriek, path):
    assert client.get(path)["Cache-Control"] == PRIVATE


def test_the_sign_in_form_with_its_csrf_token_is_private(client, aifabriek):
    response = client.get("/accounts/login/")
    assert "csrfmiddlewaretoken" in response.content.decode()
    assert response["Cache-Control"] == PRIVATE


def test_a_public_address_that_does_not_exist_is_a_short_public_404(client, aifabriek):
    response = client.get("/programmes/no-such-programme/")
    assert response.status_code == 404
    assert response["Cache-Control"] == SHARED


def test_a_404_elsewhere_is_private(client, aifabriek):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert response["Cache-Control"] == PRIVATE


def test_a_bad_request_to_the_api_is_private(client, aifabriek):
    response = client.get(f"/api/programmes/{AIFABRIEK}/contributions/?page=x")
    assert response.status_code == 400
    assert response["Cache-Control"] == PRIVATE


def test_a_post_to_a_public_address_is_private(client, aifabriek):
    response = client.post(PAGE)
    assert response.status_code == 405
    assert response["Cache-Control"] == PRIVATE


def test_a_session_cookie_makes_the_answer_private_even_when_it_signs_no_one_in(client, aifabriek):
    client.cookies[settings.SESSION_COOKIE_NAME] = "not-a-session"
    response = client.get(PAGE)
    assert response.status_code == 200
    assert response["Cache-Control"] == PRIVATE


def test_credentials_in_an_authorization_header_make_the_answer_private(client, aifabriek):
    response = client.get(f"/api/programmes/{AIFABRIEK}/", headers={"authorization": "Bearer x"})
    assert response["Cache-Control"] == PRIVATE


def test_a_language_cookie_no_longer_chooses_so_the_page_stays_shared(client, aifabriek):
    """The language is in the address: a cookie left from the old language links changes
    nothing, so the Dutch address stays one shared page."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(PAGE, headers={"accept-language": "en"})
    assert "€ 130.000.000" in response.content.decode()
    assert response["Cache-Control"] == SHARED
    assert not {"cookie", "accept-language"} & vary(response)


def test_the_open_data_ignores_the_language_cookie_and_accept_language(client, aifabriek):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get(f"/api/programmes/{AIFABRIEK}/", headers={"accept-language": "en"})
    dutch = Client().get(f"/api/programmes/{AIFABRIEK}/", headers={"accept-language": "nl"})
    assert english.content == dutch.content
    assert english["Cache-Control"] == SHARED
    assert "accept-language" not in vary(english)


@override_settings(ROOT_URLCONF="tests.support.language_urlconf")
def test_a_page_whose_language_is_in_the_address_does_not_vary_by_accept_language(client, db):
    for path, language in (("/toegankelijkheid/", "nl"), ("/en/toegankelijkheid/", "en")):
        response = client.get(path, headers={"accept-language": "en"})
        assert response.content.decode() == f"statement in {language}"
        assert response["Cache-Control"] == SHARED
        assert "accept-language" not in vary(response)
        assert "cookie" not in vary(response)


def public_request(path=PAGE, **cookies):
    request = RequestFactory().get(path)
    request.COOKIES.update(cookies)
    request.session = SessionStore()
    return request


def test_a_used_csrf_token_makes_the_answer_private(db):
    request = public_request()
    assert may_be_shared(request, HttpResponse("page"))
    get_token(request)
    assert not may_be_shared(request, HttpResponse("page"))


def test_a_message_for_the_visitor_makes_the_answer_private(db):
    request = public_request()
    request._messages = FallbackStorage(request)
    assert may_be_shared(request, HttpResponse("page"))
    request._messages.add(INFO, "You have been signed out.")
    assert not may_be_shared(request, HttpResponse("page"))


def test_an_answer_that_sets_a_cookie_is_private(db):
    response = HttpResponse("page")
    response.set_cookie("anything", "1")
    assert not may_be_shared(public_request(), response)


@pytest.mark.parametrize("status", [302, 400, 403, 429, 500, 503])
def test_redirects_refusals_and_failures_are_private(db, status):
    assert not may_be_shared(public_request(), HttpResponse(status=status))


@pytest.mark.parametrize(
    "path, expected",
    [
        ("/en/programmes/x/", "/programmes/x/"),
        ("/en/", "/"),
        ("/en", "/"),
        ("/programmes/x/", "/programmes/x/"),
        ("/nl/programmes/x/", "/nl/programmes/x/"),  # Dutch has no prefix
        ("/enquete/", "/enquete/"),
    ],
)
def test_the_language_prefix_is_taken_off(path, expected):
    assert without_language_prefix(path) == expected


@pytest.mark.parametrize(
    "path, public",
    [
        ("/", True),
        ("/en/", True),
        ("/en/programmes/x/feed/", True),
        ("/programmes/x/badge.svg", True),
        ("/api/oc4ids.json", True),
        ("/en/toegankelijkheid/", True),
        ("/programmes/", False),
        ("/dashboard/", False),
        ("/en/dashboard/x/", False),
        ("/admin/", False),
        ("/accounts/login/", False),
        ("/en/accounts/login/", False),
        ("/language/en/", False),
        ("/healthz", False),
        ("/static/css/app.css", False),
    ],
)
def test_the_public_addresses_are_the_public_families_with_or_without_en(path, public):
    assert is_public_address(path) is public


def test_a_page_as_it_stood_on_a_past_day_may_be_kept_longer(client, aifabriek):
    """A day that is over does not change (only a correction of history would change it), so
    its page is shared for PUBLIC_SETTLED_MAX_AGE, not the live page's few seconds."""
    past = client.get(PAGE, {"on": "2026-10-01"})
    assert past.status_code == 200
    assert past["Cache-Control"] == SHARED.replace("max-age=5,", "max-age=3600,")
    assert client.get(PAGE)["Cache-Control"] == SHARED
