"""The apps as an owner sees them: `chairside apps` (a home page, every notebook at its path) on
loopback, loaded in headless Chromium (Debian's, driven by Playwright) on a laptop and a phone,
each drawing its charts without a cell failing, in words and units rather than column names; a
typed range applied as typed; and the Overview answering while a writer holds the warehouse.

One server and one browser for the whole module. Screenshots land in the test's tmp directory.
"""

import contextlib
import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext, Page, expect, sync_playwright

from tests.browser import CHROMIUM, CHROMIUM_FLAGS, MISSING
from tests.integration.conftest import DemoBuild
from tests.integration.test_apps_warehouse import (
    add_ml_marts,
    copy_demo,
    published,
    reported_week,
)

pytestmark = pytest.mark.integration

NOTEBOOKS = Path(__file__).parents[2] / "notebooks"
# vega-embed charts each app draws on the demo warehouse with its ML marts
CHARTS = {
    "overview": 1,
    "calls": 5,
    "appointments": 3,
    "clients": 5,
    "services": 3,
    "forecasts": 12,
    "data_health": 1,
    "inquiries": 1,
}
CHART = ".vega-embed canvas, .vega-embed svg.marks"
NOTICES = ("No warehouse at", "does not have this table", "busy being rebuilt", "Traceback")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Server:
    url: str
    warehouse: Path
    log: Path
    shots: Path
    errors: list[str] = field(default_factory=list)  # failed cells, from the pages' websockets


@pytest.fixture(scope="module")
def server(demo_build: DemoBuild, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    root = tmp_path_factory.mktemp("browser")
    warehouse = copy_demo(demo_build, root)
    add_ml_marts(warehouse, reported_week(warehouse))
    releases = published(warehouse)
    port, log = free_port(), root / "marimo.log"
    with log.open("w") as output:
        process = subprocess.Popen(
            [str(Path(sys.executable).parent / "chairside"), "apps", "--port", str(port)],
            env={
                **os.environ,
                "CHAIRSIDE_DUCKDB_PATH": str(warehouse),
                "CHAIRSIDE_RELEASES_DIR": str(releases),
            },
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 60
        while True:
            with contextlib.suppress(OSError):
                urllib.request.urlopen(url, timeout=2).close()
                break
            assert process.poll() is None and time.monotonic() < deadline, log.read_text()
            time.sleep(0.2)
        shots = root / "screenshots"
        shots.mkdir()
        yield Server(url, warehouse, log, shots)
    finally:
        process.terminate()
        process.wait(timeout=30)


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BrowserContext]:
    if not CHROMIUM.exists():
        pytest.fail(MISSING)
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            tmp_path_factory.mktemp("chromium-profile"),
            executable_path=CHROMIUM,
            args=CHROMIUM_FLAGS,
            viewport={"width": 1400, "height": 4000},
        )
        yield context
        context.close()


def cell_errors(frame: str | bytes) -> list[str]:
    """The errors a websocket message reports for a cell, but "ancestor-stopped": the cells
    below one that `mo.stop`ped with a notice, which is how an app shows a notice."""
    message = json.loads(frame)
    output = message.get("data", {}).get("output") if message.get("op") == "cell-op" else None
    if not output or output.get("channel") != "marimo-error":
        return []
    return [str(error) for error in output["data"] if error.get("type") != "ancestor-stopped"]


def open_app(browser: BrowserContext, server: Server, app: str, query: str = "") -> Page:
    page = browser.new_page()

    def watch(socket) -> None:
        socket.on(
            "framereceived",
            lambda frame: server.errors.extend(f"{app}: {e}" for e in cell_errors(frame)),
        )

    page.on("websocket", watch)
    page.goto(f"{server.url}{app}/{query}")
    return page


@pytest.mark.parametrize("app", CHARTS)
def test_app_draws_its_charts_in_chromium(browser: BrowserContext, server: Server, app: str):
    page = open_app(browser, server, app)
    charts = page.locator(CHART)
    expect(charts).to_have_count(CHARTS[app], timeout=60_000)
    for chart in charts.all():
        box = chart.bounding_box()
        assert box is not None and box["width"] > 100 and box["height"] > 50
    page.screenshot(path=server.shots / f"{app}-1400.png", full_page=True)
    text = page.locator("body").inner_text()
    for notice in NOTICES:
        assert notice not in text, notice
    assert_reads_as_words(page, money=app in MONEY_APPS)
    page.set_viewport_size({"width": 390, "height": 2000})
    page.wait_for_timeout(500)
    page.screenshot(path=server.shots / f"{app}-390.png", full_page=True)
    assert server.errors == []
    assert "Traceback" not in server.log.read_text()
    page.close()


# What a page must never show: a column name (snake_case), a data type, a missing number.
RAW_NAME = re.compile(r"\b[a-z]+(?:_[a-z0-9]+)+\b")
DATA_TYPES = re.compile(r"\b(?:str|int64|float64|object|bool|datetime64\[\w+\])\b")
MONEY_APPS = {"overview", "appointments", "services", "clients"}  # forecasts: on its axes


def assert_reads_as_words(page: Page, *, money: bool) -> None:
    """Playwright's selectors pierce the shadow roots marimo draws tables and cards in, which
    `inner_text` of the body does not."""
    headers = " ".join(page.locator("th").all_inner_texts())
    assert not RAW_NAME.findall(headers), RAW_NAME.findall(headers)
    assert not DATA_TYPES.findall(headers), DATA_TYPES.findall(headers)
    assert page.get_by_text(re.compile(r"\bnan\b", re.IGNORECASE)).count() == 0
    if money:
        expect(page.get_by_text(re.compile(r"CAD \d")).first).to_be_visible()


