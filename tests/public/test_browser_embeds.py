"""The embeds on a page of another origin, and the chart CSVs as a browser downloads them.

Set SHOTS_DIR to keep screenshots of the page that embeds the summary and the badge.
"""

import csv
import functools
import io
import re
import threading
from decimal import Decimal
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from funding.permissions import POLICY_STAFF
from tests.support.browser import axe_violations, keep_screenshot, sign_in_in_browser
from tests.support.dataset import AIFABRIEK
from tests.support.pages import address_in
from tests.support.users import make_user

pytestmark = pytest.mark.browser
EMBED = f"/programmes/{AIFABRIEK}/embed/"
SIZES = {"desktop": (1280, 800), "phone": (390, 844)}
LANGUAGES = {"nl": "nl-NL", "en": "en-GB"}

ELSEWHERE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>A page elsewhere</title></head>
<body style="font-family: sans-serif; margin: 1rem">
<h1>A page on another site</h1>
<p>The badge: <a href="{base}/programmes/{slug}/"><img id="badge"
  src="{base}/programmes/{slug}/badge.svg?lang=nl" alt="AI-fabriek Groningen: funding"
  height="20"></a></p>
<h2>The summary, framed</h2>
<iframe id="summary" src="{base}/programmes/{slug}/embed/?lang=nl" title="Funding"
  width="100%" height="420" style="border: 1px solid #999; max-width: 40rem"></iframe>
<h2>The public page, framed (must be refused)</h2>
<iframe id="page" src="{base}/programmes/{slug}/" title="Public page"
  width="100%" height="120" style="border: 1px solid #999; max-width: 40rem"></iframe>
</body></html>
"""


@pytest.fixture
def elsewhere(tmp_path, live_aifabriek):
    """A site of another origin (another host name and port) with a page that embeds ours."""
    (tmp_path / "index.html").write_text(
        ELSEWHERE.format(base=live_aifabriek.url, slug=AIFABRIEK), encoding="utf-8"
    )
    handler = functools.partial(SimpleHTTPRequestHandler, directory=str(tmp_path))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


def test_another_site_shows_the_summary_and_the_badge_but_not_a_normal_page(
    live_aifabriek, elsewhere, browser_page
):
    page = browser_page(1000, 900)
    assert not live_aifabriek.url.startswith(elsewhere.rstrip("/"))  # another origin
    page.goto(elsewhere)
    page.wait_for_load_state("load")
    summary = page.frame_locator("#summary")
    assert summary.locator("h1").inner_text() == "AI-fabriek Groningen"
    assert summary.locator(".kpi--committed .kpi__value").inner_text() == "€ 130.000.000"
    assert summary.locator(".kpi--pending .kpi__value").inner_text() == "€ 70.000.000"
    badge = page.locator("#badge")
    assert badge.evaluate("img => img.complete && img.naturalWidth") > 0
    # The browser refuses the public page in a frame (its CSP and X-Frame-Options) and says so.
    refused = page.locator("#page").element_handle().content_frame()
    assert refused.url.startswith("chrome-error://")
    assert "AI-fabriek" not in page.frame_locator("#page").locator("body").inner_text()
    assert any("frame-ancestors 'none'" in error for error in page.console_errors)
    keep_screenshot(page, "embed-on-another-origin")


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("size", SIZES)
def test_the_summary_passes_axe_in_both_languages_and_widths(
    live_aifabriek, browser_page, size, language
):
    page = browser_page(*SIZES[size], locale=LANGUAGES[language])
    assert page.goto(f"{live_aifabriek.url}{address_in(EMBED, language)}").status == 200
    assert page.locator("html").get_attribute("lang") == language
    assert page.locator("h1").count() == 1
    assert axe_violations(page) == []
    assert page.console_errors == []
    assert page.evaluate("document.documentElement.scrollWidth") <= SIZES[size][0]
    keep_screenshot(page, f"embed-{language}-{size}")


def test_the_badge_alone_is_an_image_with_its_title(live_aifabriek, browser_page):
    page = browser_page()
    response = page.goto(f"{live_aifabriek.url}/en/programmes/{AIFABRIEK}/badge.svg")
    assert response.headers["content-type"] == "image/svg+xml"
    assert page.locator("svg title").text_content() == (
        "AI-fabriek Groningen: €130M of €200M committed (65%)"
    )


def plain_number(text: str) -> Decimal | None:
    """ "€ 130.000.000" or "€130,000,000" or "65%" as a number; None for an empty cell."""
    digits = re.sub(r"[^\d]", "", text)
    return Decimal(digits) if digits else None


def csv_numbers(cells: list[str]) -> list[Decimal | None]:
    return [Decimal(cell) if cell else None for cell in cells]


def download_rows(page, link) -> list[list[str]]:
    with page.expect_download() as download_info:
        link.click()
    download = download_info.value
    assert download.suggested_filename.endswith(".csv")
    text = Path(download.path()).read_text(encoding="utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def table_rows(table) -> list[list[str]]:
    return table.evaluate(
        """t => Array.from(t.tBodies[0].rows).map(
             row => Array.from(row.cells).map(cell => cell.innerText.trim()))"""
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_public_csv_download_has_the_rows_of_the_table(live_aifabriek, browser_page, language):
    page = browser_page(locale=LANGUAGES[language])
    page.goto(f"{live_aifabriek.url}{address_in(f'/programmes/{AIFABRIEK}/', language)}")
    page.locator(".chart__data summary").first.click()
    table = page.locator("table.progress-table")
    shown = table_rows(table)
    link = page.get_by_role("link", name=re.compile(r"\(CSV\)"))
    expected_text = {"nl": "Download de cijfers (CSV)", "en": "Download the figures (CSV)"}
    assert link.inner_text().startswith(expected_text[language])
    rows = download_rows(page, link)
    assert rows[0] == ["part", "amount_eur", "share_of_target_percent"]
    assert [row[0] for row in rows[1:]] == [row[0] for row in shown]
    for csv_row, shown_row in zip(rows[1:], shown, strict=True):
        assert csv_numbers(csv_row[1:2]) == [plain_number(shown_row[1])]
        share = plain_number(shown_row[2])
        assert (Decimal(csv_row[2]) if csv_row[2] else None) == share


def test_the_dashboard_csv_download_has_the_rows_of_the_table(live_aifabriek, browser_page):
    make_user("policy", POLICY_STAFF)
    page = browser_page()
    sign_in_in_browser(page, live_aifabriek.url, "policy")
    page.goto(f"{live_aifabriek.url}/dashboard/{AIFABRIEK}/")
    section = page.locator("section[aria-labelledby=by-funder-heading]")
    section.locator("summary").click()
    shown = table_rows(section.locator("table"))
    rows = download_rows(page, section.get_by_role("link", name=re.compile(r"\(CSV\)")))
    assert rows[0] == ["funder", "disbursed_eur", "committed_not_disbursed_eur", "pending_eur"]
    assert [row[0] for row in rows[1:]] == [row[0] for row in shown]
    for csv_row, shown_row in zip(rows[1:], shown, strict=True):
        assert csv_numbers(csv_row[1:]) == [plain_number(cell) for cell in shown_row[1:]]
