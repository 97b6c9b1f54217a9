"""Reading an uploaded CSV or XLSX into a dataset, with a plain message when that cannot be done.

django-import-export reports any failure to read a file as "'SomeError' encountered while trying
to read file"; these formats raise `UnreadableFile` with a sentence a person can act on instead.
"""

import csv
import io

import tablib
from django.utils.translation import gettext as _
from import_export.formats.base_formats import CSV, XLSX
from openpyxl.utils import get_column_letter

# Comma, or semicolon as spreadsheet programs in Dutch (and other decimal-comma) locales write.
DELIMITERS = ",;"
SNIFF_LINES = 20


class UnreadableFile(ValueError):
    """The file cannot be read as a table; the message says why, for the person who uploaded it."""


def sniff_delimiter(text: str) -> str:
    sample = "\n".join(text.splitlines()[:SNIFF_LINES])
    try:
        return csv.Sniffer().sniff(sample, delimiters=DELIMITERS).delimiter
    except csv.Error:
        return ","  # a single column, or nothing to tell by: the standard separator


def check_row_lengths(text: str, delimiter: str) -> None:
    """Every row has as many cells as the header (empty lines are skipped, as tablib does)."""
    header = None
    for number, row in enumerate(csv.reader(io.StringIO(text), delimiter=delimiter), start=1):
        if header is None:
            header = len(row)
        elif row and len(row) != header:
            raise UnreadableFile(
                _("row %(row)s: %(cells)s cells, the header has %(header)s")
                % {"row": number, "cells": len(row), "header": header}
            )


class SeparatedValues(CSV):
    """CSV separated by commas or semicolons, whichever the file uses."""

    def create_dataset(self, in_stream, **kwargs):
        text = (
            in_stream.decode(self.encoding or "utf-8")
            if isinstance(in_stream, bytes)
            else in_stream
        )
        text = text.removeprefix("\ufeff")  # the byte order mark Excel writes in "CSV UTF-8"
        if not text.strip():
            raise UnreadableFile(_("The file is empty."))
        delimiter = sniff_delimiter(text)
        try:
            check_row_lengths(text, delimiter)
        except csv.Error as error:
            raise UnreadableFile(
                _("This is not a readable CSV file: %(error)s") % {"error": error}
            ) from None
        return tablib.import_set(text, format="csv", delimiter=delimiter)


def read_first_sheet(content: bytes) -> tuple[list[list], tuple[int, int] | None]:
    """The values of the first sheet's rows, and the (row, column) of its first formula if any."""
    import openpyxl

    # Not data_only: a formula cell is read as its formula (data type "f"), so it can be refused.
    book = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
    try:
        sheet = book.active
        rows, formula = [], None
        for row in sheet.iter_rows() if sheet is not None else ():
            for cell in row:
                if formula is None and cell.data_type == "f":
                    formula = (cell.row, cell.column)
            rows.append([cell.value for cell in row])
        return rows, formula
    finally:
        book.close()


def blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


class Workbook(XLSX):
    """The first sheet of an Excel workbook, refused if a cell holds a formula."""

    def create_dataset(self, in_stream):
        try:
            rows, formula = read_first_sheet(in_stream)
        except Exception:
            # A damaged zip, or a zip that is not a workbook: openpyxl raises many kinds.
            raise UnreadableFile(_("This is not a readable Excel workbook.")) from None
        if formula is not None:
            raise UnreadableFile(
                _(
                    "row %(row)s, column %(column)s: a formula; formulas are refused, so copy "
                    "the cells and paste them as values"
                )
                % {"row": formula[0], "column": get_column_letter(formula[1])}
            )
        while rows and all(blank(value) for value in rows[-1]):
            rows.pop()  # rows that were formatted once but hold nothing
        if not rows:
            raise UnreadableFile(_("The file is empty."))
        header = rows[0]
        while header and blank(header[-1]):
            header = header[:-1]
        width = len(header)
        dataset = tablib.Dataset(headers=header)
        for number, row in enumerate(rows[1:], start=2):
            cells = len(row)
            while cells > width and blank(row[cells - 1]):
                cells -= 1
            if cells > width:
                raise UnreadableFile(
                    _("row %(row)s: %(cells)s cells, the header has %(header)s")
                    % {"row": number, "cells": cells, "header": width}
                )
            dataset.append((row + [None] * width)[:width])
        return dataset
