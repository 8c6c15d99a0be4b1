"""Champion selection for one series, honest by construction.

1. Backtest every candidate on the same origins (`backtest.py`).
2. Pick the candidate with the lowest MASE on the selection origins; ties go to the simpler.
3. Calibrate each candidate's 80% interval on the selection origins and score it, MASE and
   coverage, on the held-out origins, which played no part in 1 or 2.
4. Gate: if the pick's held-out MASE is not below seasonal naive's, publish seasonal naive.
   The published `mase` is therefore never above `mase_seasonal_naive`; both are held-out.
5. Fit the published model on every complete week; its interval width comes from the most
   recent backtest errors at the level adapted over the held-out weeks (`calibration.py`).

A series too short for the origins gets a stated baseline (`forecaster.fallback_forecaster`:
seasonal naive with a year and a quarter of weeks, naive with less) and no scores: its `mase`,
`mase_seasonal_naive` and `coverage_80` are NaN (NULL in the mart), never a made-up figure.

This module knows nothing about MLflow or the warehouse, so
`bench/ml_champion.py` can time it alone.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterable, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from functools import partial
from multiprocessing import get_context

import pandas as pd

from ml.forecast.backtest import Origins, Scores, backtest, minimum_weeks, rolling_origins, score
from ml.forecast.calibration import calibrate_backtest
from ml.forecast.forecaster import FALLBACK_MIN_WEEKS, Forecaster, fallback_forecaster
from ml.forecast.models import BASELINE, PREFERENCE, WEEKS_PER_YEAR
from ml.forecast.series import WeeklySeries


@dataclass(frozen=True)
class ForecastSettings:
    """How far to forecast and how hard to backtest (see `backtest.py` for the origins)."""

    horizon_weeks: int = 12
    origins_per_block: int = 5
    min_train_weeks: int = WEEKS_PER_YEAR
    candidates: tuple[str, ...] = PREFERENCE

    @property
    def minimum_weeks(self) -> int:
        return minimum_weeks(self.horizon_weeks, self.origins_per_block, self.min_train_weeks)


@dataclass(frozen=True)
class CandidateResult:
    name: str
    backtest: pd.DataFrame  # every origin; intervals calibrated on the selection block
    selection: Scores  # in-sample for the interval: only its MASE is used, to pick
    held_out: Scores
    fit_seconds: float  # every backtest fit of this candidate
    quantile: float  # its published interval's half-width, in units of the training scale


@dataclass(frozen=True)
class SeriesResult:
    series: WeeklySeries
    origins: Origins | None  # None: too short to backtest, the fallback was published
    candidates: Mapping[str, CandidateResult]
    selected: str  # lowest MASE on the selection origins
    champion: str  # what is published: `selected` unless it lost to seasonal naive
    forecaster: Forecaster
    forecast: pd.DataFrame

    @property
    def backtested(self) -> bool:
        return self.origins is not None

    @property
    def mase(self) -> float:
        return self.candidates[self.champion].held_out.mase if self.backtested else float("nan")

    @property
    def mase_seasonal_naive(self) -> float:
        return self.candidates[BASELINE].held_out.mase if self.backtested else float("nan")

    @property
    def coverage_80(self) -> float:
        if not self.backtested:
            return float("nan")
        return self.candidates[self.champion].held_out.coverage_80

    @property
    def fits(self) -> int:
        """Model fits paid for: each candidate at each origin, then the champion on everything."""
        origins = len(self.origins.all) if self.origins else 0
        return len(self.candidates) * origins + 1


def select(scores: Mapping[str, Scores], preference: Sequence[str]) -> str:
    """Lowest MASE; on a tie the earlier in `preference`."""
    return min(scores, key=lambda name: (scores[name].mase, preference.index(name)))


def _candidate(values: pd.Series, name: str, origins: Origins, horizon: int) -> CandidateResult:
    started = time.perf_counter()
    rows = backtest(values, name, origins, horizon)
    seconds = time.perf_counter() - started
    calibrated = calibrate_backtest(rows)
    rows = calibrated.rows
    return CandidateResult(
        name=name,
        backtest=rows,
        selection=score(rows[rows["block"] == "selection"]),
        held_out=score(rows[rows["block"] == "held_out"]),
        fit_seconds=seconds,
        quantile=calibrated.quantile,
    )


def evaluate_series(series: WeeklySeries, settings: ForecastSettings) -> SeriesResult:
    values, horizon = series.values, settings.horizon_weeks
    origins = rolling_origins(
        len(values), horizon, settings.origins_per_block, settings.min_train_weeks
    )
    if origins is None:
        forecaster = fallback_forecaster(values)
        return SeriesResult(
            series, None, {}, forecaster.model, forecaster.model, forecaster,
            forecaster.predict(horizon),
        )  # fmt: skip
    names = list(dict.fromkeys((BASELINE, *settings.candidates)))
    candidates = {name: _candidate(values, name, origins, horizon) for name in names}
    selected = select({n: c.selection for n, c in candidates.items()}, names)
    # a tie is no win: ties go to the simpler, as in `select`
    lost = candidates[selected].held_out.mase >= candidates[BASELINE].held_out.mase
    champion = BASELINE if lost else selected
    forecaster = Forecaster(
        model=champion,
        history=values.to_numpy(dtype=float),
        last_week=values.index[-1],
        quantile=candidates[champion].quantile,
    )
    return SeriesResult(
        series, origins, candidates, selected, champion, forecaster, forecaster.predict(horizon)
    )


def evaluate_all(
    series: Iterable[WeeklySeries], settings: ForecastSettings, *, workers: int | None = None
) -> tuple[list[SeriesResult], dict[str, str]]:
    """Every series' result, and a note per series that was not backtested saying why and what
    it got instead: a stated baseline, or, under `FALLBACK_MIN_WEEKS` weeks, no forecast.

    Series are independent and each costs about ten MSTL fits (about 10 ms each, in numba and
    statsmodels under the GIL), so they are spread over `workers` processes, one per core by
    default; 1 runs them here.
    """
    notes = {}
    forecastable = []
    for item in series:
        weeks = len(item.values)
        name = f"{item.shop_id}/{item.metric}"
        if weeks < FALLBACK_MIN_WEEKS:
            notes[name] = f"{weeks} complete weeks; no forecast before {FALLBACK_MIN_WEEKS}"
        else:
            forecastable.append(item)
            if weeks < settings.minimum_weeks:
                notes[name] = (
                    f"{weeks} complete weeks; a backtest needs at least {settings.minimum_weeks}: "
                    "stated baseline, no scores"
                )
    workers = min(len(forecastable), os.cpu_count() or 1) if workers is None else workers
    if workers > 1:
        with ProcessPoolExecutor(workers, mp_context=get_context("fork")) as pool:
            results = list(
                pool.map(partial(evaluate_series, settings=settings), forecastable, chunksize=4)
            )
    else:
        results = [evaluate_series(item, settings) for item in forecastable]
    return results, notes
