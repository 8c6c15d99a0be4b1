"""Every app runs to the end on the demo warehouse: `marimo export html` without error output,
with its sections and charts; and without the ML marts, the apps that use them say so."""

import importlib.util
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.integration.conftest import DemoBuild
from tests.integration.test_apps_warehouse import (
    add_ml_marts,
    copy_demo,
    published,
    reported_week,
)

pytestmark = pytest.mark.integration

NOTEBOOKS = Path(__file__).parents[2] / "notebooks"
# each app's sections: a stopped cell would leave its section out
APPS = {
    "overview": ["What to look at", "Trends", "Next week and clients to call", "Calls converted"],
    "calls": ["By hour of the week", "What callers wanted"],
    "appointments": ["Capacity by hour of the week", "Barbers", "Why appointments were cancelled"],
    "clients": ["90-day retention by cohort", "Segments", "At risk: who to call", "Download CSV"],
    "services": ["Popularity", "Revenue mix"],
    "forecasts": ["Champion models", "The next 12 weeks", "Forecast against what happened"],
    "data_health": [
        "Freshness",
        "Quarantined spreadsheet rows",
        "Kafka dead letters",
        "Held events",
    ],
}
# what an app shows instead of a section (chairside.core.warehouse, catalog, ui), and a failed cell
NOTICES = (
    "No warehouse at",
    "does not have this table",
    "busy being rebuilt",
    "run the pipeline first",
    "not computed yet",
    "MarimoExceptionRaisedError",
)


def export(app: str, releases: Path, out: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "marimo",
            "export",
            "html",
            str(NOTEBOOKS / f"{app}.py"),
            "-o",
            str(out),
        ],
        env={**os.environ, "CHAIRSIDE_RELEASES_DIR": str(releases)},
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture(scope="module")
def exported(
    demo_build: DemoBuild, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, tuple[str, str, int]]:
    """app -> (html, stdout + stderr, return code), all seven exported side by side."""
    root = tmp_path_factory.mktemp("export")
    warehouse = copy_demo(demo_build, root)
    add_ml_marts(warehouse, reported_week(warehouse))
    releases = published(warehouse)
    with ThreadPoolExecutor(max_workers=len(APPS)) as pool:
        runs = {app: pool.submit(export, app, releases, root / f"{app}.html") for app in APPS}
    results = {}
    for app, run in runs.items():
        done = run.result()
        html = (root / f"{app}.html").read_text() if done.returncode == 0 else ""
        results[app] = (html, done.stdout + done.stderr, done.returncode)
    return results


@pytest.mark.parametrize("app", APPS)
def test_app_exports_every_section_without_errors(exported, app: str) -> None:
    html, output, code = exported[app]
    assert code == 0, output
    assert "Error" not in output and "Traceback" not in output, output
    for section in APPS[app]:
        assert section in html, section
    for notice in NOTICES:
        assert notice not in html, notice
    assert "application/vnd.vegalite" in html  # its charts


def run_in_process(app: str) -> str:
    """The app's outputs, run here rather than exported: three apps on one warehouse in a
    fraction of the time three exports would take."""
    spec = importlib.util.spec_from_file_location(f"notebook_{app}", NOTEBOOKS / f"{app}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    outputs, _ = module.app.run()
    return "\n".join(output.text for output in outputs if output is not None)


def test_without_ml_marts_the_apps_say_they_are_not_computed_yet(
    demo_build: DemoBuild, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CHAIRSIDE_RELEASES_DIR", str(published(copy_demo(demo_build, tmp_path))))
    overview, forecasts, clients = (
        run_in_process(app) for app in ("overview", "forecasts", "clients")
    )
    assert "Forecasts not computed yet" in overview
    assert "Client scores not computed yet" in overview
    assert "What to look at" in overview  # the rest of the page still shows
    assert "Forecasts not computed yet" in forecasts
    assert "Client scores (segments and the at-risk list) not computed yet" in clients
    assert "90-day retention by cohort" in clients
