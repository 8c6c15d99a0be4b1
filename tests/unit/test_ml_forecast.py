"""Weekly series from the mart, origins, scores, calibration, champion selection and the CLI."""

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

from chairside.core.clock import Clock
from ml.forecast.backtest import Origins, rolling_origins, score
from ml.forecast.calibration import calibrate_backtest, conformal_quantile, with_interval
from ml.forecast.champion import ForecastSettings, evaluate_all, evaluate_series
from ml.forecast.csv_command import forecast_command
from ml.forecast.models import MstlEts, recent_growth
from ml.forecast.series import WeeklySeries, build_weekly_series, ended_as_of

SETTINGS = ForecastSettings()


def known_shop(seed: int, weeks: int = 130) -> pd.Series:
    """Complete weeks of a shop that grows 15% a year, peaks before Christmas, dips in January
    and closes the week of Christmas; 5% noise."""
    rng = np.random.default_rng(seed)
    index = pd.date_range("2024-06-03", periods=weeks, freq="W-MON")
    day = index.day_of_year.to_numpy()
    season = (
        1
        + 0.25 * np.exp(-(((day - 340) / 12.0) ** 2))
        - 0.2 * np.exp(-(((day - 20) / 10.0) ** 2))
        + 0.08 * np.sin(2 * np.pi * day / 365)
    )
    values = 120 * 1.15 ** (np.arange(weeks) / 52) * season * (1 + rng.normal(0, 0.05, weeks))
    values[(index.month == 12) & (index.day >= 22) & (index.day <= 28)] = 0
    return pd.Series(np.round(values), index=index)


def mart_rows(shop_id: str, values: pd.Series, *, partial_first: float | None) -> pd.DataFrame:
    """The mart's rows for `values`: a partial first week before them (if given) and the week
    in progress after them, both incomplete."""
    rows = pd.DataFrame(
        {
            "shop_id": shop_id,
            "week_start": values.index.date,
            "is_complete": True,
            "appointments_completed": values.to_numpy(),
            "revenue_total": values.to_numpy() * 40,
        }
    )
    week = pd.Timedelta(weeks=1)
    edges = [(values.index[-1] + week, 7.0)]
    if partial_first is not None:
        edges.append((values.index[0] - week, partial_first))
    extra = pd.DataFrame(
        [
            {
                "shop_id": shop_id,
                "week_start": start.date(),
                "is_complete": False,
                "appointments_completed": value,
                "revenue_total": value * 40,
            }
            for start, value in edges
        ]
    )
    return pd.concat([rows, extra], ignore_index=True).sort_values("week_start")


def test_series_keep_complete_weeks_only_and_quiet_weeks_are_zeros() -> None:
    weeks = pd.to_datetime(["2026-09-28", "2026-10-05", "2026-10-19", "2026-11-02", "2026-11-09"])
    metrics = pd.DataFrame(
        {
            "shop_id": ["water-st"] * 5 + ["nowhere"] * 5,
            "week_start": list(weeks.date) * 2,
            "is_complete": [False, True, True, True, False] * 2,
            "appointments_completed": [4, 10, 12, 9, 3] * 2,
            "revenue_total": [160.0, 400.0, 480.0, 350.0, 90.0] * 2,
        }
    )
    shops = pd.DataFrame({"shop_id": ["water-st"]})

    series, notes = build_weekly_series(metrics, shops)

    assert notes == {"nowhere": "not in dim_shop"}
    by_metric = {s.metric: s for s in series}
    visits = by_metric["appointments_completed"]
    # the partial first week and the week in progress are gone; the week without a row is 0
    assert visits.values.tolist() == [10, 0, 12, 0, 9]
    assert visits.values.index[0] == pd.Timestamp("2026-10-05")
    assert visits.trained_through_week == dt.date(2026, 11, 2)
    assert by_metric["revenue_total"].values.tolist() == [400, 0, 480, 0, 350]


def test_an_interior_incomplete_week_starts_the_series_after_it_and_says_so() -> None:
    weeks = pd.date_range("2026-09-07", periods=6, freq="W-MON")
    metrics = pd.DataFrame(
        {
            "shop_id": "water-st",
            "week_start": weeks.date,
            "is_complete": [True, True, False, True, True, True],
            "appointments_completed": [5, 6, 1, 7, 8, 9],
            "revenue_total": 100.0,
        }
    )
    series, notes = build_weekly_series(metrics, pd.DataFrame({"shop_id": ["water-st"]}))
    assert series[0].values.tolist() == [7, 8, 9]
    assert notes == {
        "water-st": "week of 2026-09-21 is incomplete; series starts after it, on 2026-09-28"
    }


