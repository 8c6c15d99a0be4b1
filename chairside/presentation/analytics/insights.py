"""Rule-based insights: what changed at a shop, the numbers that show it, and what to do.

The one definition shared by the Overview app and the owner snapshot. Each rule compares a recent
window with the shop's own norm (the weeks just before it, or the same weeks a year earlier) and
speaks only when the change is both large enough to matter to an owner and unlikely to be noise.

Noise is judged with one test for every rule: a binomial z-score. Rates are successes out of
trials (no-shows out of scheduled appointments); counts compare two windows by asking what share
of their combined total fell in the recent one (the conditional test for two Poisson rates). The
z-score is also each insight's `score`, so insights of different rules rank on one scale.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

import numpy as np

from chairside.metric_registry import weekly_metric

RECENT_WEEKS = 4
NORM_WEEKS = 12
YEAR_WEEKS = 52
MIN_Z = 2.0
# Services are compared many at a time; a stricter bar keeps one of eight from shifting by chance.
MIN_Z_SERVICES = 3.0
MIN_TRIALS = 30  # below this a shop's rate moves by whole points from one client
RETENTION = weekly_metric("new_client_retention_90d")
if RETENTION.known_after_days is None:
    raise ValueError("the metric registry must say when new_client_retention_90d becomes known")
# A week's 90-day retention is known 90 days after the week's last day: 13 weeks later.
RETENTION_DELAY_WEEKS = math.ceil(RETENTION.known_after_days / 7)


@dataclass(frozen=True)
class Insight:
    shop_id: str
    rule: str
    headline: str
    evidence: str
    recommendation: str
    score: float  # |z| of the evidence: how far the change is beyond noise


@dataclass(frozen=True)
class ShopHistory:
    """What the rules read about one shop, counted backwards from its reporting `week`.

    Every array is indexed by weeks back: 0 is the reporting week (a Monday), 1 the week before,
    and so on; a week without a mart row counts zero, and `has_row` says which weeks had one.
    `weekly` holds the mart's counts and `missed_after_hours`; `services` the visits per service.
    Plain arrays rather than frames: the rules sum dozens of windows per shop, for every shop.
    """

    shop_id: str
    shop_name: str
    week: dt.date
    weekly: Mapping[str, np.ndarray]
    has_row: np.ndarray
    services: Mapping[str, np.ndarray]

    def totals(self, columns: Iterable[str], weeks: int, weeks_back: int = 0) -> dict[str, float]:
        """Sums of `columns` over `weeks` weeks ending `weeks_back` weeks before `week`."""
        window = slice(weeks_back, weeks_back + weeks)
        return {column: float(self.weekly[column][window].sum()) for column in columns}

    def weeks_present(self, weeks: int, weeks_back: int = 0) -> int:
        return int(self.has_row[weeks_back : weeks_back + weeks].sum())

    def service_totals(self, weeks: int, weeks_back: int = 0) -> dict[str, float]:
        window = slice(weeks_back, weeks_back + weeks)
        return {name: float(visits[window].sum()) for name, visits in self.services.items()}


def binomial_z(successes: float, trials: float, expected_share: float) -> float | None:
    """z of `successes` out of `trials` against a share `expected_share`; None when undefined."""
    if trials <= 0 or not 0 < expected_share < 1:
        return None
    spread = math.sqrt(trials * expected_share * (1 - expected_share))
    return (successes - trials * expected_share) / spread


def _pooled_z(recent: tuple[float, float], norm: tuple[float, float]) -> float | None:
    """Two-proportion z of recent successes/trials against the norm's, on their pooled share."""
    (hits, trials), (norm_hits, norm_trials) = recent, norm
    if trials < MIN_TRIALS or norm_trials < MIN_TRIALS:
        return None
    pooled = (hits + norm_hits) / (trials + norm_trials)
    if not 0 < pooled < 1:
        return None
    spread = math.sqrt(pooled * (1 - pooled) * (1 / trials + 1 / norm_trials))
    return (hits / trials - norm_hits / norm_trials) / spread


def _count_z(recent: float, recent_weeks: int, earlier: float, earlier_weeks: int) -> float | None:
    """z of the recent window's share of both windows' total against its share of the weeks."""
    return binomial_z(recent, recent + earlier, recent_weeks / (recent_weeks + earlier_weeks))


def period(weeks: int, last_week: dt.date) -> str:
    """ "the week to 15 Nov" or "the 4 weeks to 15 Nov": windows named by their last day."""
    last_day = last_week + dt.timedelta(days=6)
    span = "the week" if weeks == 1 else f"the {weeks} weeks"
    return f"{span} to {last_day.day} {last_day:%b %Y}"


