"""Revenue levers as an owner reads them, from the lever marts: each with the data behind it,
an effect range and the assumption in words; a shop too small for a lever is told so.

So far one lever: upsell and cross-sell pairs (`marts.fct_upsell_pairs`).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from chairside.core.warehouse import read_frame
from chairside.presentation.analytics.catalog import existing_tables

UPSELL_PAIRS = "marts.fct_upsell_pairs"
# A pair is a lever when clients buy it together this many times more often than by chance.
MIN_LIFT = 1.2
SHOWN = 5

PAIRS_SQL = f"""
select shop_id, service_a, coalesce(service_a_name, service_a) as service_a_name,
    service_b, coalesce(service_b_name, service_b) as service_b_name, clients, clients_with_a,
    clients_with_b, clients_with_both, lift, clients_with_a_not_b, effect_low, effect_high,
    is_enough_data
from {UPSELL_PAIRS}
where shop_id in (select unnest(?::varchar[]))
order by shop_id, lift desc, clients_with_both desc, service_a, service_b
"""

ASSUMPTION = (
    "Assumes each client who had {a} but never {b}, offered {b} at its list price, buys it once "
    "in a year at a rate between {b}'s rate among all clients and its rate among {a} clients."
)


def upsell_pairs(path: Path, shop_ids: Sequence[str]) -> pd.DataFrame | None:
    """Every pair of the shops, best lift first; None when the warehouse predates the mart."""
    if UPSELL_PAIRS not in existing_tables(path, [UPSELL_PAIRS]):
        return None
    return read_frame(path, PAIRS_SQL, [list(shop_ids)])


def upsell_verdict(pairs: pd.DataFrame, currency: str) -> tuple[str, pd.DataFrame]:
    """One shop's pairs as a sentence and the table of its levers (empty when it has none)."""
    if pairs.empty or not pairs["is_enough_data"].any():
        clients = int(pairs["clients"].max()) if not pairs.empty else 0
        return (
            f"Too small to read service pairs from: {clients} clients in the last year "
            "(needs 100, and 10 who had both services of a pair).",
            pd.DataFrame(),
        )
    readable = pairs[pairs["is_enough_data"]]
    levers = readable[readable["lift"].astype(float) >= MIN_LIFT].head(SHOWN)
    if levers.empty:
        best = readable.iloc[0]
        return (
            f"No pair of services goes together much more often than chance (best: "
            f"{best['service_a_name']} and {best['service_b_name']}, "
            f"{float(best['lift']):.2f} times chance): no upsell lever in the data.",
            pd.DataFrame(),
        )
    table = pd.DataFrame(
        {
            "Clients who had": levers["service_a_name"],
            "Offer them": levers["service_b_name"],
            "Bought together": [
                f"{int(both)} clients, {float(lift):.1f}× chance"
                for both, lift in zip(levers["clients_with_both"], levers["lift"], strict=True)
            ],
            "Clients to offer": levers["clients_with_a_not_b"].astype(int),
            "Expected a year": [
                f"{currency} {float(low):,.0f} to {float(high):,.0f}"
                for low, high in zip(levers["effect_low"], levers["effect_high"], strict=True)
            ],
            "Assumption": [
                ASSUMPTION.format(a=a, b=b)
                for a, b in zip(levers["service_a_name"], levers["service_b_name"], strict=True)
            ],
        }
    ).reset_index(drop=True)
    return f"{len(table)} service pairs sell together more than by chance.", table
