"""Contributions as CSV and XLSX: text cells made safe for spreadsheets, amounts kept as numbers.

Both stream: rows come from the database through a server-side cursor in chunks, the CSV goes out
as it is written, and the workbook is written row by row (openpyxl's write-only mode) into a
temporary file that is then sent. A 10,000-row export holds a chunk of rows in memory, not all.
"""

import tempfile
from itertools import chain

from django.http import FileResponse, StreamingHttpResponse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from funding.languages import in_language
from funding.models import ContributionStatus
from funding.spreadsheets import CHUNK_SIZE, EXPORT_FORMATS, csv_chunks, neutralise


def staff_export_rows(contributions):
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
        response = StreamingHttpResponse(
            csv_chunks(rows, bom=True), content_type=EXPORT_FORMATS["csv"]
        )
    response["Content-Disposition"] = f'attachment; filename="{filename}.{export_format}"'
    return response


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
