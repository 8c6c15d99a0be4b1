"""Phone numbers as the shop's staff dial them.

The warehouse keeps numbers in E.164 (`+17095550100`); an owner reads and dials them the way
their country writes them (`(709) 555-0100`). A number from another country keeps its country
code, since that is what dialling it from the shop needs. The shop's country comes from its time
zone (the tz database's zone.tab names one country per zone, e.g. America/St_Johns -> CA); the
currency cannot say it (EUR is twenty countries).
"""

from __future__ import annotations

import csv
from functools import cache
from importlib.resources import files

import pandas as pd
import phonenumbers
from phonenumbers import PhoneNumberFormat

NO_PHONE = "no phone"


@cache
def _zone_countries() -> dict[str, str]:
    with files("tzdata").joinpath("zoneinfo", "zone.tab").open(encoding="utf-8") as table:
        rows = csv.reader((line for line in table if not line.startswith("#")), delimiter="\t")
        return {row[2]: row[0] for row in rows}


def shop_region(time_zone: str) -> str | None:
    """The ISO country code of the shop's time zone; None for a zone of no single country
    (UTC, Etc/...)."""
    return _zone_countries().get(time_zone)


def _parsed(phone: object) -> phonenumbers.PhoneNumber | None:
    """The number if it can be dialled; missing (None, NaN) and invalid numbers are not."""
    if not isinstance(phone, str) or not phone.strip():
        return None
    try:
        parsed = phonenumbers.parse(phone, None)
    except phonenumbers.NumberParseException:
        return None
    return parsed if phonenumbers.is_valid_number(parsed) else None


def display_phone(phone: object, region: str | None) -> str | None:
    """National format for a number of the shop's country, international otherwise; None when
    the number cannot be dialled."""
    parsed = _parsed(phone)
    if parsed is None:
        return None
    local = region is not None and phonenumbers.region_code_for_number(parsed) == region
    return phonenumbers.format_number(
        parsed, PhoneNumberFormat.NATIONAL if local else PhoneNumberFormat.INTERNATIONAL
    )


def tel_uri(phone: object) -> str | None:
    """`tel:+17095550100` (RFC 3966, E.164) for a dialable number, else None."""
    parsed = _parsed(phone)
    if parsed is None:
        return None
    return "tel:" + phonenumbers.format_number(parsed, PhoneNumberFormat.E164)


def text_or_none(value: object) -> str | None:
    """A text cell as str, or None for NULL/NaN/empty: pandas reads a NULL as NaN, which
    str() turns into the word "nan"."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    text = str(value).strip()
    return text or None
