"""The shop scorecard as apps and snapshots show it: the last complete month of
`marts.fct_shop_scorecard` on or before a day, each principle's value and target in the owner's
units, its score, and the change that would move it most.

The mart does the arithmetic (docs/metrics.md, "Scorecard"); this module only picks the month and
words the numbers, so the overview and the snapshot cannot disagree.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from chairside.core.warehouse import read_frame
from chairside.presentation.analytics.catalog import existing_tables

SHOP_SCORECARD = "marts.fct_shop_scorecard"

LATEST_SQL = f"""
with months as (
    select shop_id, max(month_start) as month_start
    from {SHOP_SCORECARD}
    where is_complete and month_end <= ? and shop_id in (select unnest(?::varchar[]))
    group by shop_id
)
select card.shop_id, card.month_start, card.principle_order, card.principle,
    card.principle_name, card.measure, card.value, card.target, card.score, card.next_change,
    card.health_score, card.principles_scored
from {SHOP_SCORECARD} as card
inner join months using (shop_id, month_start)
order by card.shop_id, card.principle_order
"""


def latest(path: Path, shop_ids: Sequence[str], through: dt.date) -> pd.DataFrame | None:
    """Per shop, its last complete month ending on or before `through` (a month that ended
    later is not yet known on that day). None when the warehouse predates the scorecard."""
    if SHOP_SCORECARD not in existing_tables(path, [SHOP_SCORECARD]):
        return None
    frame = read_frame(path, LATEST_SQL, [through, list(shop_ids)])
    return frame.assign(month_start=[day.date() for day in frame["month_start"]])


def value_text(principle: str, value: object, currency: str) -> str:
    """A principle's value or target as the owner reads it: 25%, +12%, CAD 34 an hour."""
    if value is None or pd.isna(value):
        return "–"
    number = float(value)
    if principle == "revenue_per_hour":
        return f"{currency} {number:,.0f} an hour"
    if principle == "brand_and_reach":
        return f"{number:+.0%}"
    return f"{number:.0%}"


def score_text(score: object) -> str:
    return "–" if score is None or pd.isna(score) else f"{float(score):.0%}"


def display_table(card: pd.DataFrame, currency: str) -> pd.DataFrame:
    """One shop-month's rows as the table an owner reads, principles in their order."""
    return pd.DataFrame(
        {
            "Principle": card["principle_name"],
            "Value": [
                value_text(p, v, currency)
                for p, v in zip(card["principle"], card["value"], strict=True)
            ],
            "Target": [
                value_text(p, t, currency)
                for p, t in zip(card["principle"], card["target"], strict=True)
            ],
            "Score": [score_text(s) for s in card["score"]],
            "The change that would move it most": card["next_change"],
        }
    ).reset_index(drop=True)


def headline(card: pd.DataFrame) -> str:
    """ "Health 62% in October 2026 (5 of 7 principles scored)"."""
    first = card.iloc[0]
    month = first["month_start"]
    return (
        f"Health {score_text(first['health_score'])} in {month:%B %Y} "
        f"({int(first['principles_scored'])} of {len(card)} principles scored)"
    )
