"""Every chart builder against the Vega-Lite schema: the apps show charts unvalidated (see
`chairside.presentation.analytics.charts`), so this is where a wrong encoding is caught."""

import json

import altair as alt
import numpy as np
import pandas as pd
import pytest

from chairside.presentation.analytics import charts
from chairside.presentation.analytics.kpis import KPI_BY_NAME

WEEKS = pd.date_range("2026-09-07", periods=6, freq="W-MON")


def weekly(**columns: list[float]) -> pd.DataFrame:
    return pd.DataFrame({"week_start": WEEKS, **columns})


def hours() -> pd.DataFrame:
    grid = [(day, hour) for day in range(1, 8) for hour in range(9, 18)]
    return pd.DataFrame(
        {
            "iso_dow": [day for day, _ in grid],
            "hour_of_day": [hour for _, hour in grid],
            "calls": np.arange(len(grid)),
        }
    )


FIGURES = {
    "kpi_trends": lambda: charts.kpi_trends(
        weekly(revenue_total=[1.0] * 6, no_show_rate=[0.03, np.nan, 0.02, 0.04, 0.03, 0.03]),
        [KPI_BY_NAME["revenue_total"], KPI_BY_NAME["no_show_rate"]],
    ),
    "weekly_stack": lambda: charts.weekly_stack(
        pd.concat(
            [weekly(calls=[3.0] * 6, kind="Missed"), weekly(calls=[5.0] * 6, kind="Answered")]
        ),
        "calls",
        "kind",
        "Calls",
        order=["Answered", "Missed"],
    ),
    "weekly_lines": lambda: charts.weekly_lines(
        weekly(value=[0.5] * 6, rate="Answered"), "value", "rate", "Rates", axis_format=".0%"
    ),
    "hour_of_week": lambda: charts.hour_of_week(hours(), "calls", "Calls", value_format=",.0f"),
    "bars": lambda: charts.bars(
        pd.DataFrame({"segment": ["At-Risk", "Regular"], "clients": [3, 5]}),
        "segment",
        "clients",
        "Segments",
        colour="segment",
        order=["Regular", "At-Risk"],
    ),
    "forecast": lambda: charts.forecast(
        weekly(actual=[10.0] * 6),
        pd.DataFrame(
            {
                "week_start": WEEKS + pd.Timedelta(weeks=6),
                "yhat": [10.0] * 6,
                "yhat_lower": [8.0] * 6,
                "yhat_upper": [12.0] * 6,
            }
        ),
        "Visits",
    ),
}


@pytest.mark.parametrize("name", FIGURES)
def test_every_chart_is_valid_vega_lite(name: str) -> None:
    figure = FIGURES[name]()
    figure.chart.to_dict()  # validates against the schema; raises on a wrong encoding


@pytest.mark.parametrize("name", FIGURES)
def test_marimo_gets_the_spec_as_vega_lite_json_without_nan(name: str) -> None:
    mime, data = FIGURES[name]()._mime_()
    assert mime == f"application/vnd.vegalite.v{alt.VEGA_VERSION}+json"
    assert "NaN" not in data
    assert json.loads(data)["$schema"].startswith("https://vega.github.io/schema/vega-lite/")


def test_bars_are_as_wide_as_the_weeks_allow() -> None:
    spec = FIGURES["weekly_stack"]().chart.to_dict()
    assert spec["mark"]["size"] == int(0.7 * charts.WIDE / len(WEEKS))
