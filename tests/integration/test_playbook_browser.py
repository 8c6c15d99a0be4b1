"""The scorecard and the revenue levers as an owner sees them in Chromium: in the Overview app
and in the owner snapshot, on the demo warehouse. The words on screen are the marts'; screenshots
land in the test's tmp directory and their paths are printed."""

import datetime as dt
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext, expect

from chairside.core.clock import Clock
from chairside.presentation.analytics import alerts, levers, offpeak, pricing, scorecard
from chairside.presentation.analytics.catalog import load_catalog
from chairside.presentation.snapshot.content import build_snapshot
from chairside.presentation.snapshot.render import render_html
from tests.integration.conftest import DEMO_AS_OF
from tests.integration.test_apps_browser import Server, browser, open_app, server

pytestmark = pytest.mark.integration

__all__ = ["browser", "server"]  # the module's fixtures, shared


def test_the_overview_shows_each_shops_scorecard(browser: BrowserContext, server: Server):
    as_of = dt.date.fromisoformat(DEMO_AS_OF)
    shop_ids = list(load_catalog(server.warehouse).shops["shop_id"])
    cards = scorecard.latest(server.warehouse, shop_ids, as_of)
    assert cards is not None and not cards.empty
    page = open_app(browser, server, "overview")
    # headings also appear in marimo's outline: the page's own are the headings
    expect(page.get_by_role("heading", name="Scorecard", exact=True)).to_be_visible(timeout=90_000)
    for _, card in cards.groupby("shop_id"):
        name = scorecard.headline(card)
        expect(page.get_by_role("heading", name=name, exact=False).first).to_be_visible()
        for change in card["next_change"]:
            expect(page.get_by_text(change, exact=True).first).to_be_visible()
    expect(
        page.get_by_role("heading", name="Revenue levers: services to offer together")
    ).to_be_visible()
    pairs = levers.upsell_pairs(server.warehouse, shop_ids)
    for shop_id in shop_ids:
        sentence, _ = levers.upsell_verdict(pairs[pairs["shop_id"] == shop_id], "CAD")
        expect(page.get_by_text(sentence).first).to_be_visible()
    expect(page.get_by_role("heading", name="Alerts", exact=True)).to_be_visible()
    expect(
        page.get_by_text("fell below target in this range")
        .or_(page.get_by_text("No health score or principle fell below its target"))
        .first
    ).to_be_visible()
    hours_heading = "Revenue levers: hours to fill or cover, and prices charged"
    expect(page.get_by_role("heading", name=hours_heading)).to_be_visible()
    hours = offpeak.offpeak_hours(server.warehouse, shop_ids)
    charged = pricing.price_realisation(server.warehouse, shop_ids)
    for shop_id in shop_ids:
        for sentence, _ in (
            offpeak.offpeak_verdict(hours[hours["shop_id"] == shop_id], "CAD"),
            pricing.price_verdict(charged[charged["shop_id"] == shop_id], "CAD"),
        ):
            expect(page.get_by_text(sentence).first).to_be_visible()
    # the app scrolls inside its own container: one shot per section, scrolled into view
    for name, heading in (
        ("overview-scorecard.png", "Scorecard"),
        ("overview-alerts.png", "Alerts"),
        ("overview-levers.png", "Revenue levers: services to offer together"),
        ("overview-hours-prices.png", hours_heading),
    ):
        page.get_by_role("heading", name=heading, exact=True).scroll_into_view_if_needed()
        page.screenshot(path=server.shots / name)
        print(f"screenshot: {server.shots / name}")
    assert server.errors == []
    page.close()


def test_the_owner_snapshot_shows_the_scorecard(
    browser: BrowserContext, server: Server, tmp_path: Path
):
    as_of = dt.date.fromisoformat(DEMO_AS_OF)
    snapshot = build_snapshot(
        server.warehouse, load_catalog(server.warehouse), "water-st", Clock(as_of)
    )
    assert snapshot.scorecard is not None and len(snapshot.scorecard) == 7
    page = browser.new_page()
    page.set_content(render_html(snapshot))
    expect(page.get_by_role("heading", name="Scorecard")).to_be_visible()
    expect(page.get_by_text(scorecard.headline(snapshot.scorecard))).to_be_visible()
    for change in snapshot.scorecard["next_change"]:
        expect(page.get_by_text(change, exact=True).first).to_be_visible()
    expect(page.get_by_role("heading", name="Services to offer together")).to_be_visible()
    sentence, _ = levers.upsell_verdict(snapshot.upsell_pairs, snapshot.currency)
    expect(page.get_by_text(sentence)).to_be_visible()
    for heading, verdict in (
        ("Hours to fill or cover", offpeak.offpeak_verdict(snapshot.offpeak_hours, "CAD")),
        (
            "Prices charged against the list",
            pricing.price_verdict(snapshot.price_realisation, "CAD"),
        ),
    ):
        expect(page.get_by_role("heading", name=heading)).to_be_visible()
        expect(page.get_by_text(verdict[0])).to_be_visible()
    shot = tmp_path / "snapshot-scorecard-water-st.png"
    page.screenshot(path=shot, full_page=True)
    print(f"screenshot: {shot}")
    page.close()


def test_the_owner_snapshot_carries_an_alert_in_the_week_it_is_known(
    browser: BrowserContext, server: Server, tmp_path: Path
):
    """The demo's latest alert, in the snapshot made the day its month was complete, and in
    none a week later."""
    catalog = load_catalog(server.warehouse)
    known = alerts.known_between(
        server.warehouse, list(catalog.shops["shop_id"]), dt.date(2000, 1, 1), dt.date(2100, 1, 1)
    )
    assert known is not None and not known.empty, "the demo raised no alert"
    latest = known.iloc[0]
    day = latest["known_on"]
    snapshot = build_snapshot(server.warehouse, catalog, latest["shop_id"], Clock(day))
    page = browser.new_page()
    page.set_content(render_html(snapshot))
    expect(page.get_by_role("heading", name="Alerts")).to_be_visible()
    expect(page.get_by_text(alerts.sentence(latest, snapshot.currency))).to_be_visible()
    shot = tmp_path / f"snapshot-alerts-{latest['shop_id']}.png"
    page.screenshot(path=shot, full_page=True)
    print(f"screenshot: {shot}")
    page.close()
    week_later = build_snapshot(
        server.warehouse, catalog, latest["shop_id"], Clock(day + dt.timedelta(days=7))
    )
    assert latest["alert_id"] not in set(week_later.alerts["alert_id"])
