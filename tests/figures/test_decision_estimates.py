"""Expected decision dates on pending contributions, and the forecast chart that places them."""

import json
from datetime import date
from decimal import Decimal

import plotly.graph_objects as go
import pytest
from django.urls import reverse
from django.utils import translation

from funding.dashboards import charts
from funding.dashboards.builders import programme_dashboard
from funding.models import Contribution, ContributionStatus, DecisionEstimate, Source
from tests.support.admin_forms import form_data, sign_in_in_english
from tests.support.factories import ContributionFactory, ProgrammeFactory, SourceFactory
from tests.support.pages import address_in, figure

pytestmark = pytest.mark.django_db
DASHBOARD = "/dashboard/ai-fabriek-groningen/"


def expect_decision(contribution, *, precision="part", year=2026, period=None, source=None):
    return DecisionEstimate.objects.create(
        contribution=contribution,
        precision=precision,
        year=year,
        period=period,
        source=source or SourceFactory(),
    )


def get_html(client, url, language="en"):
    response = client.get(address_in(url, language))
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def pending_programme(db):
    """A generated programme with several pending requests, most with expected decisions."""
    programme = ProgrammeFactory(slug="forecast", target=Decimal("1000000.00"))
    ContributionFactory(programme=programme, amount=Decimal("400000.00"))
    requested = [
        ContributionFactory(
            programme=programme,
            key=f"request-{n}",
            amount=Decimal(amount),
            status=ContributionStatus.REQUESTED,
        )
        for n, amount in enumerate(["300000.00", "200000.00", "100000.00"])
    ]
    expect_decision(requested[0], precision="quarter", year=2027, period=2)
    expect_decision(requested[0], precision="part", year=2027, period=3)  # a second source
    expect_decision(requested[1], precision="part", year=2026, period=1)
    return programme, requested


def test_the_span_follows_from_the_fuzzy_date(aifabriek):
    eu = Contribution.objects.get(key="eu-cofinanciering")
    estimate = expect_decision(eu, precision="part", year=2026, period=3)
    assert (estimate.earliest, estimate.latest) == (date(2026, 9, 1), date(2026, 12, 31))
    with translation.override("en"):
        assert str(estimate) == "Europese Unie (Europese cofinancieringsaanvraag): late 2026"
    assert list(eu.decision_estimates.all()) == [estimate]
    assert estimate.history.count() == 1


def test_a_period_that_does_not_fit_the_precision_is_refused(aifabriek):
    eu = Contribution.objects.get(key="eu-cofinanciering")
    estimate = DecisionEstimate(
        contribution=eu, precision="quarter", year=2026, period=5, source=Source.objects.first()
    )
    with pytest.raises(Exception, match="quarter period runs from 1 to 4"):
        estimate.full_clean()


def test_a_funding_admin_adds_an_expected_decision_in_the_contribution_form(
    client, funding_admin, aifabriek
):
    sign_in_in_english(client, funding_admin)
    eu = Contribution.objects.get(key="eu-cofinanciering")
    url = reverse("admin:funding_contribution_change", args=[eu.pk])
    page = client.get(url)
    assert "Expected decisions" in page.content.decode()
    data = form_data(page, "contribution_form")
    prefix = "decision_estimates"
    data |= {
        f"{prefix}-TOTAL_FORMS": "1",
        f"{prefix}-0-precision": "half",
        f"{prefix}-0-year": "2026",
        f"{prefix}-0-period": "2",
        f"{prefix}-0-source": str(Source.objects.first().pk),
        f"{prefix}-0-quote": "Een besluit wordt in de tweede helft van 2026 verwacht.",
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    [estimate] = eu.decision_estimates.all()
    assert (estimate.earliest, estimate.latest) == (date(2026, 7, 1), date(2026, 12, 31))
    record = estimate.history.get()
    assert (record.history_type, record.history_user) == ("+", funding_admin)


def test_the_shipped_data_says_no_source_dates_the_eu_decision(staff_client, aifabriek):
    html = get_html(staff_client, DASHBOARD)
    assert (
        "No source gives a date for the decision on Europese Unie "
        "(Europese cofinancieringsaanvraag); it is not placed on a date." in html
    )
    assert "No source gives a date for the decision.</td>" in html
    # No date is invented: without a dated decision there is no chart, only the table.
    assert figure(html, "forecast") is None
    dutch = get_html(staff_client, DASHBOARD, "nl")
    assert "Geen bron noemt een datum voor het besluit over Europese Unie" in dutch


def test_the_forecast_places_pending_requests_at_their_expected_decisions(
    staff_client, pending_programme
):
    programme, requested = pending_programme
    html = get_html(staff_client, "/dashboard/forecast/")
    fig = figure(html, "forecast")
    committed, early, later = fig["data"]
    assert committed["y"] == [400000.0, 400000.0]
    # Earliest decision first: request-1 (early 2026), then request-0 (Q2 and late 2027, from
    # two sources), each at the total the programme reaches if it is granted.
    assert early["x"] == ["2026-01-01", "2026-04-30", None]
    assert early["y"] == [600000.0, 600000.0, None]
    assert later["x"] == ["2027-04-01", "2027-06-30", None, "2027-09-01", "2027-12-31", None]
    assert later["y"] == [700000.0, 700000.0, None] * 2
    assert early["name"].endswith(": early 2026")
    assert later["name"].replace("<br>", " ").endswith(": Q2 2027 / late 2027")
    assert early["marker"]["symbol"] != later["marker"]["symbol"]
    assert fig["layout"]["shapes"][0]["y0"] == 1000000.0
    # The one without a date is named, not placed.
    assert "No source gives a date for the decision on Organisation" in html
    assert "early 2026</strong> (1 January 2026 – 30 April 2026)" in html


def test_the_forecast_figure_is_valid_plotly_and_unchanged_by_it(pending_programme):
    programme, _ = pending_programme
    dashboard = programme_dashboard(programme.slug)
    for language in ("nl", "en"):
        with translation.override(language):
            fig = charts.decision_forecast(dashboard.forecast, today=date(2026, 6, 1))
            validated = go.Figure(fig).to_plotly_json()
            validated["layout"].pop("template")
            expected = json.loads(json.dumps(fig))
            expected["layout"].pop("template")
            assert json.loads(json.dumps(validated)) == expected


def test_the_api_gives_expected_decisions_of_public_requests(client, aifabriek):
    eu = Contribution.objects.get(key="eu-cofinanciering")
    expect_decision(eu, precision="part", year=2026, period=3)
    [row] = client.get("/api/programmes/ai-fabriek-groningen/").json()["scenarios"]["pending"]
    [expected] = row["decision_expected"]
    assert (expected["earliest"], expected["latest"]) == ("2026-09-01", "2026-12-31")
    assert expected["label"] == {"nl": "eind 2026", "en": "late 2026"}
    assert expected["source"]["title"].startswith("Press release")
