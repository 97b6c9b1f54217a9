"""Importing contributions from CSV or XLSX: every row valid, or nothing written."""

import io
import os
import tempfile
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import translation
from openpyxl import Workbook

from funding.admin.import_cells import MoneyWidget
from funding.models import Contribution, Programme
from tests.support.admin_forms import (
    HEADER,
    IMPORT,
    confirm,
    form_errors,
    sign_in_in_english,
    upload,
)
from tests.support.factories import ProgrammeFactory


def csv_rows(count, *, bad_row=None, bad_amount="abc"):
    lines = [HEADER]
    for index in range(1, count + 1):
        amount = bad_amount if index == bad_row else f"{index * 1000}.00"
        lines.append(f"import-{index},europese-unie,Regeling {index},{amount},requested,ja\n")
    return "".join(lines).encode()


@pytest.fixture
def programme(aifabriek):
    return ProgrammeFactory(slug="tweede-programma", name="Tweede programma")


@pytest.fixture
def controller(client, funding_admin):
    return sign_in_in_english(client, funding_admin)


def test_a_good_file_is_previewed_then_imported_with_history(controller, programme, funding_admin):
    preview = upload(controller, programme, "bijdragen.csv", csv_rows(3))
    result = preview.context["result"]
    assert [row.import_type for row in result.valid_rows()] == ["new", "new", "new"]
    assert Contribution.objects.filter(programme=programme).count() == 0  # a dry run
    response = confirm(controller, preview)
    assert response.status_code == 200
    imported = Contribution.objects.filter(programme=programme).order_by("key")
    assert [(c.key, c.amount, c.funder.key) for c in imported] == [
        ("import-1", Decimal("1000.00"), "europese-unie"),
        ("import-2", Decimal("2000.00"), "europese-unie"),
        ("import-3", Decimal("3000.00"), "europese-unie"),
    ]
    record = imported[0].history.get()
    assert (record.history_user, record.history_change_reason) == (
        funding_admin,
        "Imported from bijdragen.csv",
    )


def test_changed_rows_are_previewed_as_updates(controller, aifabriek):
    content = (HEADER + "eu-cofinanciering,europese-unie,EU,75000000,requested,ja\n").encode()
    preview = upload(controller, aifabriek, "eu.csv", content)
    (row,) = preview.context["result"].valid_rows()
    assert row.import_type == "update"
    assert row.diff[3] == (
        '<del><span class="visually-hidden">was: </span>70000000.00</del> '
        '<ins><span class="visually-hidden">becomes: </span>75000000.00</ins>'
    )


def test_one_bad_row_among_100_writes_nothing_and_is_reported(controller, programme):
    response = upload(controller, programme, "honderd.csv", csv_rows(100, bad_row=6))
    html = response.content.decode()
    assert "confirm_form" not in response.context
    assert "row 7, amount: not a number (write euros as 70000000 or 70000000.00)" in html
    assert html.count("<li>row ") == 1
    assert Contribution.objects.filter(programme=programme).count() == 0


def test_a_file_that_turns_bad_after_the_preview_writes_nothing(controller, programme):
    preview = upload(controller, programme, "bijdragen.csv", csv_rows(5))
    name = preview.context["confirm_form"]["import_file_name"].value()
    with open(os.path.join(tempfile.gettempdir(), name), "wb") as stored:
        stored.write(csv_rows(5, bad_row=5))
    response = confirm(controller, preview)
    messages = [str(message) for message in response.context["messages"]]
    assert messages == [
        "The import was refused and nothing was written: the file changed or has errors."
    ]
    assert Contribution.objects.filter(programme=programme).count() == 0


def test_1000_good_rows_import_in_one_transaction(controller, programme):
    preview = upload(controller, programme, "duizend.csv", csv_rows(1000))
    depth = len(connection.atomic_blocks)
    enclosing = []

    def note_transaction(execute, sql, params, many, context):
        # Rows are written in batches (no post_save per row): watch the INSERT statements.
        if sql.startswith('INSERT INTO "funding_contribution" '):
            enclosing.append(id(connection.atomic_blocks[depth]))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(note_transaction):
        confirm(controller, preview)
    assert Contribution.objects.filter(programme=programme).count() == 1000
    assert len(enclosing) >= 2  # more than one batch
    assert len(set(enclosing)) == 1


def test_an_xlsx_file_is_imported(controller, programme):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["key", "funder", "amount", "status"])
    sheet.append(["uit-excel", "Europese Unie", 2500000, "committed"])
    content = io.BytesIO()
    workbook.save(content)
    preview = upload(controller, programme, "bijdragen.xlsx", content.getvalue())
    confirm(controller, preview)
    imported = Contribution.objects.get(programme=programme)
    assert (imported.key, imported.amount, imported.status) == (
        "uit-excel",
        Decimal("2500000.00"),
        "committed",
    )


