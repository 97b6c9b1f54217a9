"""Files that spreadsheet programs really write: semicolons, ragged rows, formulas, empty sheets."""

import io
import os
import tempfile
import zipfile
from decimal import Decimal

import pytest
from openpyxl import Workbook

from funding.models import Contribution
from tests.support.admin_forms import HEADER, confirm, form_errors, sign_in_in_english, upload
from tests.support.factories import ProgrammeFactory

ROW = "import-1,europese-unie,R,5,,ja\n"


@pytest.fixture
def programme(aifabriek):
    return ProgrammeFactory(slug="tweede-programma", name="Tweede programma")


@pytest.fixture
def controller(client, funding_admin):
    return sign_in_in_english(client, funding_admin)


def workbook_bytes(*rows):
    book = Workbook()
    for row in rows:
        book.active.append(row)
    content = io.BytesIO()
    book.save(content)
    return content.getvalue()


def test_a_semicolon_separated_file_from_dutch_excel_is_read(controller, programme):
    content = (
        "\ufeffkey;funder;instrument;amount;status;public\r\n"
        "import-1;europese-unie;Regeling, deel 1;2500000;requested;ja\r\n"
        'import-2;Europese Unie;"Regeling; deel 2";1.000,50;committed;nee\r\n'
    ).encode()
    preview = upload(controller, programme, "bijdragen.csv", content)
    assert form_errors(preview) is None
    confirm(controller, preview)
    imported = Contribution.objects.filter(programme=programme).order_by("key")
    assert [(c.key, c.instrument, c.amount, c.is_public) for c in imported] == [
        ("import-1", "Regeling, deel 1", Decimal("2500000.00"), True),
        ("import-2", "Regeling; deel 2", Decimal("1000.50"), False),
    ]


def test_a_comma_separated_file_with_semicolons_in_a_cell_stays_comma_separated(
    controller, programme
):
    content = (HEADER + 'import-1,europese-unie,"a; b; c",5,,ja\n').encode()
    preview = upload(controller, programme, "bijdragen.csv", content)
    (row,) = preview.context["result"].valid_rows()
    assert row.import_type == "new"
    confirm(controller, preview)
    assert Contribution.objects.get(programme=programme).instrument == "a; b; c"


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("import-3,europese-unie,R,5,,ja,extra\n", "row 4: 7 cells, the header has 6"),
        ("import-3,europese-unie,R,5\n", "row 4: 4 cells, the header has 6"),
    ],
    ids=["more", "fewer"],
)
def test_a_row_with_a_different_number_of_cells_is_named(controller, programme, line, message):
    good = "".join(f"import-{n},europese-unie,R,5,,ja\n" for n in (1, 2))
    response = upload(controller, programme, "rafelig.csv", (HEADER + good + line).encode())
    assert form_errors(response) == [message]
    assert "encountered" not in response.content.decode()


def test_an_empty_csv_is_refused_plainly(controller, programme):
    assert form_errors(upload(controller, programme, "leeg.csv", b"\n\n")) == ["The file is empty."]


def test_an_empty_workbook_is_refused_plainly(controller, programme):
    response = upload(controller, programme, "leeg.xlsx", workbook_bytes())
    assert form_errors(response) == ["The file is empty."]


def zip_without_workbook():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "not a workbook")
    return buffer.getvalue()


@pytest.mark.parametrize(
    "content",
    [b"PK\x03\x04" + b"\x00" * 200, zip_without_workbook()],
    ids=["corrupt-zip", "zip-without-workbook"],
)
def test_a_damaged_workbook_is_refused_plainly(controller, programme, content):
    response = upload(controller, programme, "kapot.xlsx", content)
    assert form_errors(response) == ["This is not a readable Excel workbook."]


def test_a_formula_in_a_workbook_is_refused_with_its_place(controller, programme):
    content = workbook_bytes(
        ["key", "funder", "amount"],
        ["uit-excel", "europese-unie", 1000],
        ["uit-excel-2", "europese-unie", "=C2*2"],
    )
    response = upload(controller, programme, "formule.xlsx", content)
    assert form_errors(response) == [
        "row 3, column C: a formula; formulas are refused, so copy the cells and paste them as "
        "values"
    ]
    assert Contribution.objects.filter(programme=programme).count() == 0


def test_a_workbook_row_wider_than_its_header_is_named(controller, programme):
    content = workbook_bytes(
        ["key", "funder", "amount"], ["uit-excel", "europese-unie", 1000, "over"]
    )
    response = upload(controller, programme, "breed.xlsx", content)
    assert form_errors(response) == ["row 2: 4 cells, the header has 3"]


def test_trailing_blank_rows_and_columns_of_a_workbook_are_ignored(controller, programme):
    content = workbook_bytes(
        ["key", "funder", "amount", None], ["uit-excel", "europese-unie", 1000, None], [None, ""]
    )
    confirm(controller, upload(controller, programme, "ruim.xlsx", content))
    assert Contribution.objects.get(programme=programme).amount == Decimal("1000.00")


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        (" =1+1", "starts with spaces and then “=”"),
        ("\u00a0@SUM(A1)", "starts with spaces and then “@”"),
        ("\x01=HYPERLINK(x)", "contains the control character U+0001, which is not text"),
        ("Regeling\x1bdeel", "contains the control character U+001B, which is not text"),
    ],
    ids=["space", "nbsp", "control-then-formula", "escape"],
)
def test_formulas_behind_spaces_and_control_characters_are_refused(
    controller, programme, cell, message
):
    # openpyxl cannot write control characters into a workbook; a CSV file can hold them.
    content = (HEADER + f'import-1,europese-unie,"{cell}",5,,ja\n').encode()
    html = upload(controller, programme, "verstopt.csv", content).content.decode()
    assert f"row 2, instrument: {message}" in html
    assert Contribution.objects.filter(programme=programme).count() == 0


def test_tabs_and_newlines_inside_text_are_fine(controller, programme):
    content = workbook_bytes(
        ["key", "funder", "notes", "amount"], ["import-1", "europese-unie", "a\tb\nc", 5]
    )
    confirm(controller, upload(controller, programme, "tekst.xlsx", content))
    assert Contribution.objects.get(programme=programme).notes == "a\tb\nc"


def test_a_file_that_becomes_unreadable_after_the_preview_writes_nothing(controller, programme):
    preview = upload(controller, programme, "bijdragen.csv", (HEADER + ROW).encode())
    name = preview.context["confirm_form"]["import_file_name"].value()
    with open(os.path.join(tempfile.gettempdir(), name), "wb") as stored:
        stored.write((HEADER + "import-1,europese-unie\n,,,,,,,,\n").encode())
    response = confirm(controller, preview)
    assert [str(message) for message in response.context["messages"]] == [
        "The import was refused and nothing was written: the file changed or has errors."
    ]
    assert Contribution.objects.filter(programme=programme).count() == 0