def test_a_forecast_as_of_a_week_back_trains_on_the_weeks_ended_by_then() -> None:
    """Pinned to Monday 9 Nov in each shop, the week of 2 Nov has ended, that of 9 Nov (complete
    in a mart built later) has not: last Monday's run never saw it."""
    weeks = pd.date_range("2026-10-19", periods=4, freq="W-MON")
    metrics = pd.DataFrame(
        {
            "shop_id": "water-st",
            "week_start": weeks.date,
            "is_complete": [True, True, True, True],
            "appointments_completed": [5, 6, 7, 8],
            "revenue_total": 100.0,
        }
    )
    shops = pd.DataFrame({"shop_id": ["water-st"], "time_zone": ["America/St_Johns"]})

    as_then = ended_as_of(metrics, shops, Clock(dt.date(2026, 11, 9)))
    series, _ = build_weekly_series(as_then, shops)
    assert series[0].values.tolist() == [5, 6, 7]
    assert series[0].trained_through_week == dt.date(2026, 11, 2)
    as_built = ended_as_of(metrics, shops, Clock(dt.date(2026, 11, 16)))
    assert as_built["is_complete"].tolist() == metrics["is_complete"].tolist()
    a_week_back = ended_as_of(metrics, shops, Clock(dt.date(2026, 11, 16)), weeks_back=1)
    assert a_week_back.equals(as_then)


def test_origins_two_blocks_of_at_least_a_year_of_training_held_out_after_selection() -> None:
    origins = rolling_origins(103, 12, 5, min_train=52)
    assert origins == Origins(selection=(52, 55, 58, 62, 65), held_out=(77, 80, 84, 88, 91))
    assert origins.held_out[-1] + 12 == 103  # the last window ends on the last complete week
    assert origins.selection[-1] + 12 <= origins.held_out[0]  # no selection forecast reaches it
    assert len(origins.all) >= 8 and min(origins.all) >= 52
    assert rolling_origins(156, 12, 5, min_train=52).held_out == (104, 114, 124, 134, 144)
    assert rolling_origins(83, 12, 5, min_train=52) is None
    assert rolling_origins(84, 12, 5, min_train=52) is not None


def test_mase_coverage_bias_and_winkler_by_hand() -> None:
    rows = pd.DataFrame(
        {
            "origin": pd.to_datetime(["2026-01-05"] * 2 + ["2026-01-12"] * 2),
            "yhat": [10.0, 12.0, 10.0, 10.0],
            "actual": [11.0, 14.0, 10.0, 16.0],
            "scale": [2.0, 2.0, 1.0, 1.0],
            "yhat_lower": [9.0, 11.0, 9.0, 9.0],
            "yhat_upper": [11.0, 13.0, 11.0, 11.0],
        }
    )
    scores = score(rows)
    # origin 1: errors 1, 2 over scale 2 -> 0.75; origin 2: 0, 6 over scale 1 -> 3
    assert scores.mase_by_origin == pytest.approx((0.75, 3.0))
    assert scores.mase == pytest.approx(1.875)
    assert scores.coverage_by_origin == pytest.approx((0.5, 0.5))
    assert scores.bias == pytest.approx((-0.5 - 1 + 0 - 6) / 4)
    # width 2 everywhere; misses by 1 (scale 2) and 5 (scale 1), penalised 2 / 0.2 = 10x
    assert scores.winkler_80 == pytest.approx((1 + (2 + 10) / 2 + 2 + (2 + 50)) / 4)


def test_the_conformal_quantile_covers_eighty_percent_of_the_errors_it_saw() -> None:
    rows = pd.DataFrame({"yhat": 100.0, "actual": 100.0 + np.arange(1, 11), "scale": 2.0})
    quantile = conformal_quantile(rows)
    # ceil(11 * 0.8) / 10 = 0.9 -> the 9th of the scaled errors 0.5, 1, ..., 5
    assert quantile == 4.5
    covered = with_interval(rows, quantile)
    assert covered["actual"].le(covered["yhat_upper"]).mean() == 0.9


