"""The badge and the framable summary other sites embed, and the code to copy on the public page."""

import re
from decimal import Decimal

import pytest

from funding.formatting import format_money_short
from funding.models import Programme
from tests.support.cache_headers import SHARED
from tests.support.dataset import AIFABRIEK
from tests.support.factories import ProgrammeFactory
from tests.support.pages import address_in

pytestmark = pytest.mark.django_db
BADGE = f"/programmes/{AIFABRIEK}/badge.svg"
EMBED = f"/programmes/{AIFABRIEK}/embed/"
PAGE = f"/programmes/{AIFABRIEK}/"
ENGLISH_BADGE = address_in(BADGE, "en")


def svg_title(response) -> str:
    return re.search(r"<title id=\"badge-title\">([^<]*)</title>", response.content.decode())[1]


def test_the_badge_is_an_svg_with_committed_of_target_in_its_title(client, aifabriek):
    response = client.get(BADGE)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert svg_title(response) == "AI-fabriek Groningen: € 130 mln van € 200 mln toegezegd (65%)"
    body = response.content.decode()
    assert body.startswith('<?xml version="1.0" encoding="UTF-8"?>')
    assert 'role="img" aria-labelledby="badge-title"' in body


def test_the_badge_speaks_the_language_of_its_address(client, aifabriek):
    assert f"/en/programmes/{AIFABRIEK}/badge.svg" == ENGLISH_BADGE
    response = client.get(ENGLISH_BADGE)
    assert svg_title(response) == "AI-fabriek Groningen: €130M of €200M committed (65%)"
    assert response["Content-Language"] == "en"


def test_the_badge_does_not_follow_the_visitors_language(client, aifabriek):
    client.cookies["django_language"] = "en"
    dutch = client.get(BADGE, headers={"accept-language": "en-GB"})
    assert "€ 130 mln van € 200 mln toegezegd" in svg_title(dutch)
    assert dutch["Content-Language"] == "nl"
    english = client.get(ENGLISH_BADGE, headers={"accept-language": "nl"})
    assert "€130M of €200M committed" in svg_title(english)


@pytest.mark.parametrize(
    ("asked", "sent_to"),
    [
        (f"{BADGE}?lang=en", ENGLISH_BADGE),
        (f"{BADGE}?lang=nl", BADGE),
        (f"{BADGE}?lang=xx", BADGE),
        (f"{ENGLISH_BADGE}?lang=nl", BADGE),
        (f"{EMBED}?lang=en", address_in(EMBED, "en")),
        (f"{EMBED}?lang=en&utm=x", address_in(EMBED, "en") + "?utm=x"),
        (f"{address_in(EMBED, 'en')}?lang=nl", EMBED),
    ],
)
def test_the_old_lang_addresses_pasted_elsewhere_are_sent_to_the_language_address(
    client, aifabriek, asked, sent_to
):
    response = client.get(asked)
    assert response.status_code == 301
    assert response["Location"] == sent_to
    assert client.get(sent_to).status_code == 200


def test_the_badge_counts_public_contributions_only(client, aifabriek, hidden_records):
    assert "€ 130 mln van € 200 mln" in svg_title(client.get(BADGE))
    assert "Hidden Fund" not in client.get(EMBED).content.decode()


