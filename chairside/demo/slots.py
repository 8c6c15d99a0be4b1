"""Finding a client a slot: their barber, day and time first, then whatever is nearest."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta

from chairside.demo.agenda import Agenda
from chairside.demo.clients import Client
from chairside.demo.demand import choose_service_day, choose_start_minute
from chairside.demo.model import Shop

_SAME_DAY_NOTICE_MIN = 60  # the earliest start, after now, for a booking made ahead
_WALK_IN_WAIT_MIN = 45  # how long a walk-in waits before leaving


def staff_order(rng: random.Random, agenda: Agenda, client: Client, day: date) -> list[str]:
    """Whoever is on duty in random order, the client's own barber first."""
    on_duty = agenda.on_duty(day)
    order = rng.sample(on_duty, len(on_duty))
    if client.preferred_staff in order:
        order.remove(client.preferred_staff)
        order.insert(0, client.preferred_staff)
    return order


def find_advance_slot(
    rng: random.Random,
    shop: Shop,
    agenda: Agenda,
    client: Client,
    desired: date,
    duration: int,
    now: datetime,
    avoid: date | None = None,
) -> tuple[date, str, int] | None:
    """(day, staff, start minute) for a booking made ahead, near the client's usual day and
    time; None if the days around `desired` are full. A client with a barber of their own
    moves a day or two for them before taking anyone else. `avoid` is the day a rescheduling
    client is moving away from."""
    today = now.date()
    first = choose_service_day(rng, shop, desired, today, client.habits.preferred_weekday)
    if first is None:
        return None
    nearby = (desired + timedelta(days=offset) for offset in (0, 1, -1, 2, -2, 3, -3))
    days = [
        day
        for day in dict.fromkeys((first, *nearby))
        if day >= today and day != avoid and shop.is_open_on(day)
    ]
    wanted: dict[date, int] = {}

    def nearest(day: date, staff: list[str]) -> tuple[date, str, int] | None:
        if day not in wanted:
            usual = client.habits.preferred_minute
            wanted[day] = usual or choose_start_minute(rng, shop, day, duration)
        earliest = now.hour * 60 + now.minute + _SAME_DAY_NOTICE_MIN if day == today else 0
        slot = agenda.find(day, wanted[day], duration, staff, earliest=earliest)
        return (day, *slot) if slot else None

    if client.preferred_staff:
        for day in days:
            if own := nearest(day, [client.preferred_staff]):
                return own
    for day in days:
        if anyone := nearest(day, staff_order(rng, agenda, client, day)):
            return anyone
    return None


def find_walk_in_slot(
    rng: random.Random, agenda: Agenda, client: Client, duration: int, now: datetime
) -> tuple[str, int] | None:
    """(staff, start minute) today within the wait a walk-in accepts; None if nobody is free."""
    earliest = now.hour * 60 + now.minute + 5
    earliest += -earliest % 5
    return agenda.find(
        now.date(),
        earliest,
        duration,
        staff_order(rng, agenda, client, now.date()),
        earliest=earliest,
        max_shift=_WALK_IN_WAIT_MIN,
        step=5,
    )
