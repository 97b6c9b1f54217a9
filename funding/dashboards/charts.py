"""Plotly figures for the dashboards, built from plain numbers: no request and no ORM in here.

Each function returns the figure as a plain dict, ready for `json_script`; `static/js/charts.js`
draws it. The dicts are written out rather than built with `plotly.graph_objects`, whose validation
of every property cost ~13 ms a chart on each request; `tests/test_charts.py` passes every figure
through `plotly.graph_objects.Figure` so they stay valid and come out unchanged. Colours come
from the theme (each at least 4.5:1 on white) and every series also differs by pattern, dash or
marker, so colour is never the only cue.
"""

import textwrap
from datetime import timedelta
from decimal import Decimal

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from funding.formatting import format_money
from funding.languages import in_language

COMMITTED = "#1f4e8c"
PENDING = "#b45309"
DISBURSED = "#166534"
OPEN = "#4a5563"
TEXT = "#1b1f24"
GRID = "#c5cbd3"
MILLION = Decimal(1_000_000)
FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif'


def _amounts(values) -> list[float]:
    # Plotly draws floats; the exact Decimal stays in the hover text and in the tables.
    return [float(value) for value in values]


def _layout(*, height: int, top: Decimal, currency: str, **extra) -> dict:
    """The common layout; `top` is the largest amount on the money axis."""
    dutch = (get_language() or "nl").startswith("nl")
    ticks = _money_ticks(top)
    money_axis = {
        "tickvals": _amounts(ticks),
        "ticktext": [_tick_label(tick, step=ticks[1], currency=currency) for tick in ticks],
        "range": [0, float(max(ticks[-1], top) * Decimal("1.02"))],
        "gridcolor": GRID,
        "zerolinecolor": TEXT,
        "automargin": True,
        # Never rotated: charts.js keeps every other tick instead when the chart is narrow.
        "tickangle": 0,
    }
    layout = {
        # No template: plotly.js draws with its own defaults and the settings here.
        "template": {},
        "height": height,
        "margin": {"l": 10, "r": 20, "t": 10, "b": 10},
        "font": {"family": FONT, "size": 14, "color": TEXT},
        "paper_bgcolor": "#ffffff",
        "plot_bgcolor": "#ffffff",
        "separators": ",." if dutch else ".,",
        # Below everything, in the margin it makes room for: never over the axis labels.
        "legend": {
            "orientation": "h",
            "x": 0,
            "y": 0,
            "yref": "container",
            "yanchor": "bottom",
            "traceorder": "normal",
        },
        "hoverlabel": {"bgcolor": "#ffffff", "font": {"color": TEXT}},
        "money_axis": money_axis,
    }
    layout.update(extra)
    return layout


def _money_ticks(top: Decimal) -> list[Decimal]:
    """Zero and up to four round steps (1, 2, 2.5 or 5 times a power of ten) reaching `top`."""
    if top <= 0:
        return [Decimal(0), Decimal(1)]
    magnitude = Decimal(10) ** (len(str(int(top))) - 1)
    for factor in (Decimal("0.1"), Decimal("0.2"), Decimal("0.25"), Decimal("0.5"), 1, 2, 5):
        step = magnitude * factor
        if top / step <= 4:
            break
    count = int((top / step).to_integral_value(rounding="ROUND_CEILING"))
    return [step * n for n in range(count + 1)]


def _tick_label(value: Decimal, *, step: Decimal, currency: str) -> str:
    """Axis labels in millions when the steps are, so they stay short on a phone."""
    if step >= MILLION and value:
        amount = format_money((value / MILLION).normalize(), currency)
        # Translators: an amount in millions on a chart axis, e.g. "€50M" ("€ 50 mln").
        return _("%(amount)sM") % {"amount": amount}
    return format_money(value, currency)


def _wrap(label: str, width: int = 18) -> str:
    """Long category labels on two or more lines, so the bars keep their room on a phone."""
    return "<br>".join(textwrap.wrap(label, width)) or label


def _category_axis(labels) -> dict:
    """Categories top to bottom in the given order, long names wrapped."""
    return {
        "autorange": "reversed",
        "tickmode": "array",
        "tickvals": list(labels),
        "ticktext": [_wrap(label) for label in labels],
    }


def _date_axis(series) -> dict:
    """A date axis; with a few days, exactly those days as ticks (no repeated labels)."""
    axis = {"type": "date", "tickformat": "%Y-%m-%d"}
    days = [point.day for point in series]
    if len(days) <= 4:
        axis["tickvals"] = [day.isoformat() for day in days]
    if days and days[0] == days[-1]:
        axis["range"] = [
            (days[0] - timedelta(days=3)).isoformat(),
            (days[0] + timedelta(days=3)).isoformat(),
        ]
    return axis


