"""Cells that leave the tracker for a spreadsheet (CSV, XLSX) or come in from one, and the CSV
files the dashboards' exports and the charts' numbers are written as."""

import csv
from decimal import Decimal
from itertools import islice

from django.utils import timezone

from funding.formatting import money

EXPORT_FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
# Rows fetched from the server-side cursor at a time, and CSV rows sent per chunk.
CHUNK_SIZE = 1000

# A spreadsheet runs a cell that starts with one of these as a formula (formula injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Spaces and control characters that some programs skip (or an export strips) before a formula.
LEADING_NOISE = "".join(chr(code) for code in range(0x21)) + "\x7f\xa0"


def looks_like_formula(text: str) -> bool:
    return text.startswith(FORMULA_STARTS) or hidden_formula_start(text) is not None


def neutralise(value):
    """Text that a spreadsheet would run as a formula gets a leading quote; numbers stay numbers."""
    if isinstance(value, str) and looks_like_formula(value):
        return "'" + value
    return value


def hidden_formula_start(value: str) -> str | None:
    """The formula character a spreadsheet might still act on after leading spaces or controls.

    " =1+1" or "\x01=HYPERLINK(...)" do not start with "=", but some programs skip what precedes
    it; the character found is returned, or None.
    """
    rest = value.lstrip(LEADING_NOISE)
    if rest and rest[0] in "=+-@":
        return rest[0]
    return None


class _Line:
    """A file-like object whose write hands back what the csv writer wrote."""

    def write(self, text: str) -> str:
        return text


def csv_chunks(rows, *, bom: bool):
    """The CSV file in chunks of encoded rows, the site's one CSV writer.

    The byte-order mark is decided by who reads the file: a person who downloads it from a page
    opens it in a spreadsheet program, which needs the mark to read UTF-8 (`bom=True`: the
    dashboards' exports, the charts' numbers); the open data under /api/ is read by scripts and
    Frictionless, for which a mark is a stray character in the first header (`bom=False`).
    """
    writer = csv.writer(_Line())
    if bom:
        yield "\ufeff".encode()
    rows = iter(rows)
    while chunk := list(islice(rows, CHUNK_SIZE)):
        yield "".join(
            # Plain numbers with a decimal point ("70000000.00"), whatever the page's language.
            writer.writerow([money(v) if isinstance(v, Decimal) else neutralise(v) for v in row])
            for row in chunk
        ).encode("utf-8")


def csv_bytes(rows, *, bom: bool) -> bytes:
    """The whole CSV file at once, as `csv_chunks` streams it: for small, cached files."""
    return b"".join(csv_chunks(rows, bom=bom))


def dated_filename(*parts: str) -> str:
    """A download's name: the parts and today's date, "aifabriek-progress-2026-05-01"."""
    return "-".join([*parts, timezone.localdate().isoformat()])
