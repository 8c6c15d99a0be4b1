"""The front desk as a receptionist uses it, in Chromium: bad input is refused beside the field
and writes nothing; a good inquiry is acknowledged, appears in the form's list and in the Today
app straight from Kafka, and after a small build (ingest, then dbt of fct_inquiries and what it
is built from) in marts.fct_inquiries. The Today app also shows a call ringing (from the webhook
service) and then answered (from Kafka)."""

from __future__ import annotations

import datetime as dt
import email.utils
import os
import subprocess
import sys
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest
from confluent_kafka import Consumer, TopicPartition
from playwright.sync_api import BrowserContext, Page, expect, sync_playwright
from twilio.request_validator import RequestValidator

from chairside.contracts.topics import INQUIRIES
from chairside.core.settings import WebhookSettings
from chairside.demo.local_broker import LocalKafkaBroker
from ingestion.cassandra import store as cassandra_store
from ingestion.inbox.loader import load_inbox
from ingestion.kafka.consumer import ingest
from tests.browser import CHROMIUM, CHROMIUM_FLAGS, MISSING
from tests.kafka_broker import contract_broker, settings_for
from tests.live_apps import marimo_apps
from tests.webhook_server import webhook_server

pytestmark = pytest.mark.integration

DBT_PROJECT = Path(__file__).parents[2] / "dbt_project"
TOKEN = "twilio-auth-token-for-tests"
SHOPS = (
    "Shop,Name,Time Zone,Phone\n"
    "water-st,Water St,America/St_Johns,(709) 555-0100\n"
    "queen-west,Queen West,America/Toronto,(416) 555-0100\n"
)


@dataclass
class Apps:
    url: str
    broker: LocalKafkaBroker
    data: Path
    log: Path
    webhooks: str


@pytest.fixture(scope="module")
def apps(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Apps]:
    root = tmp_path_factory.mktemp("live-apps")
    data = root / "data"
    (data / "inbox").mkdir(parents=True)
    (data / "inbox" / "shops.csv").write_text(SHOPS)
    with (
        contract_broker(partitions=2) as broker,
        webhook_server(
            settings_for(broker), WebhookSettings(twilio_auth_token=TOKEN), data / "inbox"
        ) as webhooks,
    ):
        environment = {
            name: value
            for name, value in os.environ.items()
            if not name.startswith(("CHAIRSIDE_", "DAGSTER_", "MLFLOW_"))
        }
        environment |= {
            "CHAIRSIDE_DATA_DIR": str(data),
            "CHAIRSIDE_KAFKA_BOOTSTRAP": broker.bootstrap,
            "CHAIRSIDE_WEBHOOK_URL": webhooks,
        }
        log = root / "marimo.log"
        with marimo_apps(environment, log) as url:
            yield Apps(url, broker, data, log, webhooks)


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BrowserContext]:
    if not CHROMIUM.exists():
        pytest.fail(MISSING)
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            tmp_path_factory.mktemp("chromium-profile"),
            executable_path=CHROMIUM,
            args=CHROMIUM_FLAGS,
            viewport={"width": 1400, "height": 2000},
        )
        yield context
        context.close()


def inquiries_published(broker: LocalKafkaBroker) -> int:
    consumer = Consumer({"bootstrap.servers": broker.bootstrap, "group.id": "test-count"})
    try:
        metadata = consumer.list_topics(INQUIRIES.name, timeout=10).topics[INQUIRIES.name]
        return sum(
            consumer.get_watermark_offsets(TopicPartition(INQUIRIES.name, p), timeout=10)[1]
            for p in metadata.partitions
        )
    finally:
        consumer.close()


