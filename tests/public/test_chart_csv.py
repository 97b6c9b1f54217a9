"""Each chart's numbers as CSV: the rows of its table, plain amounts, units in the header."""

import csv
import io
from decimal import Decimal

import pytest

from funding.dashboards.builders import portfolio_programmes
from tests.support.dataset import AIFABRIEK
from tests.support.factories import PaymentFactory, ProgrammeFactory
from tests.support.pages import address_in

pytestmark = pytest.mark.django_db
PUBLIC_CSV = f"/programmes/{AIFABRIEK}/charts/progress.csv"


def rows_of(response) -> list[list[str]]:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    text = body.decode("utf-8")
    assert text.startswith("\ufeff")  # spreadsheet programs read the file as UTF-8
    return list(csv.reader(io.StringIO(text[1:])))


def test_the_public_progress_csv_gives_the_public_figures(client, aifabriek, hidden_records):
    response = client.get(address_in(PUBLIC_CSV, "en"))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith(
        'attachment; filename="ai-fabriek-groningen-progress-'
    )
    assert rows_of(response) == [
        ["part", "amount_eur", "share_of_target_percent"],
        ["Disbursed", "0.00", ""],
        ["Committed, not yet disbursed", "130000000.00", ""],
        ["Committed in all", "130000000.00", "65.00"],
        ["Pending (requested)", "70000000.00", "35.00"],
        ["Not covered", "0.00", ""],
        ["Target", "200000000.00", ""],
    ]


def test_the_public_csv_labels_its_rows_in_the_page_language(client, aifabriek):
    rows = rows_of(client.get(PUBLIC_CSV))
    assert rows[0] == ["part", "amount_eur", "share_of_target_percent"]
    assert rows[4] == ["In afwachting (aangevraagd)", "70000000.00", "35.00"]


def test_the_public_csv_is_open_data_with_an_etag(client, aifabriek):
    first = client.get(PUBLIC_CSV)
    assert first["Access-Control-Allow-Origin"] == "*"
    assert client.get(PUBLIC_CSV, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304


@pytest.mark.parametrize(
    "path",
    [
        f"/programmes/{AIFABRIEK}/charts/by-funder.csv",
        f"/programmes/{AIFABRIEK}/charts/nope.csv",
        "/programmes/nope/charts/progress.csv",
    ],
)
def test_unknown_public_charts_and_programmes_give_404(client, aifabriek, path):
    assert client.get(path).status_code == 404


def test_a_programme_that_is_not_public_has_no_public_csv(client, db):
    hidden = ProgrammeFactory(is_public=False)
    assert client.get(f"/programmes/{hidden.slug}/charts/progress.csv").status_code == 404


def test_the_dashboard_csvs_need_dashboard_access(client, outsider, aifabriek):
    path = f"/dashboard/{AIFABRIEK}/charts/by-funder.csv"
    assert client.get(path)["Location"].startswith("/accounts/login/")
    client.force_login(outsider)
    assert client.get(path).status_code == 403
    assert client.get("/dashboard/charts/comparison.csv").status_code == 403


def test_the_funder_csv_has_every_record_staff_see(staff_client, aifabriek, hidden_records):
    rows = rows_of(staff_client.get(f"/dashboard/{AIFABRIEK}/charts/by-funder.csv"))
    assert rows[0] == [
        "funder",
        "disbursed_eur",
        "committed_not_disbursed_eur",
        "pending_eur",
    ]
    assert rows[1:] == [
        ["Europese Unie", "0.00", "0.00", "70000000.00"],
        ["Rijksoverheid", "0.00", "70000000.00", "0.00"],
        ["Regio Groningen/Noord-Drenthe", "0.00", "60000000.00", "0.00"],
        ["Hidden Fund", "0.00", "5000000.00", "0.00"],
    ]


def test_the_staff_progress_csv_counts_payments(staff_client, aifabriek):
    rijk = aifabriek.contributions.get(key="rijk")
    PaymentFactory(contribution=rijk, amount=Decimal("1500000.50"))
    rows = rows_of(staff_client.get(f"/dashboard/{AIFABRIEK}/charts/progress.csv"))
    assert rows[1][1:] == ["1500000.50", ""]
    assert rows[2][1:] == ["128499999.50", ""]


def test_the_over_time_csv_has_a_row_per_point_of_the_chart(staff_client, aifabriek):
    response = staff_client.get(f"/dashboard/{AIFABRIEK}/")
    points = response.context["dashboard"].over_time.points
    rows = rows_of(staff_client.get(f"/dashboard/{AIFABRIEK}/charts/over-time.csv"))
    assert rows[0] == ["date", "committed_eur", "pending_eur", "disbursed_eur"]
    assert rows[1:] == [
        [p.day.isoformat(), f"{p.committed:.2f}", f"{p.pending:.2f}", f"{p.disbursed:.2f}"]
        for p in points
    ]


def test_the_portfolio_csv_has_the_compared_programmes(staff_client, aifabriek, hidden_records):
    rows = rows_of(staff_client.get("/dashboard/charts/comparison.csv"))
    assert rows == [
        [
            "programme",
            "currency",
            "target_eur",
            "committed_eur",
            "pending_eur",
            "disbursed_eur",
            "committed_share_percent",
        ],
        [
            "AI-fabriek Groningen",
            "EUR",
            "200000000.00",
            "135000000.00",
            "70000000.00",
            "0.00",
            "67.50",
        ],
    ]
    assert len(portfolio_programmes()) == 1


@pytest.mark.parametrize(
    "path",
    [f"/dashboard/{AIFABRIEK}/charts/nope.csv", "/dashboard/charts/progress.csv"],
)
def test_unknown_staff_charts_give_404(staff_client, aifabriek, path):
    assert staff_client.get(path).status_code == 404


def test_a_funder_named_like_a_formula_is_kept_as_text(staff_client, aifabriek):
    from tests.support.factories import ContributionFactory, OrganisationFactory

    ContributionFactory(programme=aifabriek, funder=OrganisationFactory(name="=HYPERLINK(1)"))
    rows = rows_of(staff_client.get(f"/dashboard/{AIFABRIEK}/charts/by-funder.csv"))
    assert [row[0] for row in rows if "HYPERLINK" in row[0]] == ["'=HYPERLINK(1)"]


def test_every_chart_on_the_pages_links_its_csv(client, staff_client, aifabriek):
    public = client.get(f"/programmes/{AIFABRIEK}/").content.decode()
    assert f'href="{PUBLIC_CSV}" download' in public
    dashboard = staff_client.get(f"/dashboard/{AIFABRIEK}/").content.decode()
    for chart in ("progress", "by-funder", "over-time"):
        assert f'href="/dashboard/{AIFABRIEK}/charts/{chart}.csv" download' in dashboard
    portfolio = staff_client.get("/dashboard/").content.decode()
    assert 'href="/dashboard/charts/comparison.csv" download' in portfolio


def test_a_slug_too_long_for_a_cache_key_gives_404(staff_client, aifabriek):
    slug = "9" * 300
    assert staff_client.get(f"/dashboard/{slug}/charts/progress.csv").status_code == 404
    assert staff_client.get(f"/dashboard/{slug}/").status_code == 404
    assert staff_client.get(f"/programmes/{slug}/badge.svg").status_code == 404
