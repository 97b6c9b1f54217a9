"""The chart figures are plain dicts: plotly accepts each one as it stands and changes nothing."""

import json
from datetime import date
from decimal import Decimal

import plotly.graph_objects as go
import pytest
from django.utils import translation

from funding.dashboards import charts
from funding.dashboards.builders import FunderFunding, largest_targets, portfolio_programmes
from funding.figures.over_time import FundsOnDate
from funding.figures.summaries import FundingSummary
from tests.support.factories import ProgrammeFactory

pytestmark = pytest.mark.django_db

SUMMARY = FundingSummary(
    target=Decimal("200000000.00"),
    committed=Decimal("130000000.00"),
    pending=Decimal("70000000.00"),
    disbursed=Decimal("20000000.00"),
    gap=Decimal("70000000.00"),
    committed_share=Decimal("65.00"),
    currency="EUR",
)
FUNDERS = [
    FunderFunding("Europese Unie", Decimal(0), Decimal(0), Decimal("70000000.00")),
    FunderFunding("Rijksoverheid", Decimal("20000000.00"), Decimal("50000000.00"), Decimal(0)),
]
SERIES = [
    FundsOnDate(date(2025, 1, 10), Decimal(0), Decimal("70.00"), Decimal(0)),
    FundsOnDate(date(2025, 3, 1), Decimal("130.00"), Decimal(0), Decimal("20.00")),
]


def figures():
    ProgrammeFactory(name="A programme with a rather long name", target=Decimal("5000.00"))
    yield "progress", charts.progress_to_target(SUMMARY)
    yield "by funder", charts.funding_by_funder(FUNDERS, currency="EUR")
    yield "by no funder", charts.funding_by_funder([], currency="EUR")
    yield "over time", charts.funds_over_time(SERIES, currency="EUR")
    yield "over one day", charts.funds_over_time(SERIES[:1], currency="EUR")
    yield "current standing", charts.current_standing(SERIES[-1], currency="EUR", label="Now")
    yield "portfolio", charts.portfolio_comparison(largest_targets(portfolio_programmes()))


@pytest.mark.parametrize("language", ["nl", "en"])
def test_every_figure_is_valid_plotly_and_unchanged_by_it(language):
    with translation.override(language):
        for name, figure in figures():
            # Raises ValueError on any property plotly does not know or any value it refuses.
            validated = go.Figure(figure).to_plotly_json()
            # plotly fills in its own empty template; ours asks plotly.js for none.
            assert validated["layout"].pop("template") is not None
            expected = json.loads(json.dumps(figure))
            assert expected["layout"].pop("template") == {}
            assert json.loads(json.dumps(validated)) == expected, name


def test_plotly_refuses_what_it_does_not_know():
    figure = charts.progress_to_target(SUMMARY)
    figure["data"][0]["marker"]["colour"] = "#000000"
    with pytest.raises(ValueError, match="colour"):
        go.Figure(figure)
