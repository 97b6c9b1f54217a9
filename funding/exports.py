"""Contributions as CSV and XLSX: text cells made safe for spreadsheets, amounts kept as numbers."""

import csv
import io
from decimal import Decimal

from django.http import HttpResponse
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from funding.opendata import money
from funding.spreadsheets import neutralise

EXPORT_FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def contribution_rows(contributions):
    """The header and one row per contribution, amounts as Decimal in euros (not formatted)."""
    yield [
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
    for contribution in contributions:
        yield [
            contribution.programme.name,
            contribution.funder.name,
            contribution.instrument,
            contribution.amount,
            contribution.programme.currency,
            contribution.get_status_display(),
            contribution.disbursed,
            _("yes") if contribution.is_public else _("no"),
            contribution.notes,
            contribution.key,
        ]


def export_response(rows, *, export_format: str, filename: str) -> HttpResponse:
    """An attachment in the format asked for ("csv" or "xlsx")."""
    body = _xlsx(rows) if export_format == "xlsx" else _csv(rows)
    response = HttpResponse(body, content_type=EXPORT_FORMATS[export_format])
    response["Content-Disposition"] = f'attachment; filename="{filename}.{export_format}"'
    return response


def _csv(rows) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in rows:
        # Plain numbers with a decimal point ("70000000.00"), whatever the page's language.
        writer.writerow([money(v) if isinstance(v, Decimal) else neutralise(v) for v in row])
    # A byte-order mark, so that spreadsheet programs read the file as UTF-8.
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _xlsx(rows) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Contributions"))
    for row in rows:
        # Strip first, then neutralise: stripping could otherwise uncover a formula.
        sheet.append([neutralise(_xlsx_safe(value)) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _xlsx_safe(value):
    # Control characters that XLSX cannot hold would make openpyxl refuse the whole file.
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    return value
