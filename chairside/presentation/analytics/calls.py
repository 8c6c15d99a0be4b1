"""The Calls app's queries: when calls come in, which get answered, which turn into bookings.

Weekly call KPIs come from `kpis.weekly_kpis`; these read `fct_calls` for what the weekly mart
does not keep: the hour of the week and the caller's intent.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from chairside.core.warehouse import read_frame
from chairside.presentation.analytics.filters import SHOPS, Filters, in_range

HOUR_OF_WEEK_SQL = f"""
select
    isodow(started_at_local) as iso_dow,
    hour(started_at_local) as hour_of_day,
    count(*) as calls,
    count(*) filter (where is_answered) as answered,
    count(*) filter (where is_missed) as missed,
    count(*) filter (where is_after_hours) as after_hours
from marts.fct_calls
where {SHOPS} and {in_range("week_start")}
group by all
order by iso_dow, hour_of_day
"""

AFTER_HOURS_SQL = f"""
select
    week_start,
    case when is_after_hours then 'After hours' else 'Opening hours' end as period,
    case when is_answered then 'Answered' else 'Missed' end as outcome,
    count(*) as calls
from marts.fct_calls
where {SHOPS} and {in_range("week_start")}
group by all
order by week_start
"""

# Conversion per docs/metrics.md: answered calls that produced an appointment / answered calls.
INTENTS_SQL = f"""
select
    coalesce(intent, 'unknown') as intent,
    count(*) as calls,
    count(*) filter (where is_answered) as answered,
    count(*) filter (where is_converted) as converted,
    cast(count(*) filter (where is_answered) as double) / nullif(count(*), 0) as answer_rate,
    cast(count(*) filter (where is_converted) as double)
        / nullif(count(*) filter (where is_answered), 0) as conversion_rate
from marts.fct_calls
where {SHOPS} and {in_range("week_start")}
group by all
order by calls desc
"""


def hour_of_week(path: Path, filters: Filters) -> pd.DataFrame:
    """Calls per weekday and hour (shop-local), with answer rate, over the range."""
    frame = read_frame(path, HOUR_OF_WEEK_SQL, filters.params())
    return frame.assign(answer_rate=frame["answered"] / frame["calls"])


def after_hours(path: Path, filters: Filters) -> pd.DataFrame:
    """Calls per week by opening/after hours and answered/missed."""
    return read_frame(path, AFTER_HOURS_SQL, filters.params())


def by_intent(path: Path, filters: Filters) -> pd.DataFrame:
    """Calls, answers and bookings per caller intent over the range."""
    return read_frame(path, INTENTS_SQL, filters.params())


# Answered calls in greens, missed in reds, the lighter shade after hours: the colours carry the
# meaning, so the legend is only a reminder.
OUTCOME_COLOURS = {
    "Opening hours, answered": "#2f9e44",
    "After hours, answered": "#8ce99a",
    "Opening hours, missed": "#e03131",
    "After hours, missed": "#ffa8a8",
}
