"""`generate`: from a config to the whole demo dataset, shop by shop."""

from __future__ import annotations

from collections.abc import Callable

from chairside.demo.cassandra import cassandra_customers, cassandra_inquiries
from chairside.demo.catalogue import PriceBook, build_price_lists
from chairside.demo.config import DemoConfig
from chairside.demo.contacts import ContactDirectory
from chairside.demo.dataset import DemoDataset
from chairside.demo.events import render_topics
from chairside.demo.ids import IdSequence
from chairside.demo.inbox import inbox_customers, inbox_inquiries
from chairside.demo.model import ShopHistory, StaffMember
from chairside.demo.roster import build_roster
from chairside.demo.shops import build_shops
from chairside.demo.simulation import simulate_shop


def generate(config: DemoConfig, progress: Callable[[str], None] | None = None) -> DemoDataset:
    """The demo history for `config`; `progress` hears about each shop and quarter, since
    a hundred shops over five years takes a while."""
    report = progress or _ignore
    shops = build_shops(config.shops)
    services = build_price_lists(shops, config)
    prices = PriceBook(services)
    directory, ids = ContactDirectory(), IdSequence()
    histories: list[ShopHistory] = []
    staff: list[StaffMember] = []
    for number, shop in enumerate(shops, start=1):
        report(f"{shop.shop_id}: shop {number} of {len(shops)}")
        roster = build_roster(shop, config)
        staff.extend(roster)
        histories.append(simulate_shop(shop, roster, prices, config, directory, ids, report))
    report("rendering sources")
    return DemoDataset(
        config=config,
        shops=shops,
        services=services,
        staff=tuple(staff),
        people=tuple(person for history in histories for person in history.people),
        profiles=tuple(profile for history in histories for profile in history.profiles),
        appointments=tuple(a for history in histories for a in history.appointments),
        calls=tuple(call for history in histories for call in history.calls),
        inquiries=tuple(inquiry for history in histories for inquiry in history.inquiries),
        kafka=render_topics(histories, config),
        cassandra_customers=tuple(
            row for history in histories for row in cassandra_customers(history, config)
        ),
        cassandra_inquiries=tuple(
            row for history in histories for row in cassandra_inquiries(history, config)
        ),
        inbox_customers=tuple(inbox_customers(histories, config)),
        inbox_inquiries=tuple(
            row for history in histories for row in inbox_inquiries(history, config)
        ),
        campaigns=tuple(campaign for history in histories for campaign in history.campaigns),
    )


def _ignore(_message: str) -> None:
    """The progress sink when nobody is listening."""
