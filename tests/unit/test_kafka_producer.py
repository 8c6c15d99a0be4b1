"""Publishing: the contract key of each message, and JSON-lines files as written by the demo."""

import json
from pathlib import Path

import pytest

from chairside.contracts.topics import APPOINTMENTS, CALLS
from ingestion.kafka.producer import Outgoing, key_of, read_jsonl, topic_of_file


def test_the_key_is_the_entity_id_of_the_topic() -> None:
    value = json.dumps({"event_type": "appointment.booked", "data": {"appointment_id": "ap-9"}})
    assert key_of(APPOINTMENTS, value.encode()) == b"ap-9"
    assert key_of(CALLS, value.encode()) is None  # no call_id in it


@pytest.mark.parametrize("value", [b'{"data": {"appointm', b"[1]", b'{"data": "ap-9"}', b"{}"])
def test_a_message_that_is_not_an_envelope_is_unkeyed(value: bytes) -> None:
    assert key_of(APPOINTMENTS, value) is None


def test_a_jsonl_file_is_one_message_per_non_blank_line(tmp_path: Path) -> None:
    path = tmp_path / f"{APPOINTMENTS.name}.jsonl"
    path.write_bytes(
        b'{"data":{"appointment_id":"a1"}}\r\n\n{"data":{"appointment_id":"a2"}}\n{"da'
    )
    assert topic_of_file(path) is APPOINTMENTS
    assert list(read_jsonl(path, APPOINTMENTS)) == [
        Outgoing(b"a1", b'{"data":{"appointment_id":"a1"}}'),
        Outgoing(b"a2", b'{"data":{"appointment_id":"a2"}}'),
        Outgoing(None, b'{"da'),
    ]


def test_a_file_not_named_after_a_topic_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="not a Chairside topic"):
        topic_of_file(tmp_path / "events.jsonl")
