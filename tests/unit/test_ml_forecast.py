"""Weekly series preparation, holidays, backtest scoring and champion selection."""

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from ml.forecast.backtest import (
    BacktestScores,
    backtest,
    rolling_origins,
    score,
    select_champion,
)
from ml.forecast.champion import CANDIDATE_PREFERENCE, ForecastSettings, evaluate_all
from ml.forecast.models import SeasonalNaive
from ml.forecast.public_holidays import holiday_weeks, province_for_time_zone
from ml.forecast.series import WeeklySeries, build_weekly_series

WEEKS = 156


def weekly(values: np.ndarray, start: str = "2023-01-02") -> pd.Series:
    return pd.Series(values, index=pd.date_range(start, periods=len(values), freq="W-MON"))


def test_series_run_over_complete_weeks_only() -> None:
    # the mart's rows: a partial first week, quiet weeks as zeros, the week in progress
    weeks = pd.date_range("2026-10-05", "2026-11-09", freq="W-MON").date
    metrics = pd.DataFrame(
        {
            "shop_id": ["water-st"] * 6 + ["nowhere"] * 6,
            "week_start": list(weeks) * 2,
            "is_complete": [False, True, True, True, True, False] * 2,
            "appointments_completed": [3, 10, 0, 12, 9, 3] * 2,
            "revenue_total": [90.0, 400.0, 0.0, 480.0, 350.0, 90.0] * 2,
        }
    )
    shops = pd.DataFrame({"shop_id": ["water-st"], "time_zone": ["America/St_Johns"]})

    series, skipped = build_weekly_series(metrics, shops)

    assert skipped == {"nowhere": "no time zone in dim_shop"}
    by_metric = {s.metric: s for s in series}
    visits = by_metric["appointments_completed"]
    assert visits.values.tolist() == [10, 0, 12, 9]
    assert visits.trained_through_week == dt.date(2026, 11, 2)
    assert visits.subdivision == "NL"
    assert by_metric["revenue_total"].values.tolist() == [400, 0, 480, 350]


def test_subdivision_override_beats_the_time_zone() -> None:
    metrics = pd.DataFrame(
        {
            "shop_id": ["mont-royal"],
            "week_start": [dt.date(2026, 11, 2)],
            "is_complete": [True],
            "appointments_completed": [5],
            "revenue_total": [200.0],
        }
    )
    shops = pd.DataFrame({"shop_id": ["mont-royal"], "time_zone": ["America/Toronto"]})
    series, _ = build_weekly_series(metrics, shops, subdivisions={"mont-royal": "QC"})
    assert {s.subdivision for s in series} == {"QC"}


def test_holidays_are_the_province_s_and_land_on_their_week() -> None:
    assert province_for_time_zone("America/St_Johns") == "NL"
    assert province_for_time_zone("Europe/Paris") is None
    ontario = holiday_weeks("ON", dt.date(2025, 1, 1), dt.date(2025, 12, 31))
    quebec = holiday_weeks("QC", dt.date(2025, 1, 1), dt.date(2025, 12, 31))
    assert "Family Day" in set(ontario["holiday"])
    assert "Saint John the Baptist Day" in set(quebec["holiday"])
    assert "Family Day" not in set(quebec["holiday"])
    assert (ontario["ds"].dt.dayofweek == 0).all()
    family_day = ontario.loc[ontario["holiday"] == "Family Day", "ds"].item()
    assert family_day == pd.Timestamp("2025-02-17")  # Family Day is itself a Monday


def test_observed_days_count_as_the_holiday_itself() -> None:
    # Christmas 2022 was a Sunday, observed on Monday the 26th: two weeks of "Christmas Day"
    weeks = holiday_weeks("ON", dt.date(2022, 12, 1), dt.date(2022, 12, 31))
    christmas = weeks.loc[weeks["holiday"] == "Christmas Day", "ds"].tolist()
    assert christmas == [pd.Timestamp("2022-12-19"), pd.Timestamp("2022-12-26")]


