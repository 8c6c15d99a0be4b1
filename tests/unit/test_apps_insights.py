"""The insight rules on hand-made histories: each speaks when its change is real and large, and
stays silent on the same change in a shop too small to tell it from noise."""

import datetime as dt
import math

import numpy as np
import pytest

from chairside.presentation.analytics.history import COUNTS, HISTORY_WEEKS
from chairside.presentation.analytics.insights import (
    MIN_TRIALS,
    ShopHistory,
    binomial_z,
    find_insights,
    period,
)

WEEK = dt.date(2026, 11, 9)


def series(norm: float, recent: float | None = None, weeks: int = 1, back: int = 0) -> np.ndarray:
    """`norm` every week, but `recent` for `weeks` weeks starting `back` weeks back."""
    values = np.full(HISTORY_WEEKS, float(norm))
    if recent is not None:
        values[back : back + weeks] = recent
    return values


def shop(
    services: dict[str, np.ndarray] | None = None,
    has_row: np.ndarray | None = None,
    **counts: np.ndarray,
) -> ShopHistory:
    weekly = {column: np.zeros(HISTORY_WEEKS) for column in COUNTS}
    weekly.update(counts)
    return ShopHistory(
        shop_id="water-st",
        shop_name="Water St",
        week=WEEK,
        weekly=weekly,
        has_row=np.ones(HISTORY_WEEKS, dtype=bool) if has_row is None else has_row,
        services=services or {},
    )


def rules_fired(history: ShopHistory) -> list[str]:
    return [insight.rule for insight in find_insights([history])]


def test_a_steady_shop_raises_nothing() -> None:
    steady = shop(
        appointments_scheduled=series(200),
        appointments_no_show=series(6),
        appointments_cancelled=series(16),
        appointments_completed=series(170),
        visits_rebooked=series(68),
        calls_total=series(120),
        calls_answered=series(80),
        missed_after_hours=series(5),
        services={"Skin Fade": series(60), "Classic Cut": series(110)},
    )
    assert find_insights([steady]) == []


def test_no_shows_above_the_norm_are_reported_with_their_numbers() -> None:
    (insight,) = find_insights(
        [shop(appointments_scheduled=series(200), appointments_no_show=series(6, recent=24))]
    )
    assert insight.rule == "no_shows_above_norm"
    assert insight.headline == "No-shows above Water St's norm"
    assert "12.0% in the week to 15 Nov 2026 (24 of 200)" in insight.evidence
    assert "3.0% in the 12 weeks before" in insight.evidence
    assert "reminder" in insight.recommendation
    # pooled two-proportion z: 24/200 against 72/2400
    pooled = 96 / 2600
    assert insight.score == pytest.approx(
        0.09 / math.sqrt(pooled * (1 - pooled) * (1 / 200 + 1 / 2400))
    )


def test_a_small_rise_in_no_shows_is_noise() -> None:
    history = shop(appointments_scheduled=series(200), appointments_no_show=series(6, recent=9))
    assert rules_fired(history) == []


def test_a_shop_too_small_to_judge_is_left_alone() -> None:
    scheduled = MIN_TRIALS - 1
    history = shop(
        appointments_scheduled=series(scheduled), appointments_no_show=series(0, recent=scheduled)
    )
    assert rules_fired(history) == []


def test_rebooking_falling_over_four_weeks() -> None:
    history = shop(
        appointments_completed=series(150), visits_rebooked=series(60, recent=40, weeks=4)
    )
    (insight,) = find_insights([history])
    assert insight.rule == "rebooking_falling"
    assert "26.7% in the 4 weeks to 15 Nov 2026" in insight.evidence


def test_rebooking_rising_is_not_a_problem_to_report() -> None:
    history = shop(
        appointments_completed=series(150), visits_rebooked=series(60, recent=80, weeks=4)
    )
    assert rules_fired(history) == []


def test_more_missed_calls_after_hours() -> None:
    rising = shop(missed_after_hours=series(5, recent=15, weeks=4))
    (insight,) = find_insights([rising])
    assert insight.rule == "after_hours_missed_calls_rising"
    assert "15.0 missed after-hours calls a week" in insight.evidence
    assert "up from 5.0" in insight.evidence
    assert rules_fired(shop(missed_after_hours=series(5, recent=6, weeks=4))) == []


def test_a_service_gaining_share_and_the_one_losing_it() -> None:
    history = shop(
        services={
            "Skin Fade": series(40, recent=70, weeks=4),
            "Classic Cut": series(60, recent=30, weeks=4),
        }
    )
    found = {insight.headline: insight for insight in find_insights([history])}
    assert set(found) == {
        "Skin Fade gains share at Water St",
        "Classic Cut loses share at Water St",
    }
    assert "70% of visits" in found["Skin Fade gains share at Water St"].evidence
    assert "up from 40%" in found["Skin Fade gains share at Water St"].evidence


def test_visits_below_last_year_needs_a_year_of_history() -> None:
    visits = series(200, recent=150, weeks=4)
    (insight,) = find_insights([shop(appointments_completed=visits)])
    assert insight.rule == "visits_below_last_year"
    assert "600 visits" in insight.evidence and "800 in the same weeks" in insight.evidence

    young = np.arange(HISTORY_WEEKS) < 30  # the shop opened 30 weeks ago
    assert rules_fired(shop(appointments_completed=visits, has_row=young)) == []


def test_new_client_retention_is_judged_on_cohorts_old_enough() -> None:
    """Only cohorts 13+ weeks old have a 90-day verdict: the recent window starts there."""
    history = shop(
        new_clients=series(40),
        new_clients_retained_90d=series(20, recent=8, weeks=8, back=13),
    )
    (insight,) = find_insights([history])
    assert insight.rule == "new_client_retention_falling"
    assert "in the 8 weeks to 16 Aug 2026" in insight.evidence


def test_insights_of_every_shop_come_strongest_first() -> None:
    mild = shop(appointments_scheduled=series(200), appointments_no_show=series(6, recent=14))
    strong = shop(appointments_scheduled=series(200), appointments_no_show=series(6, recent=30))
    scores = [insight.score for insight in find_insights([mild, strong])]
    assert scores == sorted(scores, reverse=True) and len(scores) == 2


def test_binomial_z() -> None:
    assert binomial_z(60, 100, 0.5) == pytest.approx(2.0)
    assert binomial_z(5, 0, 0.5) is None
    assert binomial_z(5, 10, 0.0) is None
    assert math.isclose(binomial_z(50, 100, 0.5), 0.0)


def test_windows_are_named_by_their_last_day() -> None:
    assert period(1, WEEK) == "the week to 15 Nov 2026"
    assert period(4, dt.date(2025, 12, 29)) == "the 4 weeks to 4 Jan 2026"