def test_intervals_narrow_as_errors_shrink_and_no_origin_sets_its_own_width() -> None:
    # errors twice as large at the selection origins as at the held-out ones, as when a model
    # learns from more weeks
    rng = np.random.default_rng(0)
    index = pd.date_range("2024-01-01", periods=103, freq="W-MON")
    origins = rolling_origins(103, 12, 5, min_train=52)
    rows = pd.concat(
        [
            pd.DataFrame(
                {
                    "block": block,
                    "origin": index[cutoff - 1],
                    "week_start": index[cutoff : cutoff + 12],
                    "horizon": np.arange(1, 13),
                    "yhat": 100.0,
                    "actual": 100.0 + spread * rng.uniform(-1, 1, 12),
                    "scale": 1.0,
                }
            )
            for block, cutoffs, spread in (
                ("selection", origins.selection, 2.0),
                ("held_out", origins.held_out, 1.0),
            )
            for cutoff in cutoffs
        ],
        ignore_index=True,
    )
    calibrated = calibrate_backtest(rows)

    held_out = calibrated.rows[calibrated.rows["block"] == "held_out"]
    widths = (held_out["yhat_upper"] - held_out["yhat_lower"]).groupby(held_out["origin"]).first()
    assert widths.iloc[-1] < widths.iloc[0]
    inside = held_out["actual"].between(held_out["yhat_lower"], held_out["yhat_upper"])
    assert 0.7 <= inside.mean() <= 0.9
    # the selection block's quantile alone would have covered every held-out week
    selection_quantile = conformal_quantile(rows[rows["block"] == "selection"])
    assert held_out["actual"].sub(100).abs().le(selection_quantile).all()
    assert calibrated.quantile < selection_quantile
    # what happens after an origin does not change the interval it was given
    last = rows["origin"] == rows["origin"].max()
    tampered = calibrate_backtest(rows.assign(actual=rows["actual"].where(~last, 1000.0))).rows
    assert (
        tampered.loc[last, "yhat_upper"].tolist()
        == calibrated.rows.loc[last, "yhat_upper"].tolist()
    )


def test_growth_is_the_last_quarter_over_the_same_quarter_a_year_before() -> None:
    history = np.concatenate([np.full(52, 100.0), np.full(13, 120.0)])
    assert recent_growth(history) == pytest.approx(1.2)
    assert recent_growth(np.full(52, 100.0)) == 1.0  # not a year and a quarter yet


def test_mstl_ets_is_statsforecast_s_mstl_with_holt_s_trend() -> None:
    from statsforecast.models import MSTL, AutoETS

    history = known_shop(4, weeks=90).to_numpy(dtype=float)
    library = MSTL(season_length=52, trend_forecaster=AutoETS(model="AAN", damped=False))
    expected = library.forecast(y=history, h=12)["mean"]
    assert MstlEts().forecast(history, 12) == pytest.approx(expected)


def test_a_shop_of_known_structure_is_forecast_honestly() -> None:
    """Growth, a December peak, a January dip, a closed Christmas week: the champion beats
    seasonal naive on held-out origins and its calibrated interval covers about 80% there."""
    results = [
        evaluate_series(WeeklySeries(f"s{n}", "v", known_shop(n)), SETTINGS) for n in range(8)
    ]
    inside = np.concatenate(
        [
            r.candidates[r.champion]
            .backtest.query("block == 'held_out'")
            .eval("actual >= yhat_lower and actual <= yhat_upper")
            .to_numpy()
            for r in results
        ]
    )
    assert 0.70 <= inside.mean() <= 0.90
    for result in results:
        assert 0.70 <= result.coverage_80 <= 0.90  # each series, not only pooled
        assert result.mase < result.mase_seasonal_naive
        assert result.champion != "seasonal_naive"
        assert result.forecaster.history.size == 130


def test_the_partial_first_week_changes_nothing() -> None:
    values = known_shop(0)
    shops = pd.DataFrame({"shop_id": ["with", "without"]})
    weekly = pd.concat(
        [
            mart_rows("with", values, partial_first=21.0),  # a Saturday opening
            mart_rows("without", values, partial_first=None),
        ]
    )
    series, _ = build_weekly_series(weekly, shops, metrics=["appointments_completed"])
    results, _ = evaluate_all(series, SETTINGS)
    with_partial, without = results
    assert with_partial.champion == without.champion
    pd.testing.assert_frame_equal(with_partial.forecast, without.forecast)
    assert with_partial.mase == without.mase
    assert with_partial.coverage_80 == without.coverage_80


def test_a_champion_that_loses_to_seasonal_naive_held_out_is_not_published() -> None:
    # A stable yearly pattern under heavy noise: MSTL wins the selection origins, then loses to
    # seasonal naive on the held-out ones (seed 6 of 20 such series; seed 7 does too).
    rng = np.random.default_rng(6)
    weeks = 110
    values = 100 + 30 * np.sin(2 * np.pi * np.arange(weeks) / 52) + rng.normal(0, 10, weeks)
    index = pd.date_range("2024-01-01", periods=weeks, freq="W-MON")

    result = evaluate_series(WeeklySeries("noisy", "v", pd.Series(values, index=index)), SETTINGS)

    assert result.selected == "mstl_ets"
    assert result.candidates["mstl_ets"].held_out.mase > result.mase_seasonal_naive
    assert result.champion == "seasonal_naive"
    assert result.mase == result.mase_seasonal_naive
    assert result.forecaster.model == "seasonal_naive"


