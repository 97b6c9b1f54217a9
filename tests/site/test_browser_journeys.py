"""What a person does, click by click: filter, sort, page, export, switch language, sign out."""

import csv
import io
import re
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from funding.models import ContributionStatus, Programme
from funding.permissions import POLICY_STAFF
from tests.support.browser import sign_in_in_browser
from tests.support.dataset import AIFABRIEK
from tests.support.factories import ContributionFactory, OrganisationFactory
from tests.support.users import make_user

pytestmark = pytest.mark.browser
TABLE = f"/dashboard/{AIFABRIEK}/contributions/"


@pytest.fixture
def staff_page(live_aifabriek, browser_page):
    """A browser page signed in as a member of "Policy staff" on the English sign-in page, so on
    the English dashboard: the tests' `base` (the address before /dashboard/) ends in /en."""
    user = make_user("policy", POLICY_STAFF)
    page = browser_page()
    sign_in_in_browser(page, live_aifabriek.url, user.username, language="en")
    assert page.url == f"{live_aifabriek.url}/en/dashboard/"
    return page


@pytest.fixture
def more_contributions(live_aifabriek):
    """Committed contributions between the data set's two, and one requested, to filter and sort."""
    programme = Programme.objects.get(slug=AIFABRIEK)
    for name, amount in [("Provincie Groningen", "5000000.50"), ("Gemeente Groningen", "750000")]:
        ContributionFactory(
            programme=programme,
            funder=OrganisationFactory(name=name),
            amount=Decimal(amount),
            instrument="Regional budget",
        )
    ContributionFactory(
        programme=programme,
        funder=OrganisationFactory(name="Fonds in aanvraag"),
        amount=Decimal("1000000"),
        status=ContributionStatus.REQUESTED,
    )


def shown_rows(page):
    """(funder, amount text) of each row the table shows, in its order."""
    rows = page.locator(".contribution-table tbody tr")
    return [
        (row.locator("th").inner_text().strip(), row.locator("td").nth(1).inner_text().strip())
        for row in rows.all()
    ]


def euros(text):
    """The amount a cell like "€70,000,000.50" shows, as a Decimal."""
    return Decimal(re.sub(r"[^\d.]", "", text))


def download(page, link_text):
    with page.expect_download() as waiting:
        page.get_by_role("link", name=link_text).click()
    return waiting.value


def test_staff_filter_sort_and_export_exactly_the_rows_shown(staff_page, more_contributions):
    page = staff_page
    base = page.url.split("/dashboard/")[0]
    page.goto(base + TABLE)
    page.select_option("#id_status", "committed")
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url(re.compile(r"status=committed"))
    page.locator("a.sort-link", has_text="Amount").click()
    page.wait_for_url(re.compile(r"sort=amount"))
    shown = shown_rows(page)
    # English names where the data set gives them; the export writes what the table shows.
    assert [funder for funder, _ in shown] == [
        "Gemeente Groningen",
        "Provincie Groningen",
        "Groningen/Noord-Drenthe region",
        "Government of the Netherlands",
    ]

    csv_file = download(page, "CSV file")
    assert csv_file.suggested_filename.endswith(".csv")
    with open(csv_file.path(), encoding="utf-8-sig", newline="") as opened:
        rows = list(csv.reader(opened))
    header, rows = rows[0], rows[1:]
    funder, amount = header.index("Funder"), header.index("Amount")
    assert [(row[funder], Decimal(row[amount])) for row in rows] == [
        (name, euros(text)) for name, text in shown
    ]
    assert [row[amount] for row in rows] == [
        "750000.00",
        "5000000.50",
        "60000000.00",
        "70000000.00",
    ]

    xlsx_file = download(page, "XLSX file")
    assert xlsx_file.suggested_filename.endswith(".xlsx")
    with open(xlsx_file.path(), "rb") as opened:
        sheet = load_workbook(io.BytesIO(opened.read())).active
    cells = list(sheet.iter_rows(values_only=True))
    assert [(row[funder], row[amount]) for row in cells[1:]] == [
        (name, float(euros(text))) for name, text in shown
    ]
    assert all(isinstance(row[amount], int | float) for row in cells[1:])


