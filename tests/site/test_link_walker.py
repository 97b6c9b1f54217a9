"""Every same-site link and GET form answers what its reader may open, for each role, in both
languages: the walk follows the language links from the Dutch pages to the English ones."""

import re

import pytest
from django.http import HttpResponse, HttpResponseNotFound, HttpResponseRedirect

from funding.models import Programme
from tests.support.factories import small_portfolio
from tests.support.link_walker import (
    ANONYMOUS,
    FUNDING_ADMIN,
    POLICY_STAFF,
    ROLES,
    Link,
    links_and_forms,
    signed_in_client,
    walk,
)


def walk_and_report(client, role, **options):
    result = walk(signed_in_client(client, role), role, **options)
    print(result.summary())
    return result


def findings_text(result):
    return "\n" + "\n".join(map(str, result.findings))


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_every_link_answers_on_the_shipped_data_set(client, aifabriek, hidden_records, role):
    result = walk_and_report(client, role)
    assert result.findings == [], findings_text(result)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_every_link_answers_on_a_portfolio_with_pages_and_hidden_records(client, aifabriek, role):
    busy = small_portfolio()
    # Every figure on the dashboards links to its rows (a filter of its own), so staff pages
    # open more addresses than the default budget of 400 covers, and each in both languages.
    result = walk_and_report(client, role, max_pages=1400)
    assert result.findings == [], findings_text(result)
    if role in (POLICY_STAFF, FUNDING_ADMIN):
        for hidden in Programme.objects.filter(is_public=False):
            assert f"/dashboard/{hidden.slug}/" in result.html
            assert f"/en/dashboard/{hidden.slug}/" in result.html
        assert f"/dashboard/{busy.slug}/contributions/?page=2" in result.html
        assert "/dashboard/?page=2" in result.html
        # The English pages are reached through the language links, one step further down.
        english_second_pages = [
            url
            for url in result.html
            if re.fullmatch(rf"/en/dashboard/{busy.slug}/contributions/\?.*page=2.*", url)
        ]
        assert english_second_pages


class CannedClient:
    """Answers from a dict of address to response, as the test client would."""

    def __init__(self, pages):
        self.pages = pages

    def get(self, url):
        return self.pages.get(url) or HttpResponseNotFound("<!doctype html><title>404</title>")


def test_the_walker_reports_what_a_reader_cannot_use():
    home = """{# unclosed comment <a href="?" download>CSV</a> <a href="/data.csv" download>CSV</a>
      <a href="/gone/">gone</a> <a href="/dashboard/">staff only</a> <a href="/old/">moved</a>
      <a href="https://elsewhere.example/">elsewhere</a> <a href="/accounts/logout/">sign out</a>"""
    client = CannedClient(
        {
            "/": HttpResponse(home),
            "/data.csv": HttpResponse("<p>not a CSV</p>"),
            "/dashboard/": HttpResponseRedirect("/accounts/login/?next=/dashboard/"),
            "/accounts/login/?next=/dashboard/": HttpResponse("<form method=post></form>"),
            "/old/": HttpResponseRedirect("/"),
        }
    )
    result = walk(client, ANONYMOUS, start_urls=["/"])
    assert [(finding.url, finding.problem) for finding in result.findings] == [
        ("/", "shows template syntax: '{# unclosed comment <a href=\"?'"),
        ("/", "marked download, but neither its address nor a type says what it is"),
        ("/data.csv", "promises text/csv, answers text/html; charset=utf-8"),
        ("/gone/", "answers 404; the role should get a page"),
        ("/dashboard/", "a link to a redirect to sign in: its reader may not open it"),
        ("/old/", "shows template syntax: '{# unclosed comment <a href=\"?'"),
    ]
    assert (result.pages, result.links) == (6, 14)


def test_get_forms_are_submitted_with_their_default_values():
    html = """
    <form method="get" action="/search/">
      <input name="q" value="ai"><input type="checkbox" name="x" value="1">
      <input type="checkbox" name="y" value="2" checked>
      <select name="status"><option value="">all</option>
        <option value="done" selected>done</option></select>
      <select name="order"><option value="name">name</option></select>
      <textarea name="notes">some</textarea><button type="submit" name="go">Go</button>
    </form>
    <form method="post" action="/change/"><input name="secret" value="1"></form>
    """
    assert [link.url for link in links_and_forms(html, "/page/")] == [
        "/search/?q=ai&y=2&status=done&order=name&notes=some"
    ]


def test_alternate_links_promise_their_type():
    html = (
        '<link rel="alternate" type="application/atom+xml" href="feed/">'
        '<link rel="icon" href="/x.svg">'
    )
    assert links_and_forms(html, "/programmes/a/") == [
        Link("/programmes/a/feed/", type="application/atom+xml")
    ]
