"""Every page of ours that the link walker reaches is valid HTML to the Nu Html Checker.

Django's own admin templates are left out (the walk does not start at /admin/ and drops its
pages); the public pages, dashboards, sign-in and error pages are checked in Dutch and English.
"""

import re

import pytest
from django.test import Client

from funding.public.home_listing import HOME_PAGE_SIZE
from tests.support.factories import ProgrammeFactory, small_portfolio
from tests.support.html_checker import CheckedPage, check_pages, report
from tests.support.link_walker import ANONYMOUS, POLICY_STAFF, ROLES, signed_in_client, walk
from tests.support.pages import address_in

# The HTML does not depend on the database, so this runs in the SQLite pass only (Makefile).
pytestmark = [pytest.mark.django_db, pytest.mark.html_check]
LANGUAGES = ("nl", "en")
START_URLS = ("/", "/dashboard/")
# Pages the check must have seen, at their Dutch address and at their English one (/en/…): if a
# change to the walker or the site stops it reaching one of these, this test says so rather than
# checking less.
KINDS_OF_PAGE = (
    r"/",
    r"/\?page=2",
    r"/programmes/[\w-]+/",
    r"/programmes/[\w-]+/changes/",
    r"/programmes/[\w-]+/embed/",
    r"/toegankelijkheid/",
    r"/accounts/login/\?next=/dashboard/",
    r"/dashboard/",
    r"/dashboard/\?.*page=2.*",
    r"/dashboard/[\w-]+/",
    r"/dashboard/[\w-]+/contributions/",
    r"/dashboard/[\w-]+/contributions/\?.*page=2.*",
    r"/no-such-page/",
)


def pages_each_role_reaches(client_factory):
    """Each kind of page once, in both languages, as the first role (in ROLES' order) to reach it.

    Policy staff reach every page of ours (public and dashboards), a few of each URL route; the
    other roles differ in the header and in what they are refused, so their start pages (home,
    sign-in, the 403 page, the dashboard with the admin link) stand for the rest.
    """
    pages, seen = [], set()
    for role in ROLES:
        client = signed_in_client(client_factory(), role)
        depth = 3 if role == POLICY_STAFF else 0
        result = walk(client, role, start_urls=START_URLS, max_depth=depth, pages_per_route=2)
        assert result.findings == [], "\n".join(map(str, result.findings))
        reached = [(url, html, 200) for url, html in result.html.items()]
        reached += [(url, html, 403) for url, html in result.refused.items()]
        for url, html, status in reached:
            # An English page the walk reached by a language link is checked as its Dutch
            # page's English address.
            if url.startswith(("/admin/", "/en/")) or (url, status) in seen:
                continue
            seen.add((url, status))
            pages.append(CheckedPage(url, role, "nl", html))
            english_url = address_in(url, "en")
            english = client.get(english_url)
            assert english.status_code == status, f"[{role}] {english_url}: {english.status_code}"
            pages.append(CheckedPage(english_url, role, "en", english.content.decode()))
    return pages


def error_pages(client_factory):
    pages = []
    for language in LANGUAGES:
        url = address_in("/no-such-page/", language)
        response = client_factory().get(url)
        assert response.status_code == 404
        pages.append(CheckedPage(url, ANONYMOUS, language, response.content.decode()))
    return pages


def test_every_page_is_valid_html(aifabriek, hidden_records, tmp_path):
    busy = small_portfolio()
    # First by name, so the walk (two programmes per kind of page) opens its second table page
    # whatever names the factories gave the others in this test run.
    busy.name = "A programme with two pages of contributions"
    busy.save()
    # Enough public programmes for a second home page: the walk opens two of each kind only.
    ProgrammeFactory.create_batch(HOME_PAGE_SIZE, is_public=True)
    pages = pages_each_role_reaches(Client) + error_pages(Client)
    checked_urls = {page.url for page in pages}
    for kind in KINDS_OF_PAGE:
        for address in (kind, "/en" + kind):
            assert any(re.fullmatch(address, url) for url in checked_urls), f"no page {address}"
    print(f"HTML check: {len(pages)} pages ({len(checked_urls)} addresses in nl and en)")

    errors = check_pages(pages, tmp_path)
    assert errors == [], report(errors)
