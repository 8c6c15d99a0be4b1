"""The webhook service as a phone system meets it: Twilio's signed status callbacks and the
generic JSON endpoint posted over HTTP to the real server, published to a Kafka-protocol
broker, then ingested by the project's own consumer into `raw_kafka.calls`."""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
from twilio.request_validator import RequestValidator

from chairside.contracts.topics import CALLS
from chairside.core.settings import WebhookSettings
from chairside.demo.local_broker import LocalKafkaBroker
from ingestion.kafka.consumer import ingest
from tests.kafka_broker import contract_broker, settings_for
from tests.webhook_server import webhook_server

pytestmark = pytest.mark.integration

TOKEN = "twilio-auth-token-for-tests"
SECRET = "shared-secret-for-tests"
PATH = "/webhooks/twilio/voice-status"
SHOPS = (
    "Shop,Name,Time Zone,Phone\n"
    "water-st,Water St,America/St_Johns,(709) 555-0100\n"
    "duckworth,Duckworth,America/St_Johns,+1 709 555 0111\n"
)


@pytest.fixture
def broker() -> Iterator[LocalKafkaBroker]:
    with contract_broker(partitions=2) as running:
        yield running


@pytest.fixture
def inbox(tmp_path: Path) -> Path:
    folder = tmp_path / "inbox"
    folder.mkdir()
    (folder / "shops.csv").write_text(SHOPS)
    return folder


@pytest.fixture
def server(broker: LocalKafkaBroker, inbox: Path) -> Iterator[str]:
    settings = WebhookSettings(
        twilio_auth_token=TOKEN, secret=SECRET, max_body_bytes=4096, kafka_timeout_seconds=3
    )
    with webhook_server(settings_for(broker), settings, inbox) as url:
        yield url


def post(url: str, body: bytes, headers: dict[str, str]) -> tuple[int, dict]:
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        text = error.read()
        try:
            return error.code, json.loads(text)
        except ValueError:
            return error.code, {"error": text.decode()}


def callback(sid: str, status: str, *, to: str = "+17095550100", duration: int = 0) -> dict:
    return {
        "AccountSid": "AC" + "0" * 32,
        "CallSid": sid,
        "CallStatus": status,
        "CallDuration": str(duration),
        "Direction": "inbound",
        "From": "+17095559876",
        "To": to,
        "CallerName": "Pat Power",
        "Timestamp": "Mon, 16 Nov 2026 14:05:00 +0000",
    }


def send_twilio(server: str, params: dict, *, token: str | None = TOKEN) -> tuple[int, dict]:
    url = server + PATH
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    if token is not None:
        headers["X-Twilio-Signature"] = RequestValidator(token).compute_signature(url, params)
    return post(url, urllib.parse.urlencode(params).encode(), headers)


def in_progress(server: str) -> dict:
    with urllib.request.urlopen(server + "/calls/in-progress", timeout=10) as response:
        return json.loads(response.read())


def stored_calls(broker: LocalKafkaBroker, warehouse: Path) -> list[tuple]:
    """Run the project's ingestion and read what reached `raw_kafka.calls`."""
    with duckdb.connect(str(warehouse)) as con:
        ingest(con, settings_for(broker), topics=[CALLS])
        return con.execute(
            "select shop_id, data->>'call_id', data->>'outcome', "
            "cast(data->>'duration_sec' as integer), data->>'started_at' "
            "from raw_kafka.calls order by 2"
        ).fetchall()


def test_final_statuses_reach_the_warehouse_once_despite_retries(
    server: str, broker: LocalKafkaBroker, tmp_path: Path
) -> None:
    answered = callback("CA-answered", "completed", duration=95)
    assert send_twilio(server, callback("CA-answered", "ringing"))[0] == 200
    assert in_progress(server) == {"water-st": {"ringing": 1, "on_the_line": 0}}
    assert send_twilio(server, answered) == (
        200,
        {
            "published": True,
            "shop_id": "water-st",
            "call_id": "CA-answered",
            "call_status": "completed",
        },
    )
    assert send_twilio(server, answered)[0] == 200  # Twilio's retry of the same callback
    assert in_progress(server) == {}
    missed = callback("CA-missed", "no-answer", to="+17095550111")
    assert send_twilio(server, missed)[0] == 200
    warehouse = tmp_path / "warehouse.duckdb"
    assert stored_calls(broker, warehouse) == [
        ("water-st", "CA-answered", "answered", 95, "2026-11-16T14:03:25Z"),
        ("duckworth", "CA-missed", "missed", 0, "2026-11-16T14:05:00Z"),
    ]
    assert send_twilio(server, answered)[0] == 200  # a retry after the warehouse loaded it
    assert len(stored_calls(broker, warehouse)) == 2


