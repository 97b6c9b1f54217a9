"""What every dashboard chart shares: the theme's colours, the font, the money axis with its round
ticks, category and date axes, bars, and the figure dict that `static/js/charts.js` draws.
"""

import textwrap
from datetime import timedelta
from decimal import Decimal

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from funding.formatting import format_money

COMMITTED = "#1f4e8c"
PENDING = "#b45309"
DISBURSED = "#166534"
OPEN = "#4a5563"
TEXT = "#1b1f24"
GRID = "#c5cbd3"
MILLION = Decimal(1_000_000)
FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif'


def amounts(values) -> list[float]:
    # Plotly draws floats; the exact Decimal stays in the hover text and in the tables.
    return [float(value) for value in values]


def base_layout(*, height: int, top: Decimal, currency: str, **extra) -> dict:
    """The common layout; `top` is the largest amount on the money axis."""
    dutch = (get_language() or "nl").startswith("nl")
    ticks = money_ticks(top)
    money_axis = {
        "tickvals": amounts(ticks),
        "ticktext": [tick_label(tick, step=ticks[1], currency=currency) for tick in ticks],
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


def money_ticks(top: Decimal) -> list[Decimal]:
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


def tick_label(value: Decimal, *, step: Decimal, currency: str) -> str:
    """Axis labels in millions when the steps are, so they stay short on a phone."""
    if step >= MILLION and value:
        amount = format_money((value / MILLION).normalize(), currency)
        # Translators: an amount in millions on a chart axis, e.g. "€50M" ("€ 50 mln").
        return _("%(amount)sM") % {"amount": amount}
    return format_money(value, currency)


def wrap_label(label: str, width: int = 18) -> str:
    """Long category labels on two or more lines, so the bars keep their room on a phone."""
    return "<br>".join(textwrap.wrap(label, width)) or label


def category_axis(labels) -> dict:
    """Categories top to bottom in the given order, long names wrapped."""
    return {
        "autorange": "reversed",
        "tickmode": "array",
        "tickvals": list(labels),
        "ticktext": [wrap_label(label) for label in labels],
    }


def date_axis(series) -> dict:
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


def figure(traces, layout: dict, *, money_axis: str) -> dict:
    axis = layout.pop("money_axis")
    layout[money_axis] = {**axis, **layout.get(money_axis, {})}
    # Tells charts.js which axis holds the money ticks it may thin out on a phone.
    layout["meta"] = {"money_axis": money_axis}
    other = "yaxis" if money_axis == "xaxis" else "xaxis"
    layout[other] = {"automargin": True, "gridcolor": GRID, **layout.get(other, {})}
    return {"data": traces, "layout": layout}


def bar(name, values, labels, *, color, pattern, currency, horizontal=True, outline=None):
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
        "x": amounts(values) if horizontal else list(labels),
        "y": list(labels) if horizontal else amounts(values),
        "type": "bar",
    }


def not_covered(values, labels, *, currency):
    """What the target still lacks: an empty (white) bar with a grey outline."""
    return bar(
        _("Not covered"),
        values,
        labels,
        color="#ffffff",
        outline=OPEN,
        pattern="",
        currency=currency,
    )
