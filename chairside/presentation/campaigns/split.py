"""The random control of a campaign: a share of its eligible clients held back and not exported.

The draw is seeded by the campaign's id, over the clients in a fixed order, so the same
campaign splits the same way on any machine and can be drawn again to check it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

CONTROL_SHARE = 0.10


@dataclass(frozen=True)
class Split:
    seed: int
    treated: tuple[str, ...]
    control: tuple[str, ...]


def seed_of(campaign_id: str) -> int:
    """A 63-bit seed from the campaign id (fits a signed BIGINT column)."""
    return int.from_bytes(hashlib.sha256(campaign_id.encode()).digest()[:8], "big") >> 1


def split(campaign_id: str, customer_keys: Iterable[str], share: float = CONTROL_SHARE) -> Split:
    """`share` of the clients (rounded, at least one when there are ten or more) as control."""
    keys = sorted(set(customer_keys))
    size = round(len(keys) * share)
    if len(keys) >= 10:
        size = max(size, 1)
    seed = seed_of(campaign_id)
    drawn = np.random.default_rng(seed).choice(len(keys), size=size, replace=False)
    held = set(drawn.tolist())
    return Split(
        seed=seed,
        treated=tuple(k for i, k in enumerate(keys) if i not in held),
        control=tuple(k for i, k in enumerate(keys) if i in held),
    )
