"""The apps' altair charts: each takes a frame from this package's queries and returns a
`Figure`, an altair chart that marimo shows as it is.

Kept apart from the queries so a query can be tested without drawing, and apart from the
notebooks so every app draws weeks, hours of the week and intervals the same way.

marimo's own altair formatter serialises each chart twice, once validated against the Vega-Lite
JSON schema: about 80 ms for the Overview's grid of trends on a filter change that must take
under 300 ms. A `Figure` is serialised once, unvalidated; the tests validate every builder.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import altair as alt
import pandas as pd

from chairside.presentation.analytics.kpis import Kpi, Unit

WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
AXIS_FORMATS = {
    Unit.COUNT: ",.0f",
    Unit.RATE: ".0%",
    Unit.MONEY: ",.0f",
    Unit.SECONDS: ",.0f",
    Unit.DAYS: ",.0f",
}
VEGA_LITE = f"application/vnd.vegalite.v{alt.VEGA_VERSION}+json"  # the type marimo renders
WIDE = 620
NARROW = 250
# Weeks labelled "7 Sep" with room between labels: Vega-Lite's default for a few months of weeks
# is full month names that run together ("SeptemberOctober").
WEEK_AXIS = alt.X(
    "week_start:T",
    title=None,
    axis=alt.Axis(format="%-d %b", labelOverlap="greedy", labelSeparation=8),
)


@dataclass(frozen=True)
class Figure:
    chart: alt.TopLevelMixin

    def _mime_(self) -> tuple[str, str]:
        """marimo's display protocol."""
        return VEGA_LITE, self.chart.to_json(validate=False)


def kpi_trends(weekly: pd.DataFrame, kpis: Sequence[Kpi], columns: int = 3) -> Figure:
    """One small line chart per KPI over the weeks, each on its own scale.

    The data sits once on the concatenation, not on each chart: altair would otherwise hash
    every chart's frame (through its text repr) to merge them, tens of milliseconds each.
    """
    charts = [
        alt.Chart(title=kpi.label)
        .mark_line(point=True)
        .encode(
            x=WEEK_AXIS,
            y=alt.Y(f"{kpi.name}:Q", title=None, axis=alt.Axis(format=AXIS_FORMATS[kpi.unit])),
            tooltip=[
                alt.Tooltip("week_start:T", title="Week of"),
                alt.Tooltip(f"{kpi.name}:Q", title=kpi.label, format=AXIS_FORMATS[kpi.unit]),
            ],
        )
        .properties(width=NARROW, height=140)
        for kpi in kpis
    ]
    data = weekly[["week_start", *(kpi.name for kpi in kpis)]]
    return Figure(alt.concat(*charts, columns=columns, data=data))


def weekly_stack(
    frame: pd.DataFrame,
    value: str,
    category: str,
    title: str,
    *,
    order: Sequence[str] = (),
    colours: Mapping[str, str] | None = None,
) -> Figure:
    """Stacked weekly bars of `value` split by `category`; `colours` gives categories their
    meaning (answered green, missed red) where the default palette would assign them at random."""
    scale = (
        alt.Scale(domain=list(colours), range=list(colours.values())) if colours else alt.Undefined
    )
    colour = alt.Color(
        f"{category}:N", title=None, sort=list(order or colours or ()) or "ascending", scale=scale
    )
    # a time axis has no bands: each bar gets its share of the width
    width = max(2, int(0.7 * WIDE / max(1, frame["week_start"].nunique())))
    return Figure(
        alt.Chart(frame, title=title)
        .mark_bar(size=width)
        .encode(
            x=WEEK_AXIS,
            y=alt.Y(f"{value}:Q", title=None, stack="zero"),
            color=colour,
            tooltip=[alt.Tooltip("week_start:T", title="Week of"), category, value],
        )
        .properties(width=WIDE, height=220)
    )


