"""The numbers of each chart as rows for a CSV download: the rows of the chart's table.

Plain data in, plain rows out (no request, no ORM): amounts stay Decimal and the CSV writer
prints them as plain numbers ("70000000.00"); column names are fixed, lower case, with the
unit in the name (`amount_eur`, `share_of_target_percent`), so a script can rely on them.
The first column holds what the table's row header says, in the page's language.
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from funding.languages import in_language

PUBLIC_CHARTS = ("progress",)
PROGRAMME_CHARTS = ("progress", "by-funder", "over-time")
PORTFOLIO_CHARTS = ("comparison",)


@dataclass(frozen=True)
class ChartRows:
    header: list[str]
    rows: list[list]

    def __iter__(self):
        yield self.header
        yield from self.rows


def _unit(currency: str) -> str:
    return currency.lower()


def progress_rows(summary) -> ChartRows:
    """The parts of the bar to the target, as the "Progress to target" table lists them."""
    unit = _unit(summary.currency)
    return ChartRows(
        header=["part", f"amount_{unit}", "share_of_target_percent"],
        rows=[
            [_("Disbursed"), summary.disbursed, None],
            [_("Committed, not yet disbursed"), summary.committed_unpaid, None],
            [_("Committed in all"), summary.committed, summary.committed_share],
            [_("Pending (requested)"), summary.pending, summary.pending_share],
            [_("Not covered"), summary.uncovered, None],
            [_("Target"), summary.target, None],
        ],
    )


def by_funder_rows(funders, *, currency: str) -> ChartRows:
    """One row per funder: disbursed, committed not yet paid, pending."""
    unit = _unit(currency)
    return ChartRows(
        header=[
            "funder",
            f"disbursed_{unit}",
            f"committed_not_disbursed_{unit}",
            f"pending_{unit}",
        ],
        rows=[
            [str(in_language(row, "funder")), row.disbursed, row.committed_unpaid, row.pending]
            for row in funders
        ],
    )


def over_time_rows(points, *, currency: str) -> ChartRows:
    """One row per point of the line chart: the day (ISO 8601) and the three totals."""
    unit = _unit(currency)
    return ChartRows(
        header=["date", f"committed_{unit}", f"pending_{unit}", f"disbursed_{unit}"],
        rows=[
            [point.day.isoformat(), point.committed, point.pending, point.disbursed]
            for point in points
        ],
    )


def comparison_rows(programmes) -> ChartRows:
    """The compared programmes, each in its own currency (named in a column of its own)."""
    currencies = {programme.currency for programme in programmes}
    # One currency (the usual case) goes into the column names; several leave it to the column.
    unit = _unit(currencies.pop()) if len(currencies) == 1 else "amount"
    return ChartRows(
        header=[
            "programme",
            "currency",
            f"target_{unit}",
            f"committed_{unit}",
            f"pending_{unit}",
            f"disbursed_{unit}",
            "committed_share_percent",
        ],
        rows=[
            [
                programme.name,
                programme.currency,
                programme.target,
                programme.committed,
                programme.pending,
                programme.disbursed,
                programme.committed_share,
            ]
            for programme in programmes
        ],
    )
