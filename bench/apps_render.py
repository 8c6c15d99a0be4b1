"""Time the Overview app on a warehouse of a million appointments: first render, filter change.

    python bench/apps_render.py
    python bench/apps_render.py --source data/warehouse.duckdb --appointments 2000000 --runs 9

The warehouse is the demo's, multiplied: every shop's marts rows are copied under new shop ids
(and new appointment, call and client keys) until fct_appointments holds --appointments rows.
The app is served by `marimo run` on loopback and loaded in headless Chromium (Debian's, via
Playwright; `scripts/install-browser.sh` installs it). The page's websocket tells when every cell
is idle again; a render ends there, once the browser has painted the charts.

- first render: navigation to the last cell idle with every chart drawn, in a fresh browser
  page. The first page after the server starts pays the kernel's imports (reported apart);
  the figure is the median over --runs pages after it.
- filter change: a shop ticked off (or back on) in the picker to the last cell idle and the
  charts redrawn, median and worst over --runs changes.

Goals (issue #21), relative to marimo's own floor, because these are wall-clock figures on a
machine where the server, the browser and anything else running share the CPUs: the same
figures are taken for a minimal marimo app (a shop picker and one chart, no warehouse), in turns
with the Overview, and the Overview's first render must be within 10% of the minimal app's, its
filter change within 150 ms of the minimal app's. The absolute figures are printed as well.
"""

from __future__ import annotations

import argparse
import contextlib
import math
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # run as a script: the browser settings live with the tests

from chairside.core.settings import load_settings  # noqa: E402
from tests.browser import CHROMIUM, CHROMIUM_FLAGS, MISSING  # noqa: E402

NOTEBOOK = ROOT / "notebooks" / "overview.py"
MINIMAL_APP = """
import marimo

app = marimo.App()


@app.cell
def _():
    import altair as alt
    import marimo as mo
    import pandas as pd

    shops = mo.ui.multiselect(options=["Queen West", "Spring Garden", "Water St"], value=[])
    shops
    return alt, pd, shops


@app.cell
def _(alt, pd, shops):
    alt.Chart(pd.DataFrame({"x": [0, 1], "y": [0, len(shops.value)]})).mark_line().encode(
        x="x", y="y"
    )
    return
"""
FIRST_RENDER_OVER_FLOOR = 1.10  # at most 10% slower than the minimal app's first render
FILTER_CHANGE_OVER_FLOOR = 0.150  # at most 150 ms more than the minimal app's filter change

# Per mart: the columns that identify a shop's rows, suffixed with the copy number so copies
# are new shops with their own appointments, calls, staff and clients.
KEYS = {
    "dim_shop": ("shop_id", "shop_name"),
    "dim_staff": ("staff_key", "shop_id"),
    "dim_customer": ("customer_key", "home_shop_id"),
    "fct_appointments": ("appointment_id", "shop_id", "customer_key", "call_id"),
    "fct_calls": ("call_id", "shop_id", "customer_key", "appointment_id"),
    "fct_weekly_shop_metrics": ("shop_id",),
    "fct_weekly_staff_metrics": ("shop_id",),
    "fct_weekly_service_mix": ("shop_id",),
    "fct_hourly_capacity": ("shop_id",),
}

# Times are taken in the page (performance.now(): milliseconds since navigation began), so the
# figures carry no Playwright round trips. The tracker follows the cells' states on the app's
# websocket: the page is settled when every cell is idle again after the last press.
TRACKER = """
window.__cells = {};
window.__lastIdle = 0;
window.__pressedAt = 0;
window.__errors = 0;
window.addEventListener("pointerdown", () => { window.__pressedAt = performance.now(); }, true);
const Native = window.WebSocket;
window.WebSocket = class extends Native {
  constructor(...args) {
    super(...args);
    this.addEventListener("message", (event) => {
      let message;
      try { message = JSON.parse(event.data); } catch { return; }
      if (message.op !== "cell-op") return;
      const cell = message.data;
      if (cell.status) {
        window.__cells[cell.cell_id] = cell.status;
        if (cell.status === "idle") window.__lastIdle = performance.now();
      }
      if (cell.output && cell.output.channel === "marimo-error") {
        // "ancestor-stopped": below a cell that stopped to show a notice, not a failure
        window.__errors += cell.output.data.filter(e => e.type !== "ancestor-stopped").length;
      }
    });
  }
};
"""
SETTLED = """() => window.__lastIdle > window.__pressedAt
    && Object.values(window.__cells).length > 0
    && Object.values(window.__cells).every(status => status === "idle")"""
# vega-embed draws inside marimo's shadow roots, which Playwright's selectors pierce
CHART = ".vega-embed canvas, .vega-embed svg.marks"
# the moment the browser has painted what the last messages changed
PAINTED_AT = """() => new Promise(done =>
    requestAnimationFrame(() => requestAnimationFrame(() => done(performance.now()))))"""