def test_the_filter_form_keeps_its_choices_and_clears(staff_page, more_contributions):
    page = staff_page
    page.goto(page.url.split("/dashboard/")[0] + TABLE)
    assert len(shown_rows(page)) == 6
    page.select_option("#id_instrument", "Regional budget")
    page.fill("#id_notes", "")
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url(re.compile(r"instrument=Regional\+budget"))
    assert sorted(funder for funder, _ in shown_rows(page)) == [
        "Gemeente Groningen",
        "Provincie Groningen",
    ]
    assert page.locator("#id_instrument").input_value() == "Regional budget"
    page.get_by_role("link", name="Clear filters").click()
    page.wait_for_url(re.compile(re.escape(TABLE) + "$"))
    assert len(shown_rows(page)) == 6


def test_the_pager_moves_through_the_sorted_rows(staff_page):
    page = staff_page
    programme = Programme.objects.get(slug=AIFABRIEK)
    # Distinct amounts: rows that tie on the sort column have no order between them.
    for number in range(1, 31):
        ContributionFactory(programme=programme, amount=Decimal(1000 * number))
    page.goto(page.url.split("/dashboard/")[0] + TABLE + "?sort=amount")
    first_page = shown_rows(page)
    assert len(first_page) == 25
    assert page.locator(".table-count").inner_text() == "(rows 1 to 25 of 33)"
    page.get_by_role("link", name="Next page").click()
    page.wait_for_url(re.compile(r"page=2"))
    assert "sort=amount" in page.url
    second_page = shown_rows(page)
    assert page.locator(".table-count").inner_text() == "(rows 26 to 33 of 33)"
    amounts = [euros(amount) for _, amount in first_page + second_page]
    assert amounts == sorted(amounts)
    assert {funder for funder, _ in second_page[-3:]} == {
        "Groningen/Noord-Drenthe region",
        "Government of the Netherlands",
        "European Union",
    }
    assert set(first_page).isdisjoint(second_page)
    assert page.get_by_role("link", name="Next page").count() == 0
    page.get_by_role("link", name="Previous page").click()
    page.wait_for_url(re.compile(r"page=1"))
    assert shown_rows(page) == first_page


def test_the_language_switch_stays_on_the_same_page(staff_page):
    page = staff_page
    address = page.url.split("/dashboard/")[0] + TABLE + "?status=committed&sort=-amount"
    page.goto(address)
    assert page.locator("html").get_attribute("lang") == "en"
    page.get_by_role("link", name="Nederlands", exact=True).click()
    page.wait_for_load_state()
    assert page.url == address.replace("/en/", "/", 1)
    assert page.locator("html").get_attribute("lang") == "nl"
    assert page.get_by_role("button", name="Filters toepassen").count() == 1
    page.get_by_role("link", name="English", exact=True).click()
    page.wait_for_load_state()
    assert page.url == address
    assert page.locator("html").get_attribute("lang") == "en"


def test_signing_out_asks_first_then_signs_out(staff_page):
    page = staff_page
    base = page.url.split("/dashboard/")[0]
    page.goto(base + "/accounts/logout/")
    assert page.get_by_text("You are signed in as policy.").is_visible()
    page.goto(base + "/dashboard/")
    assert page.url == base + "/dashboard/", "asking must not sign out"
    page.goto(base + "/accounts/logout/")
    page.locator("main").get_by_role("button", name="Sign out").click()
    page.wait_for_url(base + "/")
    assert page.get_by_role("link", name="Sign in").is_visible()
    page.goto(base + "/dashboard/")
    assert "/en/accounts/login/" in page.url


def test_stacked_public_table_stays_a_table_for_assistive_technology(live_aifabriek, browser_page):
    """On a phone its rows are blocks; chromium still exposes rows and cells (no ARIA needed)."""
    page = browser_page(390, 844)
    page.goto(f"{live_aifabriek.url}/programmes/{AIFABRIEK}/")
    table = page.locator(".stack-table")
    assert table.evaluate("t => getComputedStyle(t.querySelector('tr')).display") == "block"
    session = page.context.new_cdp_session(page)
    nodes = session.send("Accessibility.getFullAXTree")["nodes"]
    roles = [node.get("role", {}).get("value") for node in nodes if not node.get("ignored")]
    assert roles.count("table") >= 1
    assert roles.count("row") >= 4
    assert roles.count("rowheader") == 3
    assert roles.count("cell") >= 12
