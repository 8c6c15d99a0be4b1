"""The apps as an owner sees them: `marimo run` over the notebooks folder on loopback, loaded in
headless Chromium (Debian's, driven by Playwright), each drawing its charts without a cell
failing; and the Overview answering a filter change while a writer holds the warehouse.

One server and one browser for the whole module. Screenshots land in the test's tmp directory.
"""

import contextlib
import json
import os
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
            [
                sys.executable,
                "-m",
                "marimo",
                "run",
                str(NOTEBOOKS),
                "--headless",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
            ],
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
    page.goto(f"{server.url}?file={app}.py{query}")
    return page


@pytest.mark.parametrize("app", CHARTS)
def test_app_draws_its_charts_in_chromium(browser: BrowserContext, server: Server, app: str):
    page = open_app(browser, server, app)
    charts = page.locator(CHART)
    expect(charts).to_have_count(CHARTS[app], timeout=60_000)
    for chart in charts.all():
        box = chart.bounding_box()
        assert box is not None and box["width"] > 100 and box["height"] > 50
    page.screenshot(path=server.shots / f"{app}.png", full_page=True)
    text = page.locator("body").inner_text()
    for notice in NOTICES:
        assert notice not in text, notice
    assert server.errors == []
    assert "Traceback" not in server.log.read_text()
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

    page = open_app(browser, server, "overview", "&as_of=2026-11-02")
    expect(page.get_by_role("heading", name="Week of 26 Oct 2026")).to_be_visible(timeout=60_000)
    expect(page.get_by_text("Answering as of Mon 2 Nov 2026 (pinned)")).to_be_visible()
    page.close()

    page = open_app(browser, server, "overview", "&as_of=2024-11-12")  # the partial first week
    expect(page.get_by_text("No complete week in the chosen range").first).to_be_visible(
        timeout=60_000
    )
    assert "-100%" not in page.locator("body").inner_text()
    assert server.errors == []
    page.close()