def ring(webhooks: str, status: str) -> None:
    """Twilio's status callback for one call of a client to Water St, signed."""
    url = f"{webhooks}/webhooks/twilio/voice-status"
    params = {
        "CallSid": "CA-live",
        "CallStatus": status,
        "CallDuration": "40",
        "Direction": "inbound",
        "From": "+17095559876",
        "To": "+17095550100",
        # now, as Twilio stamps it, so the call is today's whatever the calendar says
        "Timestamp": email.utils.format_datetime(dt.datetime.now(dt.UTC), usegmt=True),
    }
    signature = RequestValidator(TOKEN).compute_signature(url, params)
    request = urllib.request.Request(
        url, data=urllib.parse.urlencode(params).encode(), headers={"X-Twilio-Signature": signature}
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        assert response.status == 200


def field(page: Page, label: str):
    return page.get_by_label(label, exact=True)


def pick(page: Page, label: str, option: str) -> None:
    field(page, label).select_option(label=option)


def error_beside(page: Page, label: str, message: str) -> None:
    """`message` shows on the same line as the field, to its right."""
    error = page.get_by_text(message)
    expect(error).to_be_visible(timeout=30_000)
    box, at = field(page, label).bounding_box(), error.bounding_box()
    assert box is not None and at is not None
    assert (
        at["x"] > box["x"] and abs(at["y"] + at["height"] / 2 - box["y"] - box["height"] / 2) < 40
    )


def test_bad_input_is_refused_beside_the_field_and_writes_nothing(
    apps: Apps, browser: BrowserContext
) -> None:
    page = browser.new_page()
    page.goto(f"{apps.url}front_desk/")
    expect(page.get_by_role("heading", name="Front desk: new inquiry")).to_be_visible(
        timeout=60_000
    )
    field(page, "Name").fill("Sam Tucker")
    field(page, "Phone").fill("call me maybe")
    page.get_by_role("button", name="Save inquiry").click()
    error_beside(page, "Shop", "Pick the shop the inquiry is for.")
    error_beside(page, "Phone", "cannot read 'call me maybe' as a phone number")
    error_beside(page, "Inquiry", "Write what the person asked.")
    assert inquiries_published(apps.broker) == 0
    assert "Traceback" not in apps.log.read_text()
    page.close()


def test_an_inquiry_reaches_the_live_view_and_after_a_build_fct_inquiries(
    apps: Apps, browser: BrowserContext, tmp_path: Path
) -> None:
    page = browser.new_page()
    page.goto(f"{apps.url}front_desk/")
    expect(page.get_by_role("heading", name="Front desk: new inquiry")).to_be_visible(
        timeout=60_000
    )
    pick(page, "Shop", "Water St")
    field(page, "Name").fill("Morgan Hiscock")
    field(page, "Phone").fill("(709) 555-0142")
    field(page, "Email").fill("Morgan@Example.com")
    field(page, "Age").fill("34")
    field(page, "Inquiry").fill("Beard trim on Saturday?")
    pick(page, "Channel", "phone")
    page.get_by_role("button", name="Save inquiry").click()
    expect(page.get_by_text("Saved: Morgan Hiscock at Water St.")).to_be_visible(timeout=30_000)
    page.screenshot(path=tmp_path / "front-desk.png", full_page=True)
    expect(page.get_by_role("cell", name="Beard trim on Saturday?")).to_be_visible(timeout=30_000)
    assert field(page, "Name").input_value() == ""  # a fresh form for the next person

    today = browser.new_page()
    today.goto(f"{apps.url}today/")
    expect(today.locator("""marimo-stat[data-label='"Inquiries"']""")).to_have_attribute(
        "data-value", "1", timeout=30_000
    )
    # a client calls Water St: ringing now, then answered once the call ends
    ring(apps.webhooks, "ringing")
    expect(today.locator("""marimo-stat[data-label='"Ringing now"']""")).to_have_attribute(
        "data-value", "1", timeout=30_000
    )
    ring(apps.webhooks, "completed")
    expect(today.locator("""marimo-stat[data-label='"Calls answered"']""")).to_have_attribute(
        "data-value", "1", timeout=30_000
    )
    expect(today.locator("""marimo-stat[data-label='"Ringing now"']""")).to_have_attribute(
        "data-value", "0"
    )
    assert inquiries_published(apps.broker) == 1
    page.close()
    today.close()

    warehouse = tmp_path / "warehouse.duckdb"
    with duckdb.connect(str(warehouse)) as con:
        load_inbox(con, apps.data / "inbox", settle_seconds=0)
        cassandra_store.ensure_schema(con)
        ingest(con, settings_for(apps.broker), topics=[INQUIRIES])
    subprocess.run(
        [
            str(Path(sys.executable).with_name("dbt")),
            "build",
            "--select",
            "+fct_inquiries",
            "--indirect-selection",
            "cautious",
            "--quiet",
        ],
        cwd=DBT_PROJECT,
        env={**os.environ, "CHAIRSIDE_DUCKDB_PATH": str(warehouse)},
        check=True,
    )
    with duckdb.connect(str(warehouse), read_only=True) as con:
        rows = con.execute(
            "select shop_id, customer_name, phone_e164, email, message from marts.fct_inquiries"
        ).fetchall()
    assert "Traceback" not in apps.log.read_text()
    assert rows == [
        (
            "water-st",
            "Morgan Hiscock",
            "+17095550142",
            "morgan@example.com",
            "Beard trim on Saturday?",
        )
    ]