@pytest.mark.parametrize(
    "cell", ['=HYPERLINK("http://x")', "+31 6 123", "-2+3", "@SUM(A1)"], ids=["=", "+", "-", "@"]
)
def test_cells_that_start_like_a_formula_are_refused(controller, programme, cell):
    content = (
        HEADER + f'import-1,europese-unie,"{cell.replace(chr(34), chr(34) * 2)}",5,,ja\n'
    ).encode()
    response = upload(controller, programme, "formule.csv", content)
    html = response.content.decode()
    assert f"row 2, instrument: starts with “{cell[0]}”" in html
    assert "confirm_form" not in response.context
    assert Contribution.objects.filter(programme=programme).count() == 0


def test_a_file_not_in_utf8_is_refused(controller, programme):
    content = (HEADER + "import-1,europese-unie,Régio,5,,ja\n").encode("latin-1")
    response = upload(controller, programme, "latin1.csv", content)
    assert form_errors(response) == [
        "The file is not encoded in UTF-8. Save it as “CSV UTF-8” in your spreadsheet program "
        "and upload it again."
    ]


def test_ten_megabytes_of_junk_are_refused(controller, programme):
    response = upload(controller, programme, "junk.csv", os.urandom(10 * 1024 * 1024))
    assert response.status_code == 200
    assert form_errors(response) == [
        "The file is 10.0\xa0MB; files of more than 2.0\xa0MB are refused."
    ]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("bijdragen.txt", b"key\n", "Only CSV (.csv) and Excel (.xlsx) files can be imported"),
        ("junk.xlsx", b"not a zip file", "This is not an Excel workbook, though it is named"),
        ("binary.csv", b"key\x00\x01", "This is not a text file, though it is named .csv."),
    ],
    ids=["txt", "fake-xlsx", "binary-csv"],
)
def test_files_of_the_wrong_type_are_refused(controller, programme, name, content, message):
    response = upload(controller, programme, name, content)
    assert form_errors(response)[0].startswith(message)


def test_a_file_without_the_needed_columns_is_refused(controller, programme):
    response = upload(controller, programme, "kolommen.csv", b"naam,bedrag\nEU,5\n")
    assert "The file has no column key, funder, amount" in response.content.decode()
    assert "confirm_form" not in response.context


def test_an_impossible_status_change_in_a_file_is_reported(controller, aifabriek):
    content = (HEADER + "eu-cofinanciering,europese-unie,EU,70000000,disbursed,ja\n").encode()
    html = upload(controller, aifabriek, "eu.csv", content).content.decode()
    assert "row 2, status: A contribution cannot go from requested to disbursed." in html


def test_policy_staff_cannot_import(client, policy_staff, programme):
    client.force_login(policy_staff)
    assert client.get(IMPORT).status_code == 302
    assert Programme.objects.count() == 2


def test_a_status_change_in_a_file_needs_its_date_and_source(controller, aifabriek):
    content = (HEADER + "eu-cofinanciering,europese-unie,EU,70000000,committed,ja\n").encode()
    html = upload(controller, aifabriek, "eu.csv", content).content.decode()
    assert (
        "row 2, effective_on: the status changes from requested to committed: give the day" in html
    )
    assert "row 2, source: the status changes from requested to committed: give its source" in html


def test_a_status_change_in_a_file_cannot_take_effect_in_the_future(controller, aifabriek):
    content = (
        b"key,funder,amount,status,effective_on,source\n"
        b"eu-cofinanciering,europese-unie,70000000,committed,2099-01-01,ez-ai-fabriek-200-miljoen\n"
    )
    html = upload(controller, aifabriek, "eu.csv", content).content.decode()
    assert "row 2, effective_on: a decision cannot have taken effect in the future" in html
    assert Contribution.objects.get(key="eu-cofinanciering").status == "requested"


def test_a_status_change_in_a_file_records_its_date_and_source(controller, aifabriek):
    content = (
        b"key,funder,amount,status,effective_on,source,quote\n"
        b"eu-cofinanciering,europese-unie,70000000,committed,2025-11-03,"
        b"ez-ai-fabriek-200-miljoen,Toegekend\n"
    )
    confirm(controller, upload(controller, aifabriek, "eu.csv", content))
    eu = Contribution.objects.get(key="eu-cofinanciering")
    event = eu.status_events.last()
    assert (eu.status, str(event.effective_on), event.source.key, event.quote) == (
        "committed",
        "2025-11-03",
        "ez-ai-fabriek-200-miljoen",
        "Toegekend",
    )


@pytest.mark.parametrize(
    "written, amount",
    [
        ("70000000", Decimal("70000000.00")),
        ("70000000.5", Decimal("70000000.50")),
        ("70000000,5", Decimal("70000000.50")),
        ("70.000.000,00", Decimal("70000000.00")),
        ("1.234.567", Decimal("1234567.00")),
    ],
)
def test_amounts_are_read_in_both_notations(written, amount):
    assert MoneyWidget().clean(written) == amount


@pytest.mark.parametrize("written", ["70.000", "1,500,000", "70,000.00"])
def test_amounts_that_could_be_read_two_ways_are_refused(written):
    with translation.override("en"), pytest.raises(ValueError):
        MoneyWidget().clean(written)
