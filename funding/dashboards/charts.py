"""Plotly figures for the dashboards, built from plain numbers: no request and no ORM in here.

Each function returns the figure as a plain dict, ready for `json_script`; `static/js/charts.js`
draws it. The dicts are written out rather than built with `plotly.graph_objects`, whose validation
of every property cost ~13 ms a chart on each request; `tests/dashboards/test_charts.py` passes
every figure through `plotly.graph_objects.Figure` so they stay valid and come out unchanged.
Colours come from the theme (each at least 4.5:1 on white) and every series also differs by
pattern, dash or marker, so colour is never the only cue.
"""

from decimal import Decimal

from django.utils.translation import gettext as _

from funding.dashboards.chart_style import (
    COMMITTED,
    DISBURSED,
    PENDING,
    TEXT,
    amounts,
    bar,
    base_layout,
    category_axis,
    date_axis,
    figure,
    not_covered,
    tick_label,
    wrap_label,
)
from funding.formatting import format_money
from funding.languages import in_language


def funding_by_funder(rows, *, currency: str) -> dict:
    """Horizontal bars per funder, stacked: disbursed, committed not yet paid, pending."""
    funders = [in_language(row, "funder").text for row in rows]
    traces = [
        bar(
            _("Disbursed"),
            [row.disbursed for row in rows],
            funders,
            color=DISBURSED,
            pattern=".",
            currency=currency,
        ),
        bar(
            _("Committed, not yet disbursed"),
            [row.committed_unpaid for row in rows],
            funders,
            color=COMMITTED,
            pattern="",
            currency=currency,
        ),
        bar(
            _("Pending (requested)"),
            [row.pending for row in rows],
            funders,
            color=PENDING,
            pattern="/",
            currency=currency,
        ),
    ]
    layout = base_layout(
        height=120 + 60 * max(len(rows), 1),
        top=max((row.committed + row.pending for row in rows), default=Decimal(0)),
        currency=currency,
        barmode="stack",
        yaxis=category_axis(funders),
    )
    return figure(traces, layout, money_axis="xaxis")


def funds_over_time(series, *, currency: str) -> dict:
    """Step lines of committed, pending and disbursed, one point per day something changed."""
    days = [point.day.isoformat() for point in series]
    lines = [
        (_("Committed"), "committed", COMMITTED, "solid", "circle"),
        (_("Pending (requested)"), "pending", PENDING, "dash", "square"),
        (_("Disbursed"), "disbursed", DISBURSED, "dot", "diamond"),
    ]
    traces = [
        {
            "customdata": [format_money(getattr(point, attribute), currency) for point in series],
            "hovertemplate": "%{x}: %{customdata}<extra>" + name + "</extra>",
            "line": {"color": color, "dash": dash, "shape": "hv", "width": 3},
            "marker": {"color": color, "size": 10, "symbol": symbol},
            "mode": "lines+markers",
            "name": name,
            "x": days,
            "y": amounts(getattr(point, attribute) for point in series),
            "type": "scatter",
        }
        for name, attribute, color, dash, symbol in lines
    ]
    top = max((max(p.committed, p.pending, p.disbursed) for p in series), default=Decimal(0))
    layout = base_layout(height=360, top=top, currency=currency, xaxis=date_axis(series))
    return figure(traces, layout, money_axis="yaxis")


def current_standing(point, *, currency: str, label: str) -> dict:
    """Committed, pending and disbursed as they stand now, side by side: for a programme whose
    sources date none of its status changes, so there is no history to draw."""
    bars = [
        (_("Committed"), point.committed, COMMITTED, ""),
        (_("Pending (requested)"), point.pending, PENDING, "/"),
        (_("Disbursed"), point.disbursed, DISBURSED, "."),
    ]
    traces = [
        bar(
            name,
            [value],
            [label],
            color=color,
            pattern=pattern,
            currency=currency,
            horizontal=False,
        )
        for name, value, color, pattern in bars
    ]
    top = max(point.committed, point.pending, point.disbursed)
    layout = base_layout(height=360, top=top, currency=currency, barmode="group")
    return figure(traces, layout, money_axis="yaxis")


def progress_to_target(summary) -> dict:
    """One bar to the target: disbursed, committed not yet paid, pending and not covered."""
    currency = summary.currency
    label = [_("Target")]
    parts = [
        (_("Disbursed"), summary.disbursed, DISBURSED, "."),
        (_("Committed, not yet disbursed"), summary.committed - summary.disbursed, COMMITTED, ""),
        (_("Pending (requested)"), summary.pending, PENDING, "/"),
    ]
    traces = [
        bar(name, [value], label, color=color, pattern=pattern, currency=currency)
        for name, value, color, pattern in parts
    ]
    traces.append(not_covered([summary.uncovered], label, currency=currency))
    layout = base_layout(
        height=200,
        top=max(summary.target, summary.committed + summary.pending),
        currency=currency,
        barmode="stack",
        yaxis={"showticklabels": False},
        margin={"l": 10, "r": 20, "t": 36, "b": 10},
        shapes=[
            {
                "type": "line",
                "xref": "x",
                "yref": "paper",
                "x0": float(summary.target),
                "x1": float(summary.target),
                "y0": 0,
                "y1": 1,
                "line": {"color": TEXT, "width": 3, "dash": "dash"},
            }
        ],
        annotations=[_target_label(summary.target, currency)],
    )
    return figure(traces, layout, money_axis="xaxis")


