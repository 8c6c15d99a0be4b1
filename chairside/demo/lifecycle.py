"""What becomes of a booking: kept, moved, cancelled or not shown up for, and the checkout.

Fates are drawn when the booking is made but play out at their own time in the simulation,
so a cancellation frees its slot only from the moment it happens.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from decimal import Decimal
from enum import Enum

from chairside.demo.catalogue import CENT
from chairside.demo.demand import PHONE_HOURS, choose_hour
from chairside.demo.randomness import chance

# Shares among bookings made ahead; walk-ins are kept by definition, which brings the overall
# shares to about 10% rescheduled and 7% cancelled.
_RESCHEDULE_SHARE = 0.11
_CANCEL_SHARE = 0.078
_SHORTEST_NOTICE = timedelta(hours=3)  # nobody moves an appointment booked an hour ago
_FIRST_VISIT_DISCOUNT_PCT = 10
_PRODUCT_PRICES = tuple(Decimal(p) for p in ("14.00", "18.00", "22.00", "26.50", "32.00", "38.00"))
_CUSTOMER_REASONS = (
    "schedule conflict",
    "feeling unwell",
    "weather",
    "found another time",
    None,
    None,
)
_SHOP_REASONS = ("barber off sick", "power outage", "double booked")


class FateKind(Enum):
    KEEP = "keep"
    RESCHEDULE = "reschedule"
    CANCEL = "cancel"


@dataclass(frozen=True, slots=True)
class Fate:
    kind: FateKind
    at: datetime | None = None
    by: str | None = None  # cancellations: customer | shop
    reason: str | None = None


_KEEP = Fate(FateKind.KEEP)
_HOURS_2 = timedelta(hours=2)


def plan_fate(rng: random.Random, booked_at: datetime, start: datetime) -> Fate:
    if start - booked_at < _SHORTEST_NOTICE:
        return _KEEP
    roll = rng.random()
    if roll < _RESCHEDULE_SHARE:
        return _fate(FateKind.RESCHEDULE, _daytime_between(rng, booked_at, start - _HOURS_2))
    if roll >= _RESCHEDULE_SHARE + _CANCEL_SHARE:
        return _KEEP
    if chance(rng, 0.15):  # the shop cancels, at short notice
        at = _daytime_between(rng, max(booked_at, start - timedelta(days=1)), start)
        return _fate(FateKind.CANCEL, at, "shop", rng.choice(_SHOP_REASONS))
    # Most customers cancel in the last two days.
    window_start = max(booked_at, start - timedelta(days=2)) if chance(rng, 0.7) else booked_at
    at = _daytime_between(rng, window_start, start - timedelta(minutes=30))
    return _fate(FateKind.CANCEL, at, "customer", rng.choice(_CUSTOMER_REASONS))


def _fate(
    kind: FateKind, at: datetime | None, by: str | None = None, reason: str | None = None
) -> Fate:
    """Keeps the appointment when there was no plausible moment to act in."""
    return _KEEP if at is None else Fate(kind, at, by, reason)


def _daytime_between(rng: random.Random, after: datetime, before: datetime) -> datetime | None:
    """A moment in (after, before) at an hour people make calls; None if there is none."""
    days = (before.date() - after.date()).days
    for _ in range(8):
        day = after.date() + timedelta(days=rng.randint(0, max(days, 0)))
        clock = time(choose_hour(rng, PHONE_HOURS), rng.randrange(60), rng.randrange(60))
        moment = datetime.combine(day, clock, tzinfo=after.tzinfo)
        if after < moment < before:
            return moment
    return None


@dataclass(frozen=True, slots=True)
class Checkout:
    discount_pct: int
    service_revenue: Decimal
    product_revenue: Decimal
    tip: Decimal
    payment_method: str | None


def checkout(rng: random.Random, list_price: Decimal, first_visit: bool) -> Checkout:
    """Service at the price in force less any discount, sometimes a product, usually a tip."""
    discount = _FIRST_VISIT_DISCOUNT_PCT if first_visit and chance(rng, 0.3) else 0
    service = (list_price * (100 - discount) / 100).quantize(CENT)
    product = rng.choice(_PRODUCT_PRICES) if chance(rng, 0.12) else Decimal("0.00")
    method = rng.choices(("card", "debit", "cash", None), (0.55, 0.25, 0.15, 0.05))[0]
    tip = Decimal("0.00")
    if chance(rng, 0.78):
        tip = (service * Decimal(rng.randint(10, 20)) / 100).quantize(CENT)
        if method == "cash":  # nobody leaves cents
            tip = max(tip.quantize(Decimal("1")), Decimal(1)).quantize(CENT)
    return Checkout(discount, service, product, tip, method)