def test_rolling_origins_cover_the_last_year_up_to_the_last_week() -> None:
    origins = rolling_origins(WEEKS, 12, 4, min_train=53)
    assert origins == [104, 117, 131, 144]
    assert origins[-1] + 12 == WEEKS  # the last window ends on the last observed week
    assert rolling_origins(80, 12, 4, min_train=53) == [53, 58, 63, 68]
    assert rolling_origins(60, 12, 4, min_train=53) == []


def test_mase_and_coverage_by_hand() -> None:
    history = weekly(np.array([10.0, 12, 10, 12, 10, 12, 11, 14]))
    results = backtest(history, SeasonalNaive(season_length=2), cutoffs=[6], horizon=2)
    # trained on 10,12,10,12,10,12: forecasts 10, 12 for actual 11, 14; in-sample step MAE 2
    assert results["yhat"].tolist() == [10.0, 12.0]
    scores = score(results)
    assert scores.mae == pytest.approx(1.5)
    assert scores.mase == pytest.approx(0.75)
    assert scores.mase_by_horizon == pytest.approx((0.5, 1.0))
    # seasonal residuals are 0, so the interval is a point and misses both weeks
    assert scores.coverage_80 == 0.0


def scored(mase: float, mae: float) -> BacktestScores:
    return BacktestScores(mase, 0.8, mae, mase_by_cutoff=(mase,), mase_by_horizon=(mase,))


def test_a_baseline_wins_when_prophet_only_ties_it() -> None:
    tie = {"prophet": scored(0.8, 5.0), "ets": scored(0.8, 5.0)}
    assert select_champion(tie, CANDIDATE_PREFERENCE) == "ets"
    better = {"prophet": scored(0.79, 4.9), "ets": scored(0.8, 5.0)}
    assert select_champion(better, CANDIDATE_PREFERENCE) == "prophet"


def test_without_a_mase_the_absolute_error_decides() -> None:
    # every origin trained on a constant series (a shop before opening): no MASE scale
    nan = float("nan")
    scores = {
        "seasonal_naive": scored(nan, 3.0),
        "ets": scored(nan, 1.2),
        "prophet": scored(nan, 1.5),
    }
    assert select_champion(scores, CANDIDATE_PREFERENCE) == "ets"


def test_a_strongly_seasonal_shop_is_not_left_to_ets() -> None:
    rng = np.random.default_rng(0)
    week = np.arange(WEEKS)
    busy_summer = 120 + 45 * np.sin(2 * np.pi * week / 52) + rng.normal(0, 4, WEEKS)
    series = WeeklySeries("water-st", "appointments_completed", weekly(busy_summer), "NL")

    [result], skipped = evaluate_all([series], ForecastSettings())

    assert skipped == {}
    mase = {name: c.scores.mase for name, c in result.candidates.items()}
    assert result.champion in {"seasonal_naive", "prophet"}
    assert mase["ets"] > 2 * mase[result.champion]
    assert result.fits == 3 * (4 + 1)


def test_a_flat_noisy_shop_keeps_a_baseline_over_prophet() -> None:
    rng = np.random.default_rng(0)
    flat = 60 + rng.normal(0, 8, WEEKS)
    series = WeeklySeries("water-st", "appointments_completed", weekly(flat), "NL")

    [result], _ = evaluate_all([series], ForecastSettings())

    mase = {name: c.scores.mase for name, c in result.candidates.items()}
    assert result.champion == "ets"
    assert mase["prophet"] > mase["ets"]
    assert mase["seasonal_naive"] > mase["ets"]


def test_a_young_shop_is_backtested_without_the_seasonal_naive() -> None:
    rng = np.random.default_rng(7)
    young = WeeklySeries("new-shop", "revenue_total", weekly(rng.normal(900, 50, 60)), "ON")
    infant = WeeklySeries("newer-shop", "revenue_total", weekly(rng.normal(900, 50, 30)), "ON")

    results, skipped = evaluate_all([young, infant], ForecastSettings(backtest_origins=2))

    assert [r.series.shop_id for r in results] == ["new-shop"]
    assert set(results[0].candidates) == {"ets", "prophet"}
    assert skipped == {"newer-shop/revenue_total": "30 weeks; a backtest needs at least 38"}