@dataclass(frozen=True)
class _RateRule:
    """A rate of the metrics registry over a recent window against the shop's norm in the weeks
    just before it: its numerator are the hits, its denominator the trials.

    `weeks_back` moves both windows back from the reporting week, for a rate that is only known
    some time after its week (90-day retention).
    """

    name: str
    metric: str  # a rate of the weekly metrics registry
    recent_weeks: int
    worse_when_higher: bool
    min_points: float  # the smallest change in percentage points worth an owner's time
    headline: str  # formatted with {name}
    recommendation: str
    weeks_back: int = 0

    @property
    def hits(self) -> str:
        return str(weekly_metric(self.metric).numerator)

    @property
    def trials(self) -> str:
        return str(weekly_metric(self.metric).denominator)

    def __call__(self, shop: ShopHistory) -> list[Insight]:
        hits, trials = self.hits, self.trials
        recent = shop.totals([hits, trials], self.recent_weeks, self.weeks_back)
        norm = shop.totals([hits, trials], NORM_WEEKS, self.weeks_back + self.recent_weeks)
        z = _pooled_z((recent[hits], recent[trials]), (norm[hits], norm[trials]))
        if z is None:
            return []
        recent_rate = recent[hits] / recent[trials]
        norm_rate = norm[hits] / norm[trials]
        worse = z if self.worse_when_higher else -z
        if worse < MIN_Z or abs(recent_rate - norm_rate) * 100 < self.min_points:
            return []
        last_week = shop.week - dt.timedelta(weeks=self.weeks_back)
        return [
            Insight(
                shop_id=shop.shop_id,
                rule=self.name,
                headline=self.headline.format(name=shop.shop_name),
                evidence=(
                    f"{recent_rate:.1%} in {period(self.recent_weeks, last_week)} "
                    f"({recent[hits]:.0f} of {recent[trials]:.0f}) against "
                    f"{norm_rate:.1%} in the {NORM_WEEKS} weeks before."
                ),
                recommendation=self.recommendation,
                score=abs(z),
            )
        ]


NO_SHOWS_ABOVE_NORM = _RateRule(
    name="no_shows_above_norm",
    metric="no_show_rate",
    recent_weeks=1,
    worse_when_higher=True,
    min_points=2.0,
    headline="No-shows above {name}'s norm",
    recommendation="Text a reminder the day before and two hours before every appointment, and "
    "ask clients who missed twice for a card on file when they book.",
)

CANCELLATIONS_ABOVE_NORM = _RateRule(
    name="cancellations_above_norm",
    metric="cancellation_rate",
    recent_weeks=1,
    worse_when_higher=True,
    min_points=3.0,
    headline="Cancellations above {name}'s norm",
    recommendation="Keep a waitlist and offer freed slots to it the same day; read the cancel "
    "reasons on the Appointments page for a pattern (one barber, one day, one service).",
)

REBOOKING_FALLING = _RateRule(
    name="rebooking_falling",
    metric="rebooking_rate",
    recent_weeks=RECENT_WEEKS,
    worse_when_higher=False,
    min_points=3.0,
    headline="Fewer clients book their next visit at {name}",
    recommendation="Ask every client at checkout when they want to come back and book it there; "
    "the per-barber rebooking rates on the Appointments page show who to coach first.",
)

ANSWER_RATE_FALLING = _RateRule(
    name="answer_rate_falling",
    metric="call_answer_rate",
    recent_weeks=RECENT_WEEKS,
    worse_when_higher=False,
    min_points=3.0,
    headline="{name} answers fewer calls",
    recommendation="Most missed calls are lost bookings: forward unanswered calls to a second "
    "phone at the busiest hours (Calls page, volume by hour) and call missed numbers back.",
)

NEW_CLIENT_RETENTION_FALLING = _RateRule(
    name="new_client_retention_falling",
    metric=RETENTION.name,
    recent_weeks=RECENT_WEEKS * 2,
    worse_when_higher=False,
    min_points=5.0,
    weeks_back=RETENTION_DELAY_WEEKS,
    headline="Fewer new clients come back to {name} within 90 days",
    recommendation="Follow up every first visit with a thank-you text and a booking link for "
    "their usual interval; check which barbers new clients saw (Appointments page).",
)


