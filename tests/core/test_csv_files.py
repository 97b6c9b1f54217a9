"""One CSV writer (funding/spreadsheets.py): the byte-order mark follows who reads the file."""

import csv
import io
from pathlib import Path

import pytest

from funding.spreadsheets import csv_bytes
from tests.support.factories import ContributionFactory, OrganisationFactory

pytestmark = pytest.mark.django_db
APP = Path(__file__).resolve().parents[2]
BOM = "\ufeff".encode()


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_csv_is_written_in_one_module_only():
    writers = [
        str(path.relative_to(APP))
        for folder in ("funding", "accounts", "aifabriek")
        for path in (APP / folder).rglob("*.py")
        if "csv.writer(" in path.read_text()
    ]
    assert writers == ["funding/spreadsheets.py"]


def test_the_open_data_csv_has_no_byte_order_mark_and_reads_as_plain_utf8(client, aifabriek):
    ContributionFactory(
        programme=aifabriek, key="fryslan", funder=OrganisationFactory(name="=Fryslân")
    )
    data = body(client.get("/api/programmes/ai-fabriek-groningen/contributions.csv"))
    assert not data.startswith(BOM)
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8"))))
    assert rows[0].keys() >= {"funder", "amount", "key"}
    assert {row["funder"] for row in rows if row["key"] == "fryslan"} == {"'=Fryslân"}


@pytest.mark.parametrize(
    "url",
    [
        "/programmes/ai-fabriek-groningen/charts/progress.csv",
        "/dashboard/ai-fabriek-groningen/contributions/?export=csv",
    ],
)
def test_files_people_download_from_a_page_start_with_a_byte_order_mark(
    staff_client, aifabriek, url
):
    assert body(staff_client.get(url)).startswith(BOM)


def test_the_writer_writes_amounts_as_plain_decimals_and_neutralises_formulas():
    from decimal import Decimal

    written = csv_bytes([["a", "b"], ["+1", Decimal("70000000")], [None, "x"]], bom=False)
    assert written == b"a,b\r\n'+1,70000000.00\r\n,x\r\n"
