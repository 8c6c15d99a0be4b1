"""What a receptionist typed, checked field by field, as the inbox checks an inquiries sheet:
the same phone, email, age and gender parsers (`chairside/contracts/cells.py`), so an inquiry
from the form and one from a spreadsheet match the same person in the warehouse.

Every field's problem is reported at once, keyed by the field, so the form can show each
message beside its input; an inquiry with any problem is not written anywhere.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping
from dataclasses import dataclass

from chairside.contracts import cells
from chairside.contracts.events import InquiryReceived
from chairside.core.phones import shop_region
from ingestion.inbox.shops_file import ShopBook
from ingestion.kafka.outgoing import InvalidEvent, contract_data, derived_event_id, event_message
from ingestion.kafka.producer import Outgoing

FIELDS = ("shop", "name", "phone", "email", "age", "gender", "inquiry", "channel")
CHANNELS = ("walk_in", "phone", "web", "form")
# The region a number without a country code is read in when the shop's zone names no country.
DEFAULT_REGION = "CA"


@dataclass(frozen=True, slots=True)
class Inquiry:
    shop_id: str
    data: InquiryReceived
    message: Outgoing  # the `inquiry.received` event


class FormErrors(ValueError):
    """`errors` maps each field (FIELDS) to what is wrong with it."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{name}: {why}" for name, why in errors.items()))
        self.errors = errors


def _optional(value: str | None, parse, errors: dict[str, str], name: str):
    if value is None or not value.strip():
        return None
    try:
        return parse(value)
    except cells.CellError as error:
        errors[name] = str(error)
        return None


def read_form(
    values: Mapping[str, str | None], book: ShopBook, *, received_at: dt.datetime
) -> Inquiry:
    """The inquiry the form describes, stamped `received_at` (when it was taken: a load time
    from the wall clock); `FormErrors` when any field is wrong."""
    errors: dict[str, str] = {}
    shop = book.shops.get((values.get("shop") or "").strip())
    if shop is None:
        errors["shop"] = "Pick the shop the inquiry is for."
    name = (values.get("name") or "").strip()
    if not name:
        errors["name"] = "Enter the person's name."
    region = (shop_region(shop.time_zone) if shop else None) or DEFAULT_REGION
    phone = _optional(values.get("phone"), lambda v: cells.phone(v, region)[1], errors, "phone")
    email = _optional(values.get("email"), cells.email, errors, "email")
    age = _optional(values.get("age"), cells.age, errors, "age")
    gender = _optional(values.get("gender"), cells.gender, errors, "gender")
    if "phone" not in errors and "email" not in errors and phone is None and email is None:
        errors["phone"] = "Enter a phone number or an email, so the shop can answer."
    message = (values.get("inquiry") or "").strip()
    if not message:
        errors["inquiry"] = "Write what the person asked."
    channel = (values.get("channel") or "").strip()
    if channel not in CHANNELS:
        errors["channel"] = f"Pick how the inquiry came in ({', '.join(CHANNELS)})."
    if errors:
        raise FormErrors(errors)
    assert shop is not None
    inquiry_id = str(uuid.uuid4())
    fields = {
        "inquiry_id": inquiry_id,
        "customer_name": name,
        "phone": phone,
        "email": email,
        "age": age,
        "gender": gender,
        "message": message,
        "channel": channel,
        "created_at": received_at,
    }
    try:
        data = contract_data("inquiry.received", fields)
        outgoing = event_message(
            event_type="inquiry.received",
            event_id=derived_event_id("inquiry", inquiry_id),
            shop_id=shop.shop_id,
            occurred_at=received_at,
            data=data,
            received_at=received_at,
        )
    except InvalidEvent as error:  # a NUL pasted into a field, say
        raise FormErrors({"inquiry": f"The inquiry cannot be stored: {error}"}) from None
    assert isinstance(data, InquiryReceived)
    return Inquiry(shop.shop_id, data, outgoing)
