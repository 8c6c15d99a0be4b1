"""Seeded randomness: one independent stream per purpose, never the global generator.

Streams are keyed by labels (seed, shop, purpose) instead of being handed down one generator,
so adding a shop or a new kind of record leaves every other shop's data unchanged.
"""

from __future__ import annotations

import math
import random
import uuid


def rng_for(seed: int, *labels: str) -> random.Random:
    """A generator for one purpose. String seeds go through SHA-512, so they are stable
    across processes (unlike `hash()`, which is salted per interpreter)."""
    return random.Random("/".join((str(seed), *labels)))


def new_uuid(rng: random.Random) -> uuid.UUID:
    return uuid.UUID(int=rng.getrandbits(128), version=4)


def chance(rng: random.Random, probability: float) -> bool:
    return rng.random() < probability


def poisson(rng: random.Random, mean: float) -> int:
    """Knuth's method: exact and fast for the small daily means a single shop produces."""
    threshold = math.exp(-mean)
    count, product = 0, rng.random()
    while product > threshold:
        count += 1
        product *= rng.random()
    return count
