"""Error pages speak the site's language, say who sees them, and lead back to the programmes."""

import re

import pytest
from django.core.exceptions import BadRequest
from django.test import Client, RequestFactory
from django.utils import translation
from django.views.defaults import bad_request, server_error

from tests.support.pages import address_in

pytestmark = pytest.mark.django_db


def html_lang(html: str) -> str:
    return re.search(r'<html lang="([^"]+)"', html).group(1)


@pytest.mark.parametrize(
    "language, heading, audience",
    [
        (
            "nl",
            "Pagina niet gevonden",
            "Getoond aan iedereen die een pagina vraagt die niet bestaat.",
        ),
        ("en", "Page not found", "Shown to anyone who asks for a page that does not exist."),
    ],
)
@pytest.mark.parametrize("path", ["/nope", "/programmes/nope/", "/dashboard/nope/"])
def test_not_found_page_is_the_sites_own(client, policy_staff, path, language, heading, audience):
    client.force_login(policy_staff)
    response = client.get(address_in(path, language))
    html = response.content.decode()
    assert response.status_code == 404
    assert html_lang(html) == language
    assert f'<h1 class="utrecht-heading-1">{heading}</h1>' in html
    assert audience in html
    assert f'href="{address_in("/toegankelijkheid/", language)}"' in html


def test_expired_form_page_explains_and_keeps_the_footer(db):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/i18n/setlang/", {"language": "en"})
    html = response.content.decode()
    assert response.status_code == 403
    assert html_lang(html) == "nl"
    assert "Het formulier kon niet worden gecontroleerd" in html
    assert "Getoond aan iedereen wiens formulier niet kon worden gecontroleerd." in html


def test_server_error_and_bad_request_pages_render_without_a_request_context():
    request = RequestFactory().get("/")
    with translation.override("en"):
        failed = server_error(request).content.decode()
        bad = bad_request(request, BadRequest()).content.decode()
    assert "Something went wrong on our side" in failed
    assert "Shown to anyone when the site fails to answer." in failed
    assert "The request could not be understood." in bad
    assert "Shown to anyone whose request could not be understood." in bad


def test_sign_out_address_opened_directly_asks_before_signing_out(client, policy_staff):
    client.force_login(policy_staff)
    page = client.get(address_in("/accounts/logout/", "en"))
    html = page.content.decode()
    assert page.status_code == 200
    assert "You are signed in as policy." in html
    assert "Sign-out page: anyone may see it." in html
    assert client.get("/dashboard/").status_code == 200  # still signed in after the GET
    client.post("/accounts/logout/")
    assert client.get("/dashboard/").status_code == 302