def after_hours_missed_calls_rising(shop: ShopHistory) -> list[Insight]:
    recent = shop.totals(["missed_after_hours"], RECENT_WEEKS)["missed_after_hours"]
    before = shop.totals(["missed_after_hours"], NORM_WEEKS, weeks_back=RECENT_WEEKS)[
        "missed_after_hours"
    ]
    z = _count_z(recent, RECENT_WEEKS, before, NORM_WEEKS)
    recent_weekly, before_weekly = recent / RECENT_WEEKS, before / NORM_WEEKS
    if z is None or z < MIN_Z or recent < 2 * RECENT_WEEKS or recent_weekly < 1.25 * before_weekly:
        return []
    return [
        Insight(
            shop_id=shop.shop_id,
            rule="after_hours_missed_calls_rising",
            headline=f"More calls to {shop.shop_name} go unanswered after hours",
            evidence=(
                f"{recent_weekly:.1f} missed after-hours calls a week in "
                f"{period(RECENT_WEEKS, shop.week)}, up from {before_weekly:.1f} in the "
                f"{NORM_WEEKS} weeks before."
            ),
            recommendation="Put the online-booking link in the after-hours voicemail greeting "
            "and call these numbers back first thing; if they cluster on one evening "
            "(Calls page), open later that day.",
            score=abs(z),
        )
    ]


def visits_below_last_year(shop: ShopHistory) -> list[Insight]:
    column = "appointments_completed"
    if shop.weeks_present(RECENT_WEEKS, weeks_back=YEAR_WEEKS) < RECENT_WEEKS:
        return []  # no full year of history yet
    recent = shop.totals([column], RECENT_WEEKS)[column]
    last_year = shop.totals([column], RECENT_WEEKS, weeks_back=YEAR_WEEKS)[column]
    z = _count_z(recent, RECENT_WEEKS, last_year, RECENT_WEEKS)
    if z is None or -z < MIN_Z or recent > 0.9 * last_year:
        return []
    return [
        Insight(
            shop_id=shop.shop_id,
            rule="visits_below_last_year",
            headline=f"{shop.shop_name} sees fewer clients than a year ago",
            evidence=(
                f"{recent:.0f} visits in {period(RECENT_WEEKS, shop.week)} against "
                f"{last_year:.0f} in the same weeks a year before ({recent / last_year - 1:+.0%})."
            ),
            recommendation="Call the at-risk clients on the Clients page first (they are the "
            "visits that stopped), and check whether a barber's chair stood empty.",
            score=abs(z),
        )
    ]


def service_share_shifting(shop: ShopHistory) -> list[Insight]:
    recent = shop.service_totals(RECENT_WEEKS)
    before = shop.service_totals(NORM_WEEKS, weeks_back=RECENT_WEEKS)
    recent_total, before_total = sum(recent.values()), sum(before.values())
    found = []
    for service in sorted(recent):
        hits, norm_hits = recent[service], before[service]
        z = _pooled_z((hits, recent_total), (norm_hits, before_total))
        if z is None or abs(z) < MIN_Z_SERVICES:
            continue
        share, norm_share = hits / recent_total, norm_hits / before_total
        if abs(share - norm_share) < 0.03:
            continue
        rising = share > norm_share
        found.append(
            Insight(
                shop_id=shop.shop_id,
                rule="service_share_shifting",
                headline=(f"{service} {'gains' if rising else 'loses'} share at {shop.shop_name}"),
                evidence=(
                    f"{share:.0%} of visits in {period(RECENT_WEEKS, shop.week)}, "
                    f"{'up' if rising else 'down'} from {norm_share:.0%} in the "
                    f"{NORM_WEEKS} weeks before."
                ),
                recommendation=(
                    f"Make sure the barbers who do {service} have enough chair time at peak "
                    "hours, and check its price against its new popularity."
                    if rising
                    else f"Ask regulars why {service} slipped (price, wait, a barber who left) "
                    "and mention it at checkout for a few weeks."
                ),
                score=abs(z),
            )
        )
    return found


RULES: tuple[Callable[[ShopHistory], list[Insight]], ...] = (
    after_hours_missed_calls_rising,
    ANSWER_RATE_FALLING,
    NO_SHOWS_ABOVE_NORM,
    CANCELLATIONS_ABOVE_NORM,
    REBOOKING_FALLING,
    NEW_CLIENT_RETENTION_FALLING,
    visits_below_last_year,
    service_share_shifting,
)


def find_insights(shops: Iterable[ShopHistory]) -> list[Insight]:
    """Every rule on every shop, strongest evidence first."""
    found = [insight for shop in shops for rule in RULES for insight in rule(shop)]
    return sorted(found, key=lambda insight: insight.score, reverse=True)