def weekly_lines(
    frame: pd.DataFrame, value: str, series: str, title: str, *, axis_format: str = ",.0f"
) -> Figure:
    """One line per `series` of weekly `value`."""
    return Figure(
        alt.Chart(frame, title=title)
        .mark_line(point=True)
        .encode(
            x=WEEK_AXIS,
            y=alt.Y(f"{value}:Q", title=None, axis=alt.Axis(format=axis_format)),
            color=alt.Color(f"{series}:N", title=None),
            tooltip=[
                alt.Tooltip("week_start:T", title="Week of"),
                series,
                alt.Tooltip(f"{value}:Q", format=axis_format),
            ],
        )
        .properties(width=WIDE, height=220)
    )


def hour_of_week(frame: pd.DataFrame, value: str, title: str, *, value_format: str) -> Figure:
    """A weekday x hour heatmap of `value` (frame has iso_dow 1-7 and hour_of_day)."""
    data = frame.assign(weekday=frame["iso_dow"].map(lambda day: WEEKDAYS[day - 1]))
    return Figure(
        alt.Chart(data, title=title)
        .mark_rect()
        .encode(
            x=alt.X("hour_of_day:O", title="Hour (shop time)"),
            y=alt.Y("weekday:O", title=None, sort=list(WEEKDAYS)),
            color=alt.Color(f"{value}:Q", title=None, legend=alt.Legend(format=value_format)),
            tooltip=[
                "weekday",
                alt.Tooltip("hour_of_day:O", title="Hour"),
                alt.Tooltip(f"{value}:Q", format=value_format),
            ],
        )
        .properties(width=WIDE, height=190)
    )


def bars(
    frame: pd.DataFrame,
    category: str,
    value: str,
    title: str,
    *,
    value_format: str = ",.0f",
    colour: str | None = None,
    order: Sequence[str] = (),
) -> Figure:
    """Horizontal bars of `value` per `category`, in `order` or else largest first."""
    encoding = {
        "y": alt.Y(f"{category}:N", title=None, sort=list(order) or "-x"),
        "x": alt.X(f"{value}:Q", title=None, axis=alt.Axis(format=value_format)),
        "tooltip": [category, alt.Tooltip(f"{value}:Q", format=value_format)],
    }
    if colour is not None:
        encoding["color"] = alt.Color(f"{colour}:N", title=None)
    return Figure(
        alt.Chart(frame, title=title)
        .mark_bar()
        .encode(**encoding)
        .properties(width=NARROW + 60, height=alt.Step(18))
    )


def forecast(
    actuals: pd.DataFrame,
    ahead: pd.DataFrame,
    title: str,
    *,
    unit: str | None = None,
    width: int = NARROW + 60,
) -> Figure:
    """Recent actuals (black) then the forecast (blue) with its 80% interval as a band.

    Both frames have week_start and, for `ahead`, yhat, yhat_lower and yhat_upper. `unit` (a
    currency code) titles the value axis, so a money chart never shows a bare number.
    """
    value_axis = alt.Axis(format=",.0f", title=unit)
    history = (
        alt.Chart(actuals)
        .mark_line(point=True, color="black")
        .encode(
            x=WEEK_AXIS,
            y=alt.Y("actual:Q", axis=value_axis),
            tooltip=[
                alt.Tooltip("week_start:T", title="Week of"),
                alt.Tooltip("actual:Q", title="actual", format=",.0f"),
            ],
        )
    )
    base = alt.Chart(ahead).encode(x=WEEK_AXIS)
    band = base.mark_area(opacity=0.25).encode(
        y=alt.Y("yhat_lower:Q", axis=value_axis), y2="yhat_upper:Q"
    )
    line = base.mark_line(point=True).encode(
        y=alt.Y("yhat:Q", axis=value_axis),
        tooltip=[
            alt.Tooltip("week_start:T", title="Week of"),
            alt.Tooltip("yhat:Q", title="forecast", format=",.0f"),
            alt.Tooltip("yhat_lower:Q", title="80% low", format=",.0f"),
            alt.Tooltip("yhat_upper:Q", title="80% high", format=",.0f"),
        ],
    )
    return Figure(alt.layer(band, line, history, title=title).properties(width=width, height=180))
