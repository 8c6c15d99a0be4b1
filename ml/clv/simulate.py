"""Visit histories drawn from the BG/NBD and Gamma-Gamma models with known parameters.

A fitting procedure is only trusted once it recovers the parameters that generated its data;
this is that data. lifetimes has generators too, but its transactional one calls
`DataFrame.append` (gone since pandas 2) and both draw from numpy's global random state.

The generative story (Fader, Hardie & Lee 2005; Fader & Hardie 2013): each client visits as a
Poisson process with rate lambda ~ Gamma(r, alpha), drops out after each repeat visit with
probability p ~ Beta(a, b), and spends per visit Gamma(p_spend, nu) with nu ~ Gamma(q, gamma).
Time is in weeks, as in the models; visits land on whole days.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ml.clv.rfm import DAYS_PER_WEEK


@dataclass(frozen=True)
class BgNbdParams:
    r: float
    alpha: float
    a: float
    b: float


@dataclass(frozen=True)
class GammaGammaParams:
    p: float
    q: float
    v: float


def simulate_visits(
    first_visits: np.ndarray,
    end: dt.date,
    visits: BgNbdParams,
    spend: GammaGammaParams,
    rng: np.random.Generator,
) -> pd.DataFrame:
    """customer_key (0, 1, ...), visit_date and revenue of every visit up to `end` (inclusive)
    of clients whose first visits are `first_visits` (datetime64 days, none after `end`)."""
    first = first_visits.astype("datetime64[D]")
    if (first > np.datetime64(end, "D")).any():
        raise ValueError(f"first visits must be on or before {end}")
    n = len(first)
    rate = rng.gamma(visits.r, 1.0 / visits.alpha, n)
    dropout = rng.beta(visits.a, visits.b, n)
    spend_rate = rng.gamma(spend.q, 1.0 / spend.v, n)
    # weeks from each first visit to the end of the last day
    horizon = (np.datetime64(end, "D") + 1 - first).astype(float) / DAYS_PER_WEEK

    clients, weeks = [np.arange(n)], [np.zeros(n)]
    elapsed = np.zeros(n)
    active = np.ones(n, dtype=bool)
    while active.any():
        elapsed[active] += rng.exponential(1.0 / rate[active])
        active &= elapsed < horizon
        clients.append(np.flatnonzero(active))
        weeks.append(elapsed[active])
        active &= rng.random(n) >= dropout

    client = np.concatenate(clients)
    days = np.floor(np.concatenate(weeks) * DAYS_PER_WEEK).astype("timedelta64[D]")
    return pd.DataFrame(
        {
            "customer_key": client,
            "visit_date": (first[client] + days).astype(object),
            "revenue": np.round(rng.gamma(spend.p, 1.0 / spend_rate[client]), 2),
        }
    ).sort_values(["customer_key", "visit_date"], ignore_index=True)
