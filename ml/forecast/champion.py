"""Champion selection for one series: backtest every candidate on the same origins, refit each on
the full history, and keep the one with the lowest backtest MASE.

This is the compute-heavy part of the forecast run (one Prophet fit per origin per series), so
it knows nothing about MLflow or the warehouse and `bench/ml_champion.py` can time it alone.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import pandas as pd

from ml.forecast.backtest import (
    BacktestScores,
    backtest,
    rolling_origins,
    score,
    select_champion,
)
from ml.forecast.models import (
    MIN_TRAIN_WEEKS,
    Ets,
    FittedForecaster,
    Forecaster,
    ProphetModel,
    SeasonalNaive,
)
from ml.forecast.public_holidays import holiday_weeks
from ml.forecast.series import WeeklySeries

# Ties go to the simpler model: Prophet must beat both baselines to be champion.
CANDIDATE_PREFERENCE = (SeasonalNaive.name, Ets.name, ProphetModel.name)


@dataclass(frozen=True)
class ForecastSettings:
    """How far to forecast and how hard to backtest.

    Four origins over the last 52 weeks with 12-week windows test 48 of the last year's weeks,
    each once: more origins add Prophet fits (the cost of a run) without testing new weeks.
    """

    horizon_weeks: int = 12
    backtest_origins: int = 4
    backtest_span_weeks: int = 52
    min_train_weeks: int = MIN_TRAIN_WEEKS
    yearly_fourier_order: int = 10


@dataclass(frozen=True)
class CandidateResult:
    name: str
    backtest: pd.DataFrame
    scores: BacktestScores
    fitted: FittedForecaster  # on the full history
    forecast: pd.DataFrame  # the next `horizon_weeks` weeks from the full-history fit


@dataclass(frozen=True)
class SeriesResult:
    series: WeeklySeries
    cutoffs: tuple[pd.Timestamp, ...]
    candidates: Mapping[str, CandidateResult]
    champion: str

    @property
    def fits(self) -> int:
        """Models fitted for this series: each candidate at each origin, then on everything."""
        return len(self.candidates) * (len(self.cutoffs) + 1)


def candidates_for(series: WeeklySeries, settings: ForecastSettings) -> list[Forecaster]:
    index = series.values.index
    last_target = index[-1] + pd.Timedelta(weeks=settings.horizon_weeks)
    holidays = holiday_weeks(series.subdivision, index[0].date(), last_target.date())
    return [
        SeasonalNaive(),
        Ets(min_history=settings.min_train_weeks),
        ProphetModel(
            holidays=holidays if not holidays.empty else None,
            yearly_fourier_order=settings.yearly_fourier_order,
            min_history=settings.min_train_weeks,
        ),
    ]


def minimum_weeks(settings: ForecastSettings) -> int:
    """The shortest series that can be backtested at all."""
    return settings.min_train_weeks + settings.horizon_weeks


def evaluate_series(series: WeeklySeries, settings: ForecastSettings) -> SeriesResult | None:
    """Backtest and refit every candidate the series is long enough for; None if it is too
    short for any (fewer than `minimum_weeks`).

    All candidates are backtested on the same origins, none of them earlier than every eligible
    candidate can train (the seasonal naive needs a year), so their scores are comparable.
    """
    n_weeks, horizon = len(series.values), settings.horizon_weeks
    eligible = [c for c in candidates_for(series, settings) if c.min_history <= n_weeks - horizon]
    if not eligible:
        return None
    cutoffs = rolling_origins(
        n_weeks,
        horizon,
        settings.backtest_origins,
        span_weeks=settings.backtest_span_weeks,
        min_train=max(c.min_history for c in eligible),
    )
    candidates = {}
    for candidate in eligible:
        results = backtest(series.values, candidate, cutoffs, horizon)
        fitted = candidate.fit(series.values)
        candidates[candidate.name] = CandidateResult(
            name=candidate.name,
            backtest=results,
            scores=score(results),
            fitted=fitted,
            forecast=fitted.predict(horizon),
        )
    champion = select_champion(
        {name: result.scores for name, result in candidates.items()}, CANDIDATE_PREFERENCE
    )
    return SeriesResult(
        series=series,
        cutoffs=tuple(series.values.index[c - 1] for c in cutoffs),
        candidates=candidates,
        champion=champion,
    )


def evaluate_all(
    series: Iterable[WeeklySeries], settings: ForecastSettings
) -> tuple[list[SeriesResult], dict[str, str]]:
    """Every series' champion, and the series skipped as too short (`shop/metric` -> reason).

    Serial: a Prophet fit spends most of its time in pandas under the GIL, so threads measured
    no faster, and two worker processes measured no faster on the two shared cores here either.
    Well under a second per series keeps a 100-shop chain to about two minutes
    (`bench/ml_champion.py`).
    """
    series = list(series)
    outcomes = [evaluate_series(s, settings) for s in series]
    results = [outcome for outcome in outcomes if outcome is not None]
    skipped = {
        f"{s.shop_id}/{s.metric}": (
            f"{len(s.values)} weeks; a backtest needs at least {minimum_weeks(settings)}"
        )
        for s, outcome in zip(series, outcomes, strict=True)
        if outcome is None
    }
    return results, skipped