def _target_label(target: Decimal, currency: str) -> dict:
    """The dashed target line's label above the bar, ending at the line ("Target €200M")."""
    amount = tick_label(target, step=target, currency=currency)
    return {
        # Translators: the label of the dashed target line on a chart, e.g. "Target €200M".
        "text": _("Target %(amount)s") % {"amount": amount},
        "xref": "x",
        "yref": "paper",
        "x": float(target),
        "y": 1,
        "xanchor": "right" if target > 0 else "left",
        "yanchor": "bottom",
        "showarrow": False,
        "font": {"size": 14, "color": TEXT},
    }


def portfolio_comparison(programmes, *, currency: str = "EUR") -> dict:
    """Per programme (largest targets first): disbursed, committed not yet paid, pending and not
    covered, stacked up to the target."""
    names = [in_language(programme, "name").text for programme in programmes]
    uncovered = [max(p.target - p.committed - p.pending, Decimal("0.00")) for p in programmes]
    parts = [
        (_("Disbursed"), [p.disbursed for p in programmes], DISBURSED, "."),
        (
            _("Committed, not yet disbursed"),
            [p.committed - p.disbursed for p in programmes],
            COMMITTED,
            "",
        ),
        (_("Pending (requested)"), [p.pending for p in programmes], PENDING, "/"),
    ]
    traces = [
        bar(name, values, names, color=color, pattern=pattern, currency=currency)
        for name, values, color, pattern in parts
    ]
    traces.append(not_covered(uncovered, names, currency=currency))
    layout = base_layout(
        height=140 + 45 * max(len(programmes), 1),
        top=max((max(p.target, p.committed + p.pending) for p in programmes), default=Decimal(0)),
        currency=currency,
        barmode="stack",
        yaxis=category_axis(names),
    )
    return figure(traces, layout, money_axis="xaxis")


# One marker shape per pending request, so the legend tells them apart without colour.
FORECAST_SYMBOLS = [
    "square",
    "diamond",
    "triangle-up",
    "circle",
    "x",
    "star",
    "hexagon",
    "cross",
    "triangle-down",
    "pentagon",
]


def _expected_decision(scenario, currency: str, symbol: str) -> dict:
    """A pending request as one dashed span per source's date, named with the dates in the
    legend (labels on the plot would overlap where dates are close)."""
    amount = format_money(scenario.amount, currency)
    when = [estimate.fuzzy_date.label() for estimate in scenario.estimates]
    x, y, hover = [], [], []
    for estimate, label in zip(scenario.estimates, when, strict=True):
        x += [estimate.earliest.isoformat(), estimate.latest.isoformat(), None]
        y += [float(scenario.granted.total)] * 2 + [None]
        hover += [f"{scenario.label}: {amount}, {label}"] * 2 + [None]
    return {
        "customdata": hover,
        "hovertemplate": "%{customdata}<extra></extra>",
        "line": {"color": PENDING, "dash": "dash", "width": 4},
        "marker": {"color": PENDING, "size": 11, "symbol": symbol},
        "mode": "lines+markers",
        "name": wrap_label(f"{scenario.funder} ({amount}): {' / '.join(when)}", 40),
        "x": x,
        "y": y,
        "type": "scatter",
    }


def decision_forecast(forecast, *, today) -> dict | None:
    """Committed funds as a level line, and each pending contribution whose decision a source
    dates as a span from the earliest to the latest day that date can mean, at the total the
    programme reaches if it is granted. None when no source dates any decision: no chart then,
    only the sentence and the table that say so."""
    if not forecast.dated:
        return None
    currency = forecast.currency
    spans = [estimate for scenario in forecast.dated for estimate in scenario.estimates]
    start = min([today, *(estimate.earliest for estimate in spans)])
    end = max([today, *(estimate.latest for estimate in spans)])
    committed = format_money(forecast.committed, currency)
    traces = [
        {
            "customdata": [committed, committed],
            "hovertemplate": "%{customdata}<extra>" + _("Committed") + "</extra>",
            "line": {"color": COMMITTED, "dash": "solid", "width": 3},
            "mode": "lines",
            "name": _("Committed"),
            "x": [start.isoformat(), end.isoformat()],
            "y": amounts([forecast.committed] * 2),
            "type": "scatter",
        }
    ]
    for number, scenario in enumerate(forecast.dated):
        traces.append(_expected_decision(scenario, currency, FORECAST_SYMBOLS[number % 10]))
    top = max([forecast.target, *(scenario.granted.total for scenario in forecast.dated)])
    layout = base_layout(
        # Room for the legend, which names each request with its dates.
        height=360 + 30 * len(forecast.dated),
        top=top,
        currency=currency,
        xaxis={"type": "date", "tickformat": "%Y-%m"},
        margin={"l": 10, "r": 20, "t": 36, "b": 10},
    )
    if forecast.target:
        layout["shapes"] = [
            {
                "type": "line",
                "xref": "paper",
                "yref": "y",
                "x0": 0,
                "x1": 1,
                "y0": float(forecast.target),
                "y1": float(forecast.target),
                "line": {"color": TEXT, "width": 2, "dash": "dot"},
            }
        ]
        label = _target_label(forecast.target, currency)
        label.update({"xref": "paper", "yref": "y", "x": 0, "y": float(forecast.target)})
        label["xanchor"] = "left"
        layout["annotations"] = [label]
    return figure(traces, layout, money_axis="yaxis")
