"""The off-peak capacity lever as an owner reads it (`marts.fct_offpeak_hours`): the hours that
turn callers away while every chair is taken, then the quiet hours, each with the data behind
it, an effect range a year and its assumption; or why the shop has no such lever.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from chairside.core.warehouse import read_frame
from chairside.presentation.analytics.catalog import existing_tables

OFFPEAK_HOURS = "marts.fct_offpeak_hours"
SHOWN_EACH = 3  # of each kind, the most worth first
DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")

HOURS_SQL = f"""
select shop_id, iso_dow, hour_of_day, window_weeks, weeks_open, utilization,
    target_utilization, weeks_full, calls_missed_while_full, lever, effect_low, effect_high,
    is_enough_data
from {OFFPEAK_HOURS}
where shop_id in (select unnest(?::varchar[]))
order by shop_id, lever = 'quiet_hour', effect_high desc nulls last, iso_dow, hour_of_day
"""

ASSUMPTIONS = {
    "turning_away": (
        "Each call missed while every chair was taken is a visit lost, at the shop's "
        "answered-call conversion rate (low) or every one (high), at its mean service ticket; "
        "a chair more in that hour would have taken them."
    ),
    "quiet_hour": (
        "An off-peak offer fills the hour to half the utilization target (low) or to the "
        "target (high), at the shop's service revenue per booked hour, before any discount."
    ),
}
TO_DO = {
    "turning_away": "Staff one more chair in this hour, or offer callers the next free one",
    "quiet_hour": "Offer an off-peak price or service here, or staff it lighter",
}


def offpeak_hours(path: Path, shop_ids: Sequence[str]) -> pd.DataFrame | None:
    """The shops' hours, levers first; None when the warehouse predates the mart."""
    if OFFPEAK_HOURS not in existing_tables(path, [OFFPEAK_HOURS]):
        return None
    return read_frame(path, HOURS_SQL, [list(shop_ids)])


def hour_text(iso_dow: int, hour: int) -> str:
    return f"{DAYS[int(iso_dow) - 1]} {int(hour):02d}:00–{(int(hour) + 1) % 24:02d}:00"


def evidence(row: pd.Series) -> str:
    if row["lever"] == "turning_away":
        return (
            f"{int(row['calls_missed_while_full'])} calls missed in the {int(row['weeks_full'])} "
            f"of {int(row['weeks_open'])} weeks the chairs were full"
        )
    return (
        f"{float(row['utilization']):.0%} of staffed chair time used over "
        f"{int(row['weeks_open'])} weeks (target {float(row['target_utilization']):.0%})"
    )


def offpeak_verdict(hours: pd.DataFrame, currency: str) -> tuple[str, pd.DataFrame]:
    """One shop's hours as a sentence and the table of its levers (empty when it has none)."""
    readable = hours[hours["is_enough_data"].astype(bool)] if not hours.empty else hours
    if readable.empty:
        weeks = int(hours["window_weeks"].max()) if not hours.empty else 0
        return (
            f"Too few complete weeks to read the hours from: {weeks} in the last 13 "
            "(an hour needs 8 open weeks).",
            pd.DataFrame(),
        )
    levers = pd.concat(
        [readable[readable["lever"] == kind].head(SHOWN_EACH) for kind in ASSUMPTIONS]
    )
    if levers.empty:
        return (
            "No hour turns callers away while the chairs are full, and none is used less than "
            "half the utilization target: no off-peak lever in the data.",
            pd.DataFrame(),
        )
    table = pd.DataFrame(
        {
            "Hour": [
                hour_text(day, hour)
                for day, hour in zip(levers["iso_dow"], levers["hour_of_day"], strict=True)
            ],
            "What the data shows": [evidence(row) for _, row in levers.iterrows()],
            "What to do": [TO_DO[lever] for lever in levers["lever"]],
            "Expected a year": [
                f"{currency} {float(low):,.0f} to {float(high):,.0f}"
                for low, high in zip(levers["effect_low"], levers["effect_high"], strict=True)
            ],
            "Assumption": [ASSUMPTIONS[lever] for lever in levers["lever"]],
        }
    ).reset_index(drop=True)
    counts = readable["lever"].value_counts()
    return (
        f"{counts.get('turning_away', 0)} hours of the week turn callers away while the chairs "
        f"are full and {counts.get('quiet_hour', 0)} are quiet, over the last "
        f"{int(readable['window_weeks'].max())} complete weeks (up to {SHOWN_EACH} of each "
        "shown, the most worth first).",
        table,
    )