def test_the_badge_answers_a_matching_etag_with_304(client, aifabriek):
    first = client.get(BADGE)
    assert first["Cache-Control"] == SHARED
    again = client.get(BADGE, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert again["ETag"] == first["ETag"]
    assert again.content == b""
    english = client.get(ENGLISH_BADGE, HTTP_IF_NONE_MATCH=first["ETag"])
    assert english.status_code == 200


def test_a_change_to_the_figures_gives_the_badge_a_new_etag(client, aifabriek):
    before = client.get(BADGE)
    aifabriek.target = Decimal("260000000.00")
    aifabriek.save()
    after = client.get(BADGE, HTTP_IF_NONE_MATCH=before["ETag"])
    assert after.status_code == 200
    assert "€ 130 mln van € 260 mln toegezegd (50%)" in svg_title(after)


def test_a_programme_that_is_not_public_has_no_badge_or_summary(client, db):
    hidden = ProgrammeFactory(is_public=False)
    assert client.get(f"/programmes/{hidden.slug}/badge.svg").status_code == 404
    assert client.get(f"/programmes/{hidden.slug}/embed/").status_code == 404
    assert client.get("/programmes/nope/badge.svg").status_code == 404


def test_the_badge_escapes_the_programme_name(client, db):
    odd = ProgrammeFactory(name='Fonds <A&B> "x"', target=Decimal("0.00"), is_public=True)
    body = client.get(f"/en/programmes/{odd.slug}/badge.svg").content.decode()
    assert "Fonds &lt;A&amp;B&gt; &quot;x&quot;: €0 committed" in body


@pytest.mark.parametrize(
    ("amount", "language", "text"),
    [
        ("130000000.00", "nl", "€ 130 mln"),
        ("130500000.00", "nl", "€ 130,5 mln"),
        ("1250000000.00", "en", "€1,250M"),
        ("950000.00", "en", "€950,000"),
    ],
)
def test_short_amounts_are_in_millions(amount, language, text):
    from django.utils import translation

    with translation.override(language):
        assert format_money_short(Decimal(amount)) == text


def test_only_the_summary_may_be_framed_by_other_sites(client, aifabriek):
    embed = client.get(EMBED)
    assert embed.status_code == 200
    assert "X-Frame-Options" not in embed
    assert "frame-ancestors *" in embed["Content-Security-Policy"]
    for path in (PAGE, "/", BADGE, "/dashboard/", "/accounts/login/"):
        other = client.get(path)
        assert other["X-Frame-Options"] == "DENY", path
        assert "frame-ancestors 'none'" in other["Content-Security-Policy"], path


def test_the_summary_has_no_script_form_or_cookie(client, aifabriek):
    response = client.get(address_in(EMBED, "en"))
    html = response.content.decode()
    assert '<html lang="en"' in html
    assert "<script" not in html and "<form" not in html
    assert response.cookies == {}
    assert "€130,000,000" in html and "€70,000,000" in html
    assert 'target="_blank" rel="noopener"' in html


def test_the_summary_answers_a_matching_etag_with_304(client, aifabriek):
    first = client.get(EMBED)
    again = client.get(EMBED, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert "frame-ancestors *" in again["Content-Security-Policy"]
    assert "X-Frame-Options" not in again


def test_the_public_page_offers_the_code_to_copy_with_absolute_addresses(client, aifabriek):
    html = client.get(address_in(PAGE, "en")).content.decode()
    iframe = re.search(r'<textarea[^>]*id="embed-iframe-code"[^>]*>([^<]*)</textarea>', html)[1]
    img = re.search(r'<textarea[^>]*id="embed-badge-code"[^>]*>([^<]*)</textarea>', html)[1]
    address = "http://testserver/en/programmes/ai-fabriek-groningen"
    assert f"&lt;iframe src=&quot;{address}/embed/&quot;" in iframe
    assert "title=&quot;AI Factory Groningen: funding&quot;" in iframe
    assert f"src=&quot;{address}/badge.svg&quot;" in img
    assert '<label class="utrecht-form-label" for="embed-iframe-code">' in html


def test_the_cached_public_page_keeps_each_hosts_addresses(client, aifabriek, settings):
    settings.ALLOWED_HOSTS = ["one.example", "two.example"]
    one = client.get(PAGE, HTTP_HOST="one.example").content.decode()
    two = client.get(PAGE, HTTP_HOST="two.example").content.decode()
    assert "http://one.example/programmes/" in one and "two.example" not in one
    assert "http://two.example/programmes/" in two and "one.example" not in two


def test_no_programme_is_needed_for_the_slug_to_be_refused(client, db):
    assert Programme.objects.count() == 0
    assert client.get("/en/programmes/x/embed/").status_code == 404


class RecordingClient:
    """The test client, remembering every address asked for."""

    def __init__(self, client):
        self.client, self.asked = client, []

    def get(self, url, *args, **kwargs):
        self.asked.append(url)
        return self.client.get(url, *args, **kwargs)


def test_the_link_walker_reaches_the_embeds_and_the_chart_csv(client, aifabriek):
    from tests.support.link_walker import ANONYMOUS, walk

    recording = RecordingClient(client)
    result = walk(recording, ANONYMOUS, start_urls=["/"])
    assert result.findings == []
    asked = {url.split("?")[0] for url in recording.asked}
    assert {BADGE, EMBED, f"/programmes/{AIFABRIEK}/charts/progress.csv"} <= asked
