"""The front-desk form read as the inbox reads a front-desk log: every problem named at its
field, nothing made of a form with any; a good form is the contract's `inquiry.received`."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import msgspec
import pytest

from chairside.contracts.events import Envelope, InquiryReceived
from ingestion.front_desk.inquiry_form import FormErrors, read_form
from ingestion.inbox.shops_file import read_shop_book

TAKEN = dt.datetime(2026, 11, 16, 14, 5, tzinfo=dt.UTC)


@pytest.fixture
def book(tmp_path: Path):
    (tmp_path / "shops.csv").write_text(
        "Shop,Name,Time Zone,Phone\n"
        "water-st,Water St,America/St_Johns,(709) 555-0100\n"
        "soho,Soho,Europe/London,\n"
    )
    return read_shop_book(tmp_path)


GOOD = {
    "shop": "water-st",
    "name": "  Morgan Hiscock ",
    "phone": "(709) 555-0142",
    "email": "Morgan@Example.com",
    "age": "34",
    "gender": "prefer not to say",
    "inquiry": "Beard trim on Saturday?",
    "channel": "walk_in",
}


def test_a_good_form_is_the_contracts_inquiry(book) -> None:
    inquiry = read_form(GOOD, book, received_at=TAKEN)
    envelope = msgspec.json.decode(inquiry.message.value, type=Envelope)
    data = msgspec.json.decode(envelope.data, type=InquiryReceived)
    assert (envelope.event_type, envelope.shop_id, envelope.occurred_at) == (
        "inquiry.received",
        "water-st",
        TAKEN,
    )
    assert (data.customer_name, data.phone, data.email, data.age, data.gender) == (
        "Morgan Hiscock",
        "+17095550142",
        "morgan@example.com",
        34,
        "undisclosed",
    )
    assert (data.message, data.channel, data.created_at) == (
        "Beard trim on Saturday?",
        "walk_in",
        TAKEN,
    )
    assert inquiry.message.key == data.inquiry_id.encode()


def test_a_local_number_is_read_in_the_shops_country(book) -> None:
    inquiry = read_form({**GOOD, "shop": "soho", "phone": "020 7946 0018"}, book, received_at=TAKEN)
    assert inquiry.data.phone == "+442079460018"


def test_every_problem_is_named_at_its_field(book) -> None:
    with pytest.raises(FormErrors) as invalid:
        read_form(
            {
                "shop": None,
                "name": " ",
                "phone": "call me maybe",
                "email": "morgan at example",
                "age": "134",
                "gender": "",
                "inquiry": "",
                "channel": "carrier pigeon",
            },
            book,
            received_at=TAKEN,
        )
    assert invalid.value.errors == {
        "shop": "Pick the shop the inquiry is for.",
        "name": "Enter the person's name.",
        "phone": "cannot read 'call me maybe' as a phone number",
        "email": "'morgan at example' is not an email address",
        "age": "'134' is outside 0..120",
        "inquiry": "Write what the person asked.",
        "channel": "Pick how the inquiry came in (walk_in, phone, web, form).",
    }


def test_a_way_to_answer_is_required(book) -> None:
    with pytest.raises(FormErrors) as invalid:
        read_form({**GOOD, "phone": "", "email": None}, book, received_at=TAKEN)
    assert invalid.value.errors == {
        "phone": "Enter a phone number or an email, so the shop can answer."
    }


def test_the_newest_shops_file_wins_and_a_broken_one_is_left_out(tmp_path: Path) -> None:
    older, newer, broken = (
        tmp_path / name for name in ("shops_1.csv", "shops_2.csv", "shops_3.xlsx")
    )
    older.write_text("Shop,Name,Time Zone,Phone\nwater-st,Water St,America/St_Johns,709 555 0100\n")
    newer.write_text("Shop,Name,Time Zone,Phone\nwater-st,Water St,America/St_Johns,709 555 0199\n")
    broken.write_bytes(b"not a workbook")
    os.utime(older, (1_700_000_000, 1_700_000_000))
    os.utime(newer, (1_700_000_100, 1_700_000_100))
    book = read_shop_book(tmp_path)
    assert book.phones == {"+17095550199": ("water-st",)}
