"""The price realisation lever as an owner reads it (`marts.fct_price_realisation`): the
services charged furthest below their list price over the year, with the data behind it, an
effect range a year and its assumption; or why the shop has no such lever.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from chairside.core.warehouse import read_frame
from chairside.presentation.analytics.catalog import existing_tables

PRICE_REALISATION = "marts.fct_price_realisation"
SHOWN = 5

SERVICES_SQL = f"""
select shop_id, service_code, coalesce(service_name, service_code) as service_name, visits,
    visits_below_list, realisation, target_realisation, effect_low, effect_high, is_enough_data
from {PRICE_REALISATION}
where shop_id in (select unnest(?::varchar[]))
order by shop_id, effect_high desc, service_name
"""

ASSUMPTION = (
    "Assumes clients keep coming at the prices asked: the service charged up to the shop's "
    "price realisation target (low) or at list on every visit (high)."
)


def price_realisation(path: Path, shop_ids: Sequence[str]) -> pd.DataFrame | None:
    """The shops' services, most money below list first; None when the mart does not exist."""
    if PRICE_REALISATION not in existing_tables(path, [PRICE_REALISATION]):
        return None
    return read_frame(path, SERVICES_SQL, [list(shop_ids)])


def price_verdict(services: pd.DataFrame, currency: str) -> tuple[str, pd.DataFrame]:
    """One shop's services as a sentence and the table of its levers (empty when none)."""
    readable = services[services["is_enough_data"].astype(bool)] if not services.empty else services
    if readable.empty:
        visits = int(services["visits"].max()) if not services.empty else 0
        return (
            f"Too few visits to read prices from: at most {visits} of a service in the last year "
            "with a list price (needs 30).",
            pd.DataFrame(),
        )
    levers = readable[readable["effect_high"].astype(float) > 0].head(SHOWN)
    if levers.empty:
        return (
            "Every service is charged at its list price or above: no pricing lever.",
            pd.DataFrame(),
        )
    table = pd.DataFrame(
        {
            "Service": levers["service_name"],
            "Charged against list": [
                f"{float(realised):.1%} of list; {int(below)} of {int(visits)} visits below list"
                for realised, below, visits in zip(
                    levers["realisation"],
                    levers["visits_below_list"],
                    levers["visits"],
                    strict=True,
                )
            ],
            "Expected a year": [
                f"{currency} {float(low):,.0f} to {float(high):,.0f}"
                for low, high in zip(levers["effect_low"], levers["effect_high"], strict=True)
            ],
            "Assumption": ASSUMPTION,
        }
    ).reset_index(drop=True)
    return f"{len(table)} services are charged below their list price.", table
