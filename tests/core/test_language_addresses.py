"""The language is in the address: Dutch without a prefix, English under /en/, whatever the
browser or a cookie says; each page links its other language and names both in hreflang."""

import re

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from funding.language_addresses import address_in, addresses_of, language_of
from tests.support.dataset import AIFABRIEK
from tests.support.urlconf import all_routes

pytestmark = pytest.mark.django_db
PAGE = f"/programmes/{AIFABRIEK}/"
# Every kind of page a person reads, at its Dutch address.
PAGES = [
    "/",
    PAGE,
    f"{PAGE}changes/",
    "/toegankelijkheid/",
    "/accounts/login/",
]
SAYS = {"nl": "Programma's", "en": "Programmes"}


def html_lang(response) -> str:
    return re.search(r'<html lang="([^"]+)"', response.content.decode())[1]


@pytest.mark.parametrize("path", PAGES)
@pytest.mark.parametrize(("language", "browser"), [("nl", "en"), ("en", "nl")])
def test_the_address_decides_the_language_not_the_browser_or_a_cookie(
    client, aifabriek, path, language, browser
):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = browser
    response = client.get(address_in(path, language), headers={"accept-language": browser})
    assert response.status_code == 200
    assert html_lang(response) == language
    assert response["Content-Language"] == language
    assert SAYS[language] in response.content.decode()
    assert "Accept-Language" not in response.get("Vary", "")


def test_a_dashboard_is_in_the_language_of_its_address(client, aifabriek, policy_staff):
    client.force_login(policy_staff)
    english = client.get("/en/dashboard/", headers={"accept-language": "nl"})
    assert html_lang(english) == "en" and "Portfolio" in english.content.decode()
    dutch = client.get("/dashboard/", headers={"accept-language": "en"})
    assert html_lang(dutch) == "nl"


def test_signing_in_from_an_english_page_is_in_english(client, db):
    response = client.get("/en/dashboard/")
    assert response.status_code == 302
    assert response["Location"] == "/en/accounts/login/?next=/en/dashboard/"
    assert client.get("/dashboard/")["Location"] == "/accounts/login/?next=/dashboard/"


@pytest.mark.parametrize("language", ["nl", "en"])
def test_every_page_names_both_languages_and_the_default_in_hreflang(client, aifabriek, language):
    html = client.get(address_in(f"{PAGE}changes/?page=1", language)).content.decode()
    alternates = re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">', html)
    dutch = f"http://testserver{PAGE}changes/?page=1"
    english = f"http://testserver/en{PAGE}changes/?page=1"
    assert alternates == [("nl", dutch), ("en", english), ("x-default", dutch)]


@pytest.mark.parametrize(
    "path", ["/", PAGE, f"{PAGE}changes/?page=1&x=1", "/toegankelijkheid/", "/accounts/login/"]
)
def test_the_language_links_go_to_the_same_page_in_the_other_language(client, aifabriek, path):
    dutch = client.get(path).content.decode()
    switch = dutch[dutch.index('<nav class="lang-switch"') :]
    switch = switch[: switch.index("</nav>")]
    links = re.findall(
        r'<a href="([^"]+)" lang="(\w+)" hreflang="\w+"( aria-current="true")?>', switch
    )
    english = "/en" + path.replace("&", "&amp;")
    assert links == [
        (path.replace("&", "&amp;"), "nl", ' aria-current="true"'),
        (english, "en", ""),
    ]
    english_page = client.get(english.replace("&amp;", "&")).content.decode()
    assert f'<a href="{path.replace("&", "&amp;")}" lang="nl" hreflang="nl">' in english_page
    assert 'lang="en" hreflang="en" aria-current="true">English</a>' in english_page
    # A plain link: no form to post, no cookie set.
    assert "/language/" not in dutch and "setlang" not in dutch


@pytest.mark.parametrize(
    ("old", "sent_to"),
    [
        (f"/language/en/?next={PAGE}", f"/en{PAGE}"),
        (f"/language/nl/?next=/en{PAGE}", PAGE),
        (f"/language/en/?next={PAGE}changes/%3Fpage%3D2", f"/en{PAGE}changes/?page=2"),
        ("/language/en/?next=https://elsewhere.example/", "/en/"),
        ("/language/en/?next=//elsewhere.example/", "/en/"),
        ("/language/en/", "/en/"),
        ("/language/nl/?next=/api/programmes/", "/api/programmes/"),
    ],
)
def test_the_old_language_links_go_to_the_page_in_that_language(client, aifabriek, old, sent_to):
    response = client.get(old)
    assert response.status_code == 301
    assert response["Location"] == sent_to
    assert response.cookies == {}


