"""Each shop's staff roster: a stable core, one barber who leaves and one who joins.

The leaver and the joiner make the roster's Start/End dates matter: utilization's denominator
and "staff active on the service date" both change partway through the history.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from chairside.demo.config import DemoConfig
from chairside.demo.model import Shop, StaffMember
from chairside.demo.names import FEMALE_FIRST_NAMES, LAST_NAMES, MALE_FIRST_NAMES
from chairside.demo.randomness import chance, rng_for


def build_roster(shop: Shop, config: DemoConfig) -> tuple[StaffMember, ...]:
    """A core of two to four who stay, one who leaves and one who joins; ids by seniority."""
    rng = rng_for(config.seed, "roster", shop.shop_id)
    start, end = config.start_date, config.end_date
    left_on = start + timedelta(days=round(config.period_days * rng.uniform(0.3, 0.5)))
    longest_gap = max(1, min(30, (end - left_on).days // 2))
    joined_on = left_on + timedelta(days=rng.randint(1, longest_gap))

    core_size = rng.choice((2, 3, 4))  # barbers who stay all along, the owner included
    hired = sorted(start - timedelta(days=rng.randint(200, 3000)) for _ in range(core_size + 1))
    members: list[tuple[str, int, date, date | None]] = [("Owner", 60, hired[0], None)]
    members += [(*_barber_terms(rng), day, None) for day in hired[1:core_size]]
    members.append((*_barber_terms(rng), hired[core_size], left_on))
    members.append(("Apprentice", rng.choice((35, 40)), joined_on, None))
    members.sort(key=lambda member: member[2])
    return tuple(
        StaffMember(
            shop.shop_id, f"{shop.code}-{number:02d}", _name(rng), role, commission, started, ended
        )
        for number, (role, commission, started, ended) in enumerate(members, start=1)
    )


def _barber_terms(rng: random.Random) -> tuple[str, int]:
    """Role and commission %."""
    return ("Senior Barber", 55) if chance(rng, 0.4) else ("Barber", rng.choice((45, 50)))


def _name(rng: random.Random) -> str:
    first = rng.choice(FEMALE_FIRST_NAMES if chance(rng, 0.25) else MALE_FIRST_NAMES)
    return f"{first} {rng.choice(LAST_NAMES)}"
