"""Contributions as CSV and XLSX: text cells made safe for spreadsheets, amounts kept as numbers.

Both stream: rows come from the database through a server-side cursor in chunks, the CSV goes out
as it is written, and the workbook is written row by row (openpyxl's write-only mode) into a
temporary file that is then sent. A 10,000-row export holds a chunk of rows in memory, not all.
"""

import csv
import tempfile
from decimal import Decimal
from itertools import chain, islice

from django.http import FileResponse, StreamingHttpResponse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from funding.languages import in_language
from funding.models import ContributionStatus
from funding.opendata import money
from funding.spreadsheets import neutralise

EXPORT_FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
# Rows fetched from the server-side cursor at a time, and CSV rows sent per chunk.
CHUNK_SIZE = 1000


def contribution_rows(contributions):
    """The header and one row per contribution, amounts as Decimal in euros (not formatted).

    Labels are translated here, in the request's language: the rows themselves are produced
    later, while the response streams. Texts are in that language too where an English version
    was written, as the table shows them (the open data CSV keeps the originals).
    """
    language = get_language()

    def text(record, field):
        return in_language(record, field, language).text

    header = [
        _("Programme"),
        _("Funder"),
        _("Instrument or budget line"),
        _("Amount"),
        _("Currency"),
        _("Status"),
        _("Disbursed"),
        _("Public"),
        _("Notes"),
        _("Key"),
    ]
    statuses = {value: str(label) for value, label in ContributionStatus.choices}
    public = {True: _("yes"), False: _("no")}
    rows = (
        [
            text(contribution.programme, "name"),
            text(contribution.funder, "name"),
            text(contribution, "instrument"),
            contribution.amount,
            contribution.programme.currency,
            statuses.get(contribution.status, contribution.status),
            contribution.disbursed,
            public[contribution.is_public],
            text(contribution, "notes"),
            contribution.key,
        ]
        for contribution in contributions.iterator(chunk_size=CHUNK_SIZE)
    )
    return chain([header], rows)


def export_response(rows, *, export_format: str, filename: str):
    """An attachment in the format asked for ("csv" or "xlsx"), streamed."""
    if export_format == "xlsx":
        response = FileResponse(_xlsx(rows), content_type=EXPORT_FORMATS["xlsx"])
    else:
        response = StreamingHttpResponse(_csv(rows), content_type=EXPORT_FORMATS["csv"])
    response["Content-Disposition"] = f'attachment; filename="{filename}.{export_format}"'
    return response


class _Line:
    """A file-like object whose write hands back what the csv writer wrote."""

    def write(self, text: str) -> str:
        return text


def _csv(rows):
    writer = csv.writer(_Line())
    # A byte-order mark, so that spreadsheet programs read the file as UTF-8.
    yield "\ufeff".encode()
    rows = iter(rows)
    while chunk := list(islice(rows, CHUNK_SIZE)):
        yield "".join(
            # Plain numbers with a decimal point ("70000000.00"), whatever the page's language.
            writer.writerow([money(v) if isinstance(v, Decimal) else neutralise(v) for v in row])
            for row in chunk
        ).encode("utf-8")


def _xlsx(rows):
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Contributions"))
    for row in rows:
        # Strip first, then neutralise: stripping could otherwise uncover a formula.
        sheet.append([neutralise(_xlsx_safe(value)) for value in row])
    # The file is removed when the response closes it.
    spool = tempfile.TemporaryFile()  # noqa: SIM115 (FileResponse closes it)
    workbook.save(spool)
    spool.seek(0)
    return spool


def _xlsx_safe(value):
    # Control characters that XLSX cannot hold would make openpyxl refuse the whole file.
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    return value


def csv_bytes(rows) -> bytes:
    """The whole CSV file at once, as `export_response` streams it: for small, cached files."""
    return b"".join(_csv(rows))