def test_the_old_language_link_refuses_other_languages_and_posts(client, db):
    assert client.get("/language/de/?next=/").status_code == 404
    assert client.post("/language/en/", {"next": "/"}).status_code == 405


def test_the_feed_exists_per_language_and_its_links_follow(client, aifabriek):
    english = client.get(f"/en{PAGE}feed/", headers={"accept-language": "nl"}).content.decode()
    assert f'<link href="http://testserver/en{PAGE}" rel="alternate"' in english
    assert f'<link href="http://testserver/en{PAGE}feed/" rel="self"' in english
    assert "AI Factory Groningen: changes" in english
    dutch = client.get(f"{PAGE}feed/", headers={"accept-language": "en"}).content.decode()
    assert f'<link href="http://testserver{PAGE}" rel="alternate"' in dutch
    assert f'<link href="http://testserver{PAGE}feed/" rel="self"' in dutch
    assert "AI Factory Groningen: changes" not in dutch


def test_the_programme_page_links_the_feed_of_its_language(client, aifabriek):
    html = client.get(f"/en{PAGE}").content.decode()
    assert f'href="/en{PAGE}feed/"' in html
    assert f'href="{PAGE}feed/"' not in html.split("</head>")[1]


def test_the_api_is_language_neutral_and_links_the_dutch_pages(client, aifabriek):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(f"/api/programmes/{AIFABRIEK}/", headers={"accept-language": "en"})
    assert response.status_code == 200
    assert "Accept-Language" not in response.get("Vary", "")
    links = response.json()["links"]
    assert links["html"] == PAGE and links["feed"] == f"{PAGE}feed/"
    assert client.get(f"/en/api/programmes/{AIFABRIEK}/").status_code == 404
    assert client.get("/en/healthz").status_code == 404


def test_the_admin_follows_its_users_language(client, db):
    english = client.get("/admin/login/", headers={"accept-language": "en"})
    assert html_lang(english) == "en"
    assert "Accept-Language" in english["Vary"]
    assert html_lang(client.get("/admin/login/", headers={"accept-language": "nl"})) == "nl"


def test_a_missing_page_under_en_is_the_english_404(client, db):
    response = client.get("/en/no-such-page/", headers={"accept-language": "nl"})
    assert response.status_code == 404
    assert html_lang(response) == "en"
    assert "Page not found" in response.content.decode()
    assert '<link rel="alternate"' not in response.content.decode()
    dutch = client.get("/no-such-page/", headers={"accept-language": "en"})
    assert html_lang(dutch) == "nl"


def test_every_page_in_english_is_its_dutch_address_under_en():
    """The language links of a page no pattern answers (a 404) rely on this: no route is
    translated, so the English address is the Dutch one under /en/."""
    checked = 0
    for route in all_routes():
        if not route.in_each_language or route.name is None:
            continue
        args = [
            AIFABRIEK if "<slug:" in part else "x" for part in re.findall(r"<[^>]+>", route.pattern)
        ]
        with translation.override("nl"):
            dutch = reverse(route.name, args=args)
        with translation.override("en"):
            english = reverse(route.name, args=args)
        assert english == "/en" + dutch, route.pattern
        assert addresses_of(dutch) == {"nl": dutch, "en": english}
        assert language_of(english) == "en" and language_of(dutch) == "nl"
        checked += 1
    assert checked > 15


def test_language_neutral_addresses_have_no_other_language():
    for path in ["/api/programmes/", "/healthz", "/metrics", "/admin/", "/accounts/oidc/callback/"]:
        assert addresses_of(path) is None, path
        assert address_in(path, "en") is None


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_signing_in_and_out_lands_on_a_page_in_the_same_language(client, aifabriek, prefix):
    from tests.support.users import PASSWORD, make_user

    make_user("reader")
    signed_in = client.post(
        f"{prefix}/accounts/login/", {"username": "reader", "password": PASSWORD}
    )
    assert signed_in.status_code == 302
    assert signed_in["Location"] == f"{prefix}/dashboard/"
    signed_out = client.post(f"{prefix}/accounts/logout/")
    assert signed_out["Location"] == f"{prefix}/"