def _figure(traces, layout: dict, *, money_axis: str) -> dict:
    axis = layout.pop("money_axis")
    layout[money_axis] = {**axis, **layout.get(money_axis, {})}
    # Tells charts.js which axis holds the money ticks it may thin out on a phone.
    layout["meta"] = {"money_axis": money_axis}
    other = "yaxis" if money_axis == "xaxis" else "xaxis"
    layout[other] = {"automargin": True, "gridcolor": GRID, **layout.get(other, {})}
    return {"data": traces, "layout": layout}


def _bar(name, values, labels, *, color, pattern, currency, horizontal=True, outline=None):
    marker = {
        "color": "#ffffff" if pattern == "/" else color,
        "line": {"color": outline or color, "width": 1.5},
    }
    if pattern:
        # The background is given: plotly leaves it transparent (white) otherwise.
        marker["pattern"] = {
            "shape": pattern,
            "fgcolor": color if pattern == "/" else "#ffffff",
            "bgcolor": "#ffffff" if pattern == "/" else color,
        }
    return {
        "customdata": [format_money(value, currency) for value in values],
        "hovertemplate": "%{customdata}<extra>" + name + "</extra>",
        "marker": marker,
        "name": name,
        "orientation": "h" if horizontal else "v",
        "x": _amounts(values) if horizontal else list(labels),
        "y": list(labels) if horizontal else _amounts(values),
        "type": "bar",
    }


def _not_covered(values, labels, *, currency):
    """What the target still lacks: an empty (white) bar with a grey outline."""
    return _bar(
        _("Not covered"),
        values,
        labels,
        color="#ffffff",
        outline=OPEN,
        pattern="",
        currency=currency,
    )


def funding_by_funder(rows, *, currency: str) -> dict:
    """Horizontal bars per funder, stacked: disbursed, committed not yet paid, pending."""
    funders = [in_language(row, "funder").text for row in rows]
    traces = [
        _bar(
            _("Disbursed"),
            [row.disbursed for row in rows],
            funders,
            color=DISBURSED,
            pattern=".",
            currency=currency,
        ),
        _bar(
            _("Committed, not yet disbursed"),
            [row.committed_unpaid for row in rows],
            funders,
            color=COMMITTED,
            pattern="",
            currency=currency,
        ),
        _bar(
            _("Pending (requested)"),
            [row.pending for row in rows],
            funders,
            color=PENDING,
            pattern="/",
            currency=currency,
        ),
    ]
    layout = _layout(
        height=120 + 60 * max(len(rows), 1),
        top=max((row.committed + row.pending for row in rows), default=Decimal(0)),
        currency=currency,
        barmode="stack",
        yaxis=_category_axis(funders),
    )
    return _figure(traces, layout, money_axis="xaxis")


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
            "y": _amounts(getattr(point, attribute) for point in series),
            "type": "scatter",
        }
        for name, attribute, color, dash, symbol in lines
    ]
    top = max((max(p.committed, p.pending, p.disbursed) for p in series), default=Decimal(0))
    layout = _layout(height=360, top=top, currency=currency, xaxis=_date_axis(series))
    return _figure(traces, layout, money_axis="yaxis")


def current_standing(point, *, currency: str, label: str) -> dict:
    """Committed, pending and disbursed as they stand now, side by side: for a programme whose
    sources date none of its status changes, so there is no history to draw."""
    bars = [
        (_("Committed"), point.committed, COMMITTED, ""),
        (_("Pending (requested)"), point.pending, PENDING, "/"),
        (_("Disbursed"), point.disbursed, DISBURSED, "."),
    ]
    traces = [
        _bar(
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
    layout = _layout(height=360, top=top, currency=currency, barmode="group")
    return _figure(traces, layout, money_axis="yaxis")


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
        _bar(name, [value], label, color=color, pattern=pattern, currency=currency)
        for name, value, color, pattern in parts
    ]
    traces.append(_not_covered([summary.uncovered], label, currency=currency))
    layout = _layout(
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
    return _figure(traces, layout, money_axis="xaxis")


def _target_label(target: Decimal, currency: str) -> dict:
    """The dashed target line's label above the bar, ending at the line ("Target €200M")."""
    amount = _tick_label(target, step=target, currency=currency)
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
        _bar(name, values, names, color=color, pattern=pattern, currency=currency)
        for name, values, color, pattern in parts
    ]
    traces.append(_not_covered(uncovered, names, currency=currency))
    layout = _layout(
        height=140 + 45 * max(len(programmes), 1),
        top=max((max(p.target, p.committed + p.pending) for p in programmes), default=Decimal(0)),
        currency=currency,
        barmode="stack",
        yaxis=_category_axis(names),
    )
    return _figure(traces, layout, money_axis="xaxis")


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
        "name": _wrap(f"{scenario.funder} ({amount}): {' / '.join(when)}", 40),
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
            "y": _amounts([forecast.committed] * 2),
            "type": "scatter",
        }
    ]
    for number, scenario in enumerate(forecast.dated):
        traces.append(_expected_decision(scenario, currency, FORECAST_SYMBOLS[number % 10]))
    top = max([forecast.target, *(scenario.granted.total for scenario in forecast.dated)])
    layout = _layout(
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
    return _figure(traces, layout, money_axis="yaxis")
