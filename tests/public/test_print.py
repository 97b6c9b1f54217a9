"""The public page and the programme dashboard print on A4 as a one- or two-page briefing.

Printed by Debian's chromium (Playwright's page.pdf, and the --print-to-pdf of its command line);
pages counted and text read with poppler-utils (`make print-deps`). Set SHOTS_DIR to keep each
printed page as a PNG (pdftoppm).
"""

import os
import subprocess
from pathlib import Path

import pytest
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import override

from funding.models import Source
from funding.permissions import POLICY_STAFF
from tests.support.browser import CHROMIUM, sign_in_in_browser
from tests.support.dataset import AIFABRIEK
from tests.support.users import make_user

pytestmark = pytest.mark.browser
PUBLIC = f"/programmes/{AIFABRIEK}/"
DASHBOARD = f"/dashboard/{AIFABRIEK}/"
SOURCE_URL = "https://www.rijksoverheid.nl/actueel/nieuws/ai-fabriek-groningen"


def pages_of(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    fields = dict(line.split(":", 1) for line in info.stdout.splitlines() if ":" in line)
    assert fields["Page size"].strip().endswith("(A4)")
    return int(fields["Pages"])


def text_of(pdf: Path) -> str:
    # -raw keeps the text in the order it was printed, without layout columns.
    return subprocess.run(
        ["pdftotext", "-raw", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout


def keep_pages(pdf: Path, name: str):
    shots = os.environ.get("SHOTS_DIR")
    if shots:
        subprocess.run(
            ["pdftoppm", "-r", "70", "-png", str(pdf), str(Path(shots) / f"print-{name}")],
            check=True,
        )


def today_in_dutch() -> str:
    with override("nl"):
        return date_format(timezone.localdate(), "j F Y")


@pytest.fixture
def source_with_address(live_aifabriek):
    """One source with a web address, so the print shows where to find it."""
    source = Source.objects.order_by("pk").first()
    source.url = SOURCE_URL
    source.save()
    return source


def print_page(page, tmp_path, name) -> Path:
    pdf = tmp_path / f"{name}.pdf"
    page.pdf(path=str(pdf), format="A4", prefer_css_page_size=True, print_background=True)
    return pdf


def test_the_public_page_prints_as_a_briefing(
    live_aifabriek, source_with_address, browser_page, tmp_path
):
    page = browser_page(locale="nl-NL")
    page.goto(live_aifabriek.url + PUBLIC)
    pdf = print_page(page, tmp_path, "public-nl")
    keep_pages(pdf, "public-nl")
    assert 1 <= pages_of(pdf) <= 2
    text = text_of(pdf)
    assert f"Afgedrukt op {today_in_dutch()}" in text
    assert "€ 130.000.000" in text and "€ 70.000.000" in text
    assert "Voortgang naar het doel" in text  # the chart's table, shown open
    assert SOURCE_URL in text.replace("\n", "")  # the source's address, printed after its link
    for screen_only in ("Inloggen", "English", "Zoeken", "Deze cijfers op uw eigen site"):
        assert screen_only not in text


def test_the_dashboard_prints_as_a_briefing_with_its_chart_tables(
    live_aifabriek, source_with_address, browser_page, tmp_path
):
    make_user("policy", POLICY_STAFF)
    page = browser_page(locale="nl-NL")
    sign_in_in_browser(page, live_aifabriek.url, "policy")
    page.goto(live_aifabriek.url + DASHBOARD)
    page.locator("#by-funder-plot svg.main-svg").first.wait_for()
    pdf = print_page(page, tmp_path, "dashboard-nl")
    keep_pages(pdf, "dashboard-nl")
    assert 1 <= pages_of(pdf) <= 2
    text = text_of(pdf)
    assert f"Afgedrukt op {today_in_dutch()}" in text
    for table in ("Voortgang naar het doel", "Financiering per financier", "Middelen door de tijd"):
        assert text.count(table) >= 2, table  # the heading and the caption of its table
    assert "Regio Groningen/Noord-Drenthe" in text
    assert "Download de cijfers" not in text and "Portefeuille" not in text


def test_chromiums_print_to_pdf_gives_one_or_two_pages_in_english(
    live_aifabriek, tmp_path, settings
):
    pdf = tmp_path / "public-en.pdf"
    subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-pdf-header-footer",
            f"--print-to-pdf={pdf}",
            live_aifabriek.url + "/en" + PUBLIC,
        ],
        capture_output=True,
        check=True,
        timeout=120,
    )
    keep_pages(pdf, "public-en-cli")
    assert 1 <= pages_of(pdf) <= 2
    assert "Printed on" in text_of(pdf)