def test_the_home_page_lists_every_app_in_the_order_people_use_them(
    browser: BrowserContext, server: Server
) -> None:
    page = browser.new_page()
    page.goto(f"{server.url}?as_of=2026-11-16")
    links = page.locator("li a")
    assert links.all_inner_texts()[:4] == ["Today", "Overview", "Clients", "Forecasts"]
    served = {path.stem for path in NOTEBOOKS.glob("*.py")}
    hrefs = [link.get_attribute("href") for link in links.all()]
    assert sorted(href.split("/")[1] for href in hrefs) == sorted(served)
    assert all(href.endswith("/?as_of=2026-11-16") for href in hrefs)
    assert all(line.strip() for line in page.locator("li span").all_inner_texts())
    page.screenshot(path=server.shots / "home.png", full_page=True)
    links.nth(1).click()
    expect(page.get_by_text("Answering as of Mon 16 Nov 2026 (pinned)")).to_be_visible(
        timeout=60_000
    )
    page.close()


def test_a_typed_range_is_applied_as_typed(browser: BrowserContext, server: Server) -> None:
    page = open_app(browser, server, "calls", "?as_of=2026-11-16")
    expect(page.get_by_text("Over the 26 weeks from 18 May 2026")).to_be_visible(timeout=60_000)
    start, end = page.locator("marimo-text input").nth(0), page.locator("marimo-text input").nth(1)
    start.fill("2026-09-27")
    start.press("Enter")
    expect(page.get_by_text("Over the 8 weeks from 21 Sep 2026")).to_be_visible(timeout=30_000)
    end.fill("2026-10-04")
    end.press("Enter")
    expect(page.get_by_text("Over the 2 weeks from 21 Sep 2026")).to_be_visible(timeout=30_000)
    assert (start.input_value(), end.input_value()) == ("2026-09-27", "2026-10-04")
    start.fill("9/27")
    start.press("Enter")
    expect(page.get_by_text("From: '9/27' is not a date")).to_be_visible(timeout=30_000)
    page.select_option("marimo-dropdown select", "Last 4 weeks")
    expect(page.get_by_text("Over the 4 weeks from 19 Oct 2026")).to_be_visible(timeout=30_000)
    assert server.errors == []
    page.close()


@contextlib.contextmanager
def writer_holding(warehouse: Path, seconds: float) -> Iterator[None]:
    """Another process with the warehouse open for writing (the lock a pipeline run takes)."""
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import duckdb, sys, time\n"
            "con = duckdb.connect(sys.argv[1])\n"
            "print('locked', flush=True)\n"
            "time.sleep(float(sys.argv[2]))\n"
            "con.close()\n",
            str(warehouse),
            str(seconds),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout.readline().strip() == "locked"
    try:
        yield
    finally:
        assert holder.wait(timeout=seconds + 30) == 0


def calls_card(page: Page) -> str:
    return page.locator("""marimo-stat[data-label='"Calls"']""").first.get_attribute("data-value")


def toggle_shop(page: Page, name: str) -> None:
    page.locator("marimo-multiselect button").first.click()
    page.get_by_role("option", name=name).click()
    page.keyboard.press("Escape")


def test_the_overview_answers_a_filter_change_while_a_writer_holds_the_warehouse(
    browser: BrowserContext, server: Server
) -> None:
    """The page reads the published release, never the build's database: however long a build
    holds that file, a filter change answers at once, and never says it is busy."""
    page = open_app(browser, server, "overview")
    expect(page.locator(CHART)).to_have_count(1, timeout=60_000)
    every_shop = calls_card(page)

    with writer_holding(server.warehouse, seconds=20):
        toggle_shop(page, "Queen West")
        expect(page.locator("""marimo-stat[data-label='"Calls"']""").first).not_to_have_attribute(
            "data-value", every_shop, timeout=15_000
        )
        toggle_shop(page, "Queen West")
        expect(page.locator("""marimo-stat[data-label='"Calls"']""").first).to_have_attribute(
            "data-value", every_shop, timeout=15_000
        )
        expect(page.get_by_text("busy being rebuilt")).to_have_count(0)
        assert "Traceback" not in page.locator("body").inner_text()
    page.screenshot(path=server.shots / "overview-during-a-build.png", full_page=True)
    assert server.errors == []
    page.close()


def test_the_overview_answers_for_the_date_in_its_address(
    browser: BrowserContext, server: Server
) -> None:
    """The server runs on the wall clock (no CHAIRSIDE_AS_OF): any day after the demo, its
    last complete week; `?as_of=` pins a Monday of the demo, and the page says which."""
    page = open_app(browser, server, "overview")
    expect(page.get_by_role("heading", name="Week of 9 Nov 2026")).to_be_visible(timeout=60_000)
    page.close()

    page = open_app(browser, server, "overview", "?as_of=2026-11-02")
    expect(page.get_by_role("heading", name="Week of 26 Oct 2026")).to_be_visible(timeout=60_000)
    expect(page.get_by_text("Answering as of Mon 2 Nov 2026 (pinned)")).to_be_visible()
    page.close()

    page = open_app(browser, server, "overview", "?as_of=2024-11-12")  # the partial first week
    expect(page.get_by_text("No complete week in the chosen range").first).to_be_visible(
        timeout=60_000
    )
    assert "-100%" not in page.locator("body").inner_text()
    assert server.errors == []
    page.close()