def test_forged_and_unsigned_callbacks_get_403_and_publish_nothing(
    server: str, broker: LocalKafkaBroker, tmp_path: Path
) -> None:
    params = callback("CA-forged", "completed", duration=30)
    status, body = send_twilio(server, params, token="not-the-shop-token")
    assert status == 403 and "does not match" in body["error"]
    assert send_twilio(server, params, token=None) == (
        403,
        {"error": "X-Twilio-Signature is missing"},
    )
    # signed, then altered in flight
    url = server + PATH
    signature = RequestValidator(TOKEN).compute_signature(url, params)
    tampered = {**params, "CallDuration": "3000"}
    status, _ = post(
        url,
        urllib.parse.urlencode(tampered).encode(),
        {"X-Twilio-Signature": signature, "Content-Type": "application/x-www-form-urlencoded"},
    )
    assert status == 403
    assert stored_calls(broker, tmp_path / "warehouse.duckdb") == []


def test_a_number_no_shop_lists_is_refused_with_the_reason(
    server: str, broker: LocalKafkaBroker, tmp_path: Path
) -> None:
    status, body = send_twilio(server, callback("CA-stranger", "completed", to="+17095550199"))
    assert status == 422
    assert "no shop lists +17095550199 in the shops file's Phone column" in body["error"]
    assert stored_calls(broker, tmp_path / "warehouse.duckdb") == []


def test_with_the_broker_down_503_and_the_retry_stores_the_call_once(
    server: str, broker: LocalKafkaBroker, tmp_path: Path
) -> None:
    params = callback("CA-outage", "busy")
    broker.set_down()
    status, body = send_twilio(server, params)
    assert status == 503 and "Kafka did not acknowledge" in body["error"]
    broker.set_up()
    assert send_twilio(server, params)[0] == 200
    assert [row[1:3] for row in stored_calls(broker, tmp_path / "warehouse.duckdb")] == [
        ("CA-outage", "missed")
    ]


def generic(server: str, payload: object, secret: str | None = SECRET) -> tuple[int, dict]:
    headers = {"Content-Type": "application/json"}
    if secret is not None:
        headers["Authorization"] = f"Bearer {secret}"
    return post(server + "/webhooks/calls", json.dumps(payload).encode(), headers)


def test_the_generic_endpoint_takes_contract_calls_with_the_secret_only(
    server: str, broker: LocalKafkaBroker, tmp_path: Path
) -> None:
    call = {
        "call_id": "pbx-7",
        "shop_id": "duckworth",
        "from": "+17095551234",
        "started_at": "2026-11-16T10:30:00-03:30",
        "duration_sec": 42,
        "outcome": "answered",
        "intent": "book",
    }
    assert generic(server, call, secret="guess")[0] == 403
    assert generic(server, call, secret=None)[0] == 403
    status, body = generic(server, {**call, "duration_sec": -1})
    assert status == 422 and "duration_sec" in body["error"]
    status, body = generic(server, {**call, "started_at": "1999-12-31T23:00:00Z"})
    assert status == 422 and "before 2000-01-01" in body["error"]
    assert generic(server, call)[0] == 200
    assert generic(server, call)[0] == 200  # the system's retry
    assert stored_calls(broker, tmp_path / "warehouse.duckdb") == [
        ("duckworth", "pbx-7", "answered", 42, "2026-11-16T10:30:00-03:30")
    ]


def test_oversized_requests_are_refused_and_health_answers(server: str) -> None:
    status, body = generic(server, {"call_id": "x" * 10_000})
    assert status == 413 and "4096 bytes" in body["error"]
    with urllib.request.urlopen(server + "/healthz", timeout=10) as response:
        assert json.loads(response.read()) == {
            "status": "ok",
            "shops": 2,
            "shop_phones": 2,
            "twilio": True,
            "generic": True,
        }
