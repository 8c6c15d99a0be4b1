"""Services and their price list versions, and the lookup of the price in force on a day.

Two versions per shop (the go-live list and one increase partway through) are enough to
prove that revenue uses the price in force on the service date, not the latest one.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from chairside.demo.config import DemoConfig
from chairside.demo.model import Service, Shop
from chairside.demo.randomness import chance, rng_for

CENT = Decimal("0.01")
_HALF = Decimal("0.50")

# Five services every shop offers and three that only some do.
CORE_SERVICES = ("CUT", "FADE", "BEARD", "CUT-BEARD", "KIDS")
OPTIONAL_SERVICES = ("SHAVE", "COLOR", "SENIOR")


@dataclass(frozen=True, slots=True)
class _Template:
    name: str
    category: str
    duration_min: int
    base_price: float  # CAD in St. John's


_TEMPLATES: dict[str, _Template] = {
    "CUT": _Template("Classic Cut", "Hair", 30, 32.0),
    "FADE": _Template("Skin Fade", "Hair", 45, 38.0),
    "BEARD": _Template("Beard Trim", "Beard", 15, 20.0),
    "CUT-BEARD": _Template("Cut & Beard", "Hair", 60, 52.0),
    "KIDS": _Template("Kids Cut (12 & under)", "Hair", 30, 24.0),
    "SHAVE": _Template("Hot Towel Shave", "Shave", 45, 42.0),
    "COLOR": _Template("Grey Blending", "Color", 75, 62.0),
    "SENIOR": _Template("Senior Cut (65+)", "Hair", 30, 24.0),
}


def price_list_dates(config: DemoConfig) -> tuple[date, date]:
    """When the go-live list and the increase take effect.

    The increase lands a year before the end (or halfway, for short histories) on the first of
    a month, as owners do it, unless that would push it past the end of the period.
    """
    first = config.start_date.replace(day=1)
    target = max(
        config.start_date + timedelta(days=config.period_days // 2),
        config.end_date - timedelta(days=365),
    )
    month_start = target.replace(day=1)
    if month_start < target:
        month_start = (month_start + timedelta(days=32)).replace(day=1)
    return first, month_start if month_start <= config.end_date else target


def build_price_lists(shops: tuple[Shop, ...], config: DemoConfig) -> tuple[Service, ...]:
    """Every row of both versions, ordered by version, then shop, then service."""
    first, increase = price_list_dates(config)
    initial: list[Service] = []
    raised: list[Service] = []
    for shop in shops:
        rng = rng_for(config.seed, "catalogue", shop.shop_id)
        codes = CORE_SERVICES + tuple(code for code in OPTIONAL_SERVICES if chance(rng, 0.6))
        for code in codes:
            template = _TEMPLATES[code]
            price = _half_dollar(template.base_price * shop.price_level * rng.uniform(0.95, 1.05))
            increase_pct = rng.uniform(5, 8)
            new_price = max(_half_dollar(float(price) * (1 + increase_pct / 100)), price + _HALF)
            initial.append(_service(shop, code, price, first))
            raised.append(_service(shop, code, new_price, increase))
    return tuple(initial + raised)


def _service(shop: Shop, code: str, price: Decimal, effective_from: date) -> Service:
    template = _TEMPLATES[code]
    return Service(
        shop.shop_id,
        code,
        template.name,
        template.category,
        template.duration_min,
        price,
        effective_from,
    )


def _half_dollar(amount: float) -> Decimal:
    """Menu prices end in .00 or .50."""
    return (Decimal(round(amount * 2)) / 2).quantize(CENT)


class PriceBook:
    """Answers "what did this service cost at this shop on this day" across versions."""

    def __init__(self, services: tuple[Service, ...]) -> None:
        self._versions: dict[tuple[str, str], list[Service]] = {}
        for service in sorted(services, key=lambda s: s.effective_from):
            self._versions.setdefault((service.shop_id, service.service_code), []).append(service)

    def codes(self, shop_id: str) -> tuple[str, ...]:
        return tuple(code for (shop, code) in self._versions if shop == shop_id)

    def in_force(self, shop_id: str, service_code: str, day: date) -> Service:
        versions = self._versions[(shop_id, service_code)]
        index = bisect.bisect_right([v.effective_from for v in versions], day) - 1
        if index < 0:
            raise LookupError(f"no price for {shop_id}/{service_code} on {day}")
        return versions[index]