def scale_warehouse(source: Path, target: Path, appointments: int) -> dict[str, int]:
    """Copy `source` to `target` and multiply its shops until it holds `appointments`."""
    shutil.copyfile(source, target)
    with duckdb.connect(str(target)) as con:
        (have,) = con.execute("select count(*) from marts.fct_appointments").fetchone()
        copies = math.ceil(appointments / have)
        for table, keys in KEYS.items():
            renamed = ", ".join(f"{key} || '-' || copy as {key}" for key in keys)
            con.execute(f"create temp table original as select * from marts.{table}")
            con.execute(
                f"insert into marts.{table} select original.* replace ({renamed}) "
                f"from original, range(1, {copies}) as copies(copy)"
            )
            con.execute("drop table original")
        return {
            table: con.execute(f"select count(*) from marts.{table}").fetchone()[0]
            for table in ("dim_shop", "fct_appointments", "fct_calls", "fct_weekly_shop_metrics")
        }


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def serve(notebook: Path, warehouse: Path) -> Iterator[str]:
    """`marimo run` on loopback against `warehouse`; yields the app's URL."""
    port = free_port()
    env = {**os.environ, "CHAIRSIDE_DUCKDB_PATH": str(warehouse)}
    command = [sys.executable, "-m", "marimo", "run", str(notebook), "--headless"]
    server = subprocess.Popen(
        [*command, "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(url, timeout=2):
                    break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise RuntimeError("marimo run did not come up") from None
                time.sleep(0.2)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=30)


def settle(page) -> float:
    """Wait until every cell is idle and a chart is drawn; the paint's time in seconds."""
    page.wait_for_function(SETTLED, timeout=120_000, polling="raf")
    page.locator(CHART).first.wait_for()
    return page.evaluate(PAINTED_AT) / 1000


def first_render(browser, url: str) -> float:
    """Seconds from the start of navigation to the rendered app, in a new page."""
    page = browser.new_page()
    page.add_init_script(TRACKER)
    page.goto(url)
    elapsed = settle(page)
    _no_errors(page)
    page.close()
    return elapsed


def filter_changes(browser, url: str, runs: int) -> list[float]:
    """Seconds from pressing a shop in the picker to the re-rendered app, `runs` times."""
    page = browser.new_page()
    page.add_init_script(TRACKER)
    page.goto(url)
    settle(page)
    page.locator("marimo-multiselect button").first.click()
    shop = page.get_by_role("option").nth(2)  # the first shop, after "Select/Deselect all"
    timings = []
    for _ in range(runs):
        shop.click()
        painted = settle(page)
        timings.append(painted - page.evaluate("window.__pressedAt") / 1000)
    _no_errors(page)
    page.close()
    return timings


def _no_errors(page) -> None:
    errors = page.evaluate("window.__errors")
    if errors:
        raise RuntimeError(f"{errors} cell(s) of the app raised an error")


@dataclass
class Figures:
    cold: float = 0.0
    renders: list[float] = field(default_factory=list)
    changes: list[float] = field(default_factory=list)

    def report(self, name: str) -> str:
        return (
            f"{name}: first render median {statistics.median(self.renders):.2f} s "
            f"(worst {max(self.renders):.2f}, first page after start {self.cold:.2f}), "
            f"filter change median {statistics.median(self.changes) * 1000:.0f} ms "
            f"(worst {max(self.changes) * 1000:.0f})"
        )


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument(
        "--source",
        type=Path,
        default=load_settings().duckdb_path,
        help="warehouse to multiply [default: the one `make demo` built]",
    )
    parser.add_argument("--appointments", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--keep", type=Path, help="build the warehouse here and keep it")
    args = parser.parse_args()
    if not args.source.exists():
        parser.error(f"no warehouse at {args.source}: run `make demo` first")
    if not CHROMIUM.exists():
        parser.error(MISSING)

    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="chairside-apps-bench-") as scratch:
        warehouse = (args.keep or Path(scratch)) / "warehouse.duckdb"
        warehouse.parent.mkdir(parents=True, exist_ok=True)
        started = time.perf_counter()
        counts = scale_warehouse(args.source, warehouse, args.appointments)
        print(f"warehouse built in {time.perf_counter() - started:.1f} s: {counts}")
        minimal = Path(scratch) / "minimal.py"
        minimal.write_text(MINIMAL_APP)

        overview, floor = Figures(), Figures()
        with (
            serve(NOTEBOOK, warehouse) as overview_url,
            serve(minimal, warehouse) as floor_url,
            sync_playwright() as playwright,
            tempfile.TemporaryDirectory(prefix="chromium-") as profile,
        ):
            browser = playwright.chromium.launch_persistent_context(
                profile,
                executable_path=CHROMIUM,
                args=CHROMIUM_FLAGS,
                viewport={"width": 1400, "height": 1000},
            )
            overview.cold, floor.cold = (
                first_render(browser, overview_url),
                first_render(browser, floor_url),
            )
            for _ in range(args.runs):  # in turns, so both see the same load
                overview.renders.append(first_render(browser, overview_url))
                floor.renders.append(first_render(browser, floor_url))
            overview.changes = filter_changes(browser, overview_url, args.runs)
            floor.changes = filter_changes(browser, floor_url, args.runs)
            browser.close()

    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    print(f"machine: {os.cpu_count()} CPUs, load average {load} (server and browser share them)")
    print(overview.report(f"Overview, {counts['fct_appointments']:,} appointments"))
    print(floor.report("minimal marimo app (the floor)"))
    render, floor_render = (statistics.median(f.renders) for f in (overview, floor))
    change, floor_change = (statistics.median(f.changes) for f in (overview, floor))
    render_met = render <= FIRST_RENDER_OVER_FLOOR * floor_render
    change_met = change <= floor_change + FILTER_CHANGE_OVER_FLOOR
    print(
        f"first render: {render / floor_render:.2f}x the floor's (goal <= "
        f"{FIRST_RENDER_OVER_FLOOR:.2f}x): {'met' if render_met else 'missed'}"
    )
    print(
        f"filter change: {(change - floor_change) * 1000:+.0f} ms over the floor's (goal <= "
        f"+{FILTER_CHANGE_OVER_FLOOR * 1000:.0f} ms): {'met' if change_met else 'missed'}"
    )
    met = render_met and change_met
    return 0 if met else 1


if __name__ == "__main__":
    raise SystemExit(main())