def test_a_series_too_short_to_backtest_gets_a_stated_baseline_without_scores() -> None:
    seventy, forty = known_shop(1, weeks=70), known_shop(1, weeks=40)
    results, notes = evaluate_all(
        [
            WeeklySeries("older", "v", seventy),
            WeeklySeries("young", "v", forty),
            WeeklySeries("new", "v", known_shop(1, weeks=10)),
        ],
        SETTINGS,
        workers=1,
    )
    year_on, young = results
    # with a year and a quarter: the same weeks last year; with less: the last week repeated
    assert year_on.champion == "seasonal_naive" and not year_on.backtested
    assert year_on.forecast["yhat"].tolist() == seventy.iloc[-52:-40].tolist()
    assert young.champion == "naive"
    assert (young.forecast["yhat"] == forty.iloc[-1]).all()
    widths = young.forecast["yhat_upper"] - young.forecast["yhat"]
    assert widths.is_monotonic_increasing  # a random walk's interval widens
    for result in results:
        assert np.isnan([result.mase, result.mase_seasonal_naive, result.coverage_80]).all()
        assert (result.forecast["yhat_lower"] <= result.forecast["yhat"]).all()
    assert notes == {
        "older/v": "70 complete weeks; a backtest needs at least 84: stated baseline, no scores",
        "young/v": "40 complete weeks; a backtest needs at least 84: stated baseline, no scores",
        "new/v": "10 complete weeks; no forecast before 13",
    }


def write_csv(path: Path, frame: pd.DataFrame) -> Path:
    frame.to_csv(path, index=False)
    return path


def csv_frame(series_id: str, values: pd.Series) -> pd.DataFrame:
    return pd.DataFrame(
        {"series_id": series_id, "week_start": values.index.date, "value": values.to_numpy()}
    )


def test_the_cli_forecasts_each_series_and_falls_back_for_a_short_one(tmp_path: Path) -> None:
    source = write_csv(
        tmp_path / "in.csv",
        pd.concat([csv_frame("long", known_shop(2)), csv_frame("short", known_shop(3, weeks=30))]),
    )
    output = tmp_path / "out.csv"
    result = CliRunner().invoke(
        forecast_command,
        ["--input", str(source), "--horizon", "6", "--output", str(output)],
    )
    assert result.exit_code == 0, result.output
    rows = pd.read_csv(output)
    assert list(rows.columns) == [
        "series_id", "week_start", "yhat", "yhat_lower", "yhat_upper",
        "model", "mase", "mase_seasonal_naive", "coverage_80",
    ]  # fmt: skip
    assert rows.groupby("series_id").size().to_dict() == {"long": 6, "short": 6}
    long, short = rows[rows["series_id"] == "long"], rows[rows["series_id"] == "short"]
    assert (
        long["week_start"].iloc[0]
        == (known_shop(2).index[-1] + pd.Timedelta(weeks=1)).date().isoformat()
    )
    assert (long["mase"] <= long["mase_seasonal_naive"]).all()
    assert long["coverage_80"].between(0, 1).all()
    assert set(short["model"]) == {"naive"} and short["mase"].isna().all()
    assert (rows["yhat_lower"] <= rows["yhat"]).all() and (rows["yhat"] <= rows["yhat_upper"]).all()


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda f: f.drop(index=5), "series a, line 7: 1 week(s) missing before 2024-02-12"),
        (lambda f: pd.concat([f, f.iloc[[3]]]), "series a, line 22: week 2024-01-22 appears twice"),
        (
            lambda f: f.assign(
                week_start=f["week_start"].where(f.index != 2, dt.date(2024, 1, 17))
            ),
            "series a, line 4: week_start 2024-01-17 is a Wednesday; weeks start on Monday",
        ),
        (lambda f: f.iloc[:10], "series a: 10 weeks; at least 13 are needed"),
        (
            lambda f: f.assign(value=f["value"].astype(object).where(f.index != 8, "n/a")),
            "line 10, series a: value 'n/a' is not a number",
        ),
    ],
)
def test_the_cli_names_the_series_and_line_of_bad_input(tmp_path: Path, edit, message: str) -> None:
    weeks = pd.date_range("2024-01-01", periods=20, freq="W-MON")
    frame = edit(pd.DataFrame({"series_id": "a", "week_start": weeks.date, "value": 10.0}))
    source = write_csv(tmp_path / "in.csv", frame)
    result = CliRunner().invoke(
        forecast_command, ["--input", str(source), "--output", str(tmp_path / "out.csv")]
    )
    assert result.exit_code != 0
    assert message in result.output
    assert not (tmp_path / "out.csv").exists()
