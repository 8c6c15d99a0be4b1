"""The demo chain's shops: a fixed, ordered walk over Canadian sites and opening-hour patterns."""

from __future__ import annotations

from chairside.demo.model import Shop
from chairside.demo.places import HOURS, SITES

CURRENCY = "CAD"


def build_shops(count: int) -> tuple[Shop, ...]:
    """The first `count` shops. No randomness: shop n is the same shop whatever the seed,
    so `water-st` is always first and asking for more shops only appends."""
    return tuple(_shop(index) for index in range(count))


def _shop(index: int) -> Shop:
    site = SITES[index % len(SITES)]
    hours = HOURS[index % len(HOURS)]
    lap = index // len(SITES) + 1  # sites are reused with a suffix once the list wraps
    shop_id = site.slug if lap == 1 else f"{site.slug}-{lap}"
    return Shop(
        shop_id=shop_id,
        name=site.name if lap == 1 else f"{site.name} {lap}",
        city=site.city,
        time_zone=site.time_zone,
        currency=CURRENCY,
        opens=hours.opens,
        closes=hours.closes,
        open_days=hours.open_days,
        open_days_written=hours.written,
        # example.com is reserved: owner snapshots sent over real SMTP reach nobody.
        owner_email=f"owner.{shop_id}@example.com",
        # 555-0100..0199 are fictional numbers in every North American area code; one per shop.
        phone=f"({site.area_codes[0]}) 555-{100 + index % 100:04d}",
        code=site.code if lap == 1 else f"{site.code}{lap}",
        area_codes=site.area_codes,
        price_level=site.price_level,
    )
