"""`chairside forecast`: the product's forecasting machinery on any analyst's weekly series.

Same candidates, origins, selection, calibration and gate as the weekly `fct_forecasts` run;
only the input differs: a CSV instead of the mart, and every week in it taken as complete.
"""

from __future__ import annotations

from pathlib import Path

import click
import pandas as pd

from ml.forecast.forecaster import FALLBACK_MIN_WEEKS

INPUT_COLUMNS = ("series_id", "week_start", "value")
OUTPUT_COLUMNS = (
    "series_id",
    "week_start",
    "yhat",
    "yhat_lower",
    "yhat_upper",
    "model",
    "mase",
    "mase_seasonal_naive",
    "coverage_80",
)


class InputError(click.ClickException):
    """Bad input, named by file, series and CSV line (the header is line 1)."""


def read_series(path: Path) -> dict[str, pd.Series]:
    """Each series' weekly values, indexed by Monday; raises InputError naming the line."""
    frame = pd.read_csv(path, dtype=str, keep_default_na=False).replace("", None)
    missing = [column for column in INPUT_COLUMNS if column not in frame.columns]
    if missing:
        raise InputError(f"{path}: missing column(s) {', '.join(missing)}")
    frame["line"] = frame.index + 2
    for column in INPUT_COLUMNS:
        empty = frame[frame[column].isna()]
        if not empty.empty:
            raise InputError(f"{path}, line {empty['line'].iloc[0]}: {column} is empty")
    weeks = pd.to_datetime(frame["week_start"], format="%Y-%m-%d", errors="coerce")
    values = pd.to_numeric(frame["value"], errors="coerce")
    for column, parsed, expected in (
        ("week_start", weeks, "a date YYYY-MM-DD"),
        ("value", values, "a number"),
    ):
        bad = frame[parsed.isna()]
        if not bad.empty:
            row = bad.iloc[0]
            raise InputError(
                f"{path}, line {row['line']}, series {row['series_id']}: {column} "
                f"{row[column]!r} is not {expected}"
            )
    frame = frame.assign(week_start=weeks, value=values.astype(float))
    series = {}
    for series_id, rows in frame.groupby("series_id", sort=True):
        series[str(series_id)] = _checked(
            path, str(series_id), rows.sort_values("week_start", kind="stable")
        )
    return series


def _checked(path: Path, series_id: str, rows: pd.DataFrame) -> pd.Series:
    where = f"{path}, series {series_id}"
    not_monday = rows[rows["week_start"].dt.day_of_week != 0]
    if not not_monday.empty:
        row = not_monday.iloc[0]
        raise InputError(
            f"{where}, line {row['line']}: week_start {row['week_start'].date()} is a "
            f"{row['week_start'].day_name()}; weeks start on Monday"
        )
    duplicate = rows[rows["week_start"].duplicated()]
    if not duplicate.empty:
        row = duplicate.iloc[0]
        raise InputError(
            f"{where}, line {row['line']}: week {row['week_start'].date()} appears twice"
        )
    steps = rows["week_start"].diff().dt.days
    gap = rows[steps > 7]
    if not gap.empty:
        row = gap.iloc[0]
        missing = int(steps.loc[row.name] // 7) - 1
        raise InputError(
            f"{where}, line {row['line']}: {missing} week(s) missing before "
            f"{row['week_start'].date()}; give every week, 0 for a week without activity"
        )
    if len(rows) < FALLBACK_MIN_WEEKS:
        raise InputError(f"{where}: {len(rows)} weeks; at least {FALLBACK_MIN_WEEKS} are needed")
    return pd.Series(
        rows["value"].to_numpy(),
        index=pd.DatetimeIndex(rows["week_start"], name="week_start"),
        name=series_id,
    )


@click.command("forecast")
@click.option(
    "--input",
    "input_path",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    required=True,
    help="CSV with columns series_id, week_start (a Monday, YYYY-MM-DD), value; one row per "
    "series and week, no week missing.",
)
@click.option(
    "--horizon", type=click.IntRange(min=1), default=12, show_default=True, help="Weeks ahead."
)
@click.option(
    "--output",
    "output_path",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="CSV written with series_id, week_start, yhat, yhat_lower, yhat_upper, model, mase, "
    "mase_seasonal_naive, coverage_80.",
)
def forecast_command(input_path: Path, horizon: int, output_path: Path) -> None:
    """Forecast weekly series with the machinery of the shops' forecasts.

    Every week in the input is taken as complete (the CSV has no is_complete column): leave out
    a partial first week and the week in progress. Per series, the candidates (seasonal naive,
    growth-adjusted seasonal naive, MSTL with AutoETS) are backtested on rolling origins; the
    champion is picked on the earlier origins, scored on the later ones (mase, with
    mase_seasonal_naive on the same origins, and coverage_80 of its calibrated 80% interval) and
    replaced by seasonal naive if it lost to it there. A series too short to backtest (fewer
    than 52 + 2 x (horizon + 4) weeks) gets a stated baseline instead, and no scores: model
    `seasonal_naive` with at least 65 weeks (the same week last year, its interval from the
    year-on-year errors so far), else `naive` (the last week repeated, a random-walk interval).
    """
    from ml.forecast.champion import ForecastSettings, evaluate_series
    from ml.forecast.series import WeeklySeries

    settings = ForecastSettings(horizon_weeks=horizon)
    frames = []
    for series_id, values in read_series(input_path).items():
        result = evaluate_series(WeeklySeries(series_id, "value", values), settings)
        forecast = result.forecast.reset_index()
        frames.append(
            forecast.assign(
                series_id=series_id,
                week_start=forecast["week_start"].dt.date,
                model=result.champion,
                mase=result.mase,
                mase_seasonal_naive=result.mase_seasonal_naive,
                coverage_80=result.coverage_80,
            )
        )
        note = (
            f"held-out MASE {result.mase:.2f} (seasonal naive {result.mase_seasonal_naive:.2f}), "
            f"80% coverage {result.coverage_80:.2f}"
            if result.backtested
            else f"{len(values)} weeks, too short to backtest (needs {settings.minimum_weeks}): "
            f"{result.champion} baseline, no scores"
        )
        click.echo(f"{series_id}: {result.champion}; {note}", err=True)
    pd.concat(frames)[list(OUTPUT_COLUMNS)].to_csv(output_path, index=False, float_format="%.4f")
    click.echo(f"{sum(len(f) for f in frames)} rows -> {output_path}", err=True)
