"""Parsers for the cells people type into spreadsheets.

Each parser takes a raw cell (whatever openpyxl or the CSV reader produced) and returns a typed
value or raises `CellError` with a reason a shop manager can act on. None of them guesses
silently: an ambiguous or unreadable value is an error, and the row goes to quarantine.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from functools import cache
from zoneinfo import available_timezones

import phonenumbers
from openpyxl.utils.datetime import from_excel


class CellError(ValueError):
    """A cell that cannot be read; the message is the quarantine reason."""


Cell = str | int | float | dt.datetime | dt.date | dt.time | bool | None

# Excel serials outside this window are almost certainly not dates (1950 .. 2100).
_SERIAL_MIN, _SERIAL_MAX = 18264, 73051

_DATE_FORMATS_YMD = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y%m%d")
_DATE_FORMATS_DMY = ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%d/%m/%y")
_DATE_FORMATS_MDY = ("%m/%d/%Y", "%m-%d-%Y", "%m/%d/%y")
_DATE_FORMATS_WORDS = (
    "%d %b %Y",
    "%d %B %Y",
    "%b %d %Y",
    "%B %d %Y",
    "%b %d, %Y",
    "%B %d, %Y",
    "%d-%b-%Y",  # Excel's d-mmm-yyyy and d-mmm-yy, as its CSV export writes a date cell
    "%d-%b-%y",
    "%A, %B %d, %Y",  # Excel's long date
    "%A %d %B %Y",
)
_TIME_FORMATS = ("%H:%M:%S", "%H:%M", "%I:%M:%S %p", "%I:%M %p", "%I %p", "%I:%M%p", "%I%p")
# A time of day at the end of a date-and-time text: `10:32`, `2:05 PM`, `9am`.
_TIME_TAIL_RE = re.compile(r"\s(\d{1,2}(?::\d{2}){0,2}\s?(?:[AaPp][Mm])?)$")
_OFFSET_RE = re.compile(r"(Z|[+-]\d{2}:?\d{2})$")
_MERIDIEM_RE = re.compile(r"\b([AaPp])\.?\s?[Mm]\.?(?=\s|$)")


def _meridiem(raw: str) -> str:
    """`2:05 p.m.`, `2:05 pm`, `2:05 P.M.` as `2:05 PM`, the one spelling strptime reads."""
    return _MERIDIEM_RE.sub(lambda match: f"{match.group(1).upper()}M", raw)


def is_blank(value: Cell) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def text(value: Cell) -> str | None:
    """Trimmed text with inner runs of white space folded; numbers as typed (no `.0`)."""
    if is_blank(value):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())


def _serial_to_datetime(value: float) -> dt.datetime:
    if not _SERIAL_MIN <= value <= _SERIAL_MAX:
        raise CellError(f"number {value!r} is not a plausible Excel date serial")
    return from_excel(value)


def _strip_offset(raw: str) -> tuple[str, int | None]:
    match = _OFFSET_RE.search(raw)
    body = raw[: match.start()].rstrip() if match else raw
    # An offset follows a time of day; in `14-03-2026` or `14-Mar-2026` the `-2026` is a year.
    if not match or ":" not in body:
        return raw, None
    token = match.group(1)
    if token == "Z":
        return body, 0
    sign = -1 if token[0] == "-" else 1
    digits = token[1:].replace(":", "")
    return body, sign * (int(digits[:2]) * 60 + int(digits[2:]))


def date_formats(order: str) -> tuple[str, ...]:
    """Text date formats to try, for a column whose day/month order is `order` (DMY or MDY)."""
    middle = _DATE_FORMATS_DMY if order == "DMY" else _DATE_FORMATS_MDY
    return _DATE_FORMATS_YMD + middle + _DATE_FORMATS_WORDS


def infer_date_order(values: list[Cell], default: str) -> str:
    """Decide DMY or MDY for a whole column from the values that only one order can read.

    `04/03/2025` is ambiguous; `24/03/2025` is not. One unambiguous value settles the column, so
    the ambiguous ones are read the same way as their neighbours rather than guessed row by row.
    """
    for value in values:
        if not isinstance(value, str):
            continue
        match = re.match(r"\s*(\d{1,2})[/.-](\d{1,2})[/.-]\d{2,4}", value)
        if not match:
            continue
        first, second = int(match.group(1)), int(match.group(2))
        if first > 12 >= second:
            return "DMY"
        if second > 12 >= first:
            return "MDY"
    return default


def _parse_text_datetime(raw: str, order: str) -> tuple[dt.datetime, int | None]:
    body, offset = _strip_offset(raw.strip())
    try:
        parsed = dt.datetime.fromisoformat(body)
        return parsed.replace(tzinfo=None), offset
    except ValueError:
        pass
    # The date and the time of day are read apart: every pairing of their formats would be
    # more patterns than strptime keeps compiled, and each cell would compile them again.
    body = _meridiem(" ".join(body.split()))
    tail = _TIME_TAIL_RE.search(body)
    day = _first_parse(body[: tail.start()] if tail else body, date_formats(order))
    clock = _first_parse(tail.group(1).upper(), _TIME_FORMATS) if tail else None
    if day is None or (tail and clock is None):
        raise CellError(f"cannot read {raw!r} as a date and time")
    return dt.datetime.combine(day.date(), clock.time() if clock else dt.time()), offset


def _first_parse(text: str, formats: tuple[str, ...]) -> dt.datetime | None:
    for text_format in formats:
        try:
            return dt.datetime.strptime(text, text_format)
        except ValueError:
            continue
    return None


def timestamp(value: Cell, order: str = "DMY") -> tuple[dt.datetime, int | None]:
    """A wall-clock timestamp and its UTC offset in minutes (None when the cell had none).

    Spreadsheet times without an offset are the shop's local time (docs/contracts.md), so the offset
    is kept apart and the conversion happens where the shop's time zone is known.
    """
    if is_blank(value):
        raise CellError("is empty")
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            offset = value.utcoffset()
            minutes = int(offset.total_seconds() // 60) if offset is not None else None
            return value.replace(tzinfo=None), minutes
        return value, None
    if isinstance(value, dt.date):
        return dt.datetime.combine(value, dt.time()), None
    if isinstance(value, bool):
        raise CellError(f"{value!r} is not a date")
    if isinstance(value, int | float):
        return _serial_to_datetime(float(value)), None
    if isinstance(value, str):
        stripped = value.strip()
        # A number typed as text is a serial when it could be one; `20260314` is a date.
        if re.fullmatch(r"\d+(\.\d+)?", stripped) and float(stripped) <= _SERIAL_MAX:
            return _serial_to_datetime(float(stripped)), None
        return _parse_text_datetime(stripped, order)
    raise CellError(f"cannot read {value!r} as a date and time")


def date(value: Cell, order: str = "DMY") -> dt.date:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    parsed, _ = timestamp(value, order)
    if parsed.time() != dt.time():
        raise CellError(f"{value!r} has a time of day where a date was expected")
    return parsed.date()


def time_of_day(value: Cell) -> dt.time:
    """Opening and closing times: `09:00`, `9am`, `5:30 PM`, an Excel time or day fraction."""
    if is_blank(value):
        raise CellError("is empty")
    if isinstance(value, dt.time):
        return value
    if isinstance(value, dt.datetime):
        return value.time()
    if isinstance(value, int | float) and not isinstance(value, bool) and 0 <= value < 1:
        # to the minute; a fraction within half a minute of midnight stays on this day
        minutes = min(round(float(value) * 24 * 60), 24 * 60 - 1)
        return dt.time(minutes // 60, minutes % 60)
    raw = str(value).strip().upper().replace(".", "")
    for time_format in _TIME_FORMATS:
        try:
            return dt.datetime.strptime(raw, time_format).time()
        except ValueError:
            continue
    raise CellError(f"cannot read {value!r} as a time of day")


_MONEY_JUNK = re.compile(r"[A-Za-z$€£¥\s\u00a0']")


def decimal(value: Cell) -> Decimal:
    """Numbers as people type them: `$1,234.50`, `CA$ 45`, `45,50`, `(12.00)`, `1 234,5`."""
    if is_blank(value):
        raise CellError("is empty")
    if isinstance(value, bool):
        raise CellError(f"{value!r} is not a number")
    if isinstance(value, int | float | Decimal):
        return _plausible(Decimal(str(value)), value)
    raw = str(value).strip()
    negative = raw.startswith("(") and raw.endswith(")")
    cleaned = _MONEY_JUNK.sub("", raw.strip("()"))
    if cleaned.startswith("-"):
        negative, cleaned = True, cleaned[1:]
    if "," in cleaned and "." in cleaned:
        decimal_mark = "," if cleaned.rfind(",") > cleaned.rfind(".") else "."
        thousands = "." if decimal_mark == "," else ","
        cleaned = cleaned.replace(thousands, "").replace(decimal_mark, ".")
    elif "," in cleaned:
        head, _, tail = cleaned.rpartition(",")
        cleaned = (
            f"{head.replace(',', '')}.{tail}" if len(tail) in (1, 2) else cleaned.replace(",", "")
        )
    if not re.fullmatch(r"\d+(\.\d+)?|\.\d+", cleaned):
        raise CellError(f"cannot read {raw!r} as a number")
    try:
        number = Decimal(cleaned)
    except InvalidOperation:
        raise CellError(f"cannot read {raw!r} as a number") from None
    return _plausible(-number if negative else number, value)


# No price, percentage or age on a shop's spreadsheet comes near this; a larger value is a typo
# or a mangled cell, and would not fit the warehouse's DECIMAL(10,2) (at most 99,999,999.99).
_LARGEST = Decimal(10) ** 8


def _plausible(number: Decimal, value: Cell) -> Decimal:
    if not number.is_finite() or abs(number) >= _LARGEST:
        raise CellError(f"{value!r} is not a plausible amount")
    return number


def money(value: Cell) -> Decimal:
    amount = decimal(value)
    if amount < 0:
        raise CellError(f"{value!r} is negative")
    exponent = amount.as_tuple().exponent
    if isinstance(value, str) and isinstance(exponent, int) and exponent < -2:
        # `1.234` is 1234 where '.' groups thousands and 1.234 where it is the decimal point;
        # money typed with three decimals is one of the two, and guessing would be silent.
        raise CellError(f"{value!r} has more than two decimals (is '.' a thousands separator?)")
    # A number cell is what Excel computed (35 * 1.15 = 40.249999...), so it is rounded.
    return amount.quantize(Decimal("0.01"))


def percent(value: Cell) -> Decimal:
    """`40`, `40%`, or `0.4` from a cell formatted as a percentage all mean forty percent."""
    if isinstance(value, float) and 0 < value < 1:
        value = value * 100
    raw = value.replace("%", "") if isinstance(value, str) else value
    amount = decimal(raw)
    if not 0 <= amount <= 100:
        raise CellError(f"{value!r} is not a percentage between 0 and 100")
    return amount.quantize(Decimal("0.01"))


def whole_number(value: Cell, *, minimum: int = 0, maximum: int = 10_000) -> int:
    amount = decimal(value)
    if amount != amount.to_integral_value():
        raise CellError(f"{value!r} is not a whole number")
    if not minimum <= amount <= maximum:
        raise CellError(f"{value!r} is outside {minimum}..{maximum}")
    return int(amount)


def age(value: Cell) -> int:
    return whole_number(value, minimum=0, maximum=120)


def phone(value: Cell, region: str) -> tuple[str, str]:
    """The raw phone as written and its E.164 form, for matching one person across sources."""
    raw = text(value)
    if raw is None:
        raise CellError("is empty")
    try:
        parsed = phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException:
        raise CellError(f"cannot read {raw!r} as a phone number") from None
    possible = phonenumbers.is_possible_number_with_reason(parsed)
    if possible == phonenumbers.ValidationResult.IS_POSSIBLE_LOCAL_ONLY:
        # `555-0134` would become +15550134, which matches nobody: the area code is missing
        raise CellError(f"{raw!r} has no area code")
    if possible != phonenumbers.ValidationResult.IS_POSSIBLE:
        raise CellError(f"{raw!r} is not a possible phone number for region {region}")
    return raw, phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


_EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def email(value: Cell) -> str:
    """Emails compare case-insensitively in practice; stored lower-cased and trimmed."""
    raw = text(value)
    if raw is None:
        raise CellError("is empty")
    cleaned = raw.strip().lower()
    if not _EMAIL_RE.match(cleaned):
        raise CellError(f"{raw!r} is not an email address")
    return cleaned


_GENDERS = {
    "f": "female",
    "female": "female",
    "woman": "female",
    "w": "female",
    "m": "male",
    "male": "male",
    "man": "male",
    "x": "non_binary",
    "nb": "non_binary",
    "non-binary": "non_binary",
    "nonbinary": "non_binary",
    "non binary": "non_binary",
    "other": "other",
    "prefer not to say": "undisclosed",
    "undisclosed": "undisclosed",
    "unknown": "undisclosed",
}


def gender(value: Cell) -> str:
    raw = text(value)
    if raw is None:
        raise CellError("is empty")
    try:
        return _GENDERS[raw.lower()]
    except KeyError:
        raise CellError(f"{raw!r} is not a gender this loader knows") from None


_DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def open_days(value: Cell) -> list[str]:
    """`Mon-Sat`, `Tue,Wed,Thu`, `Monday to Friday`, `Mon-Fri, Sun` as ISO-ordered day names."""
    raw = text(value)
    if raw is None:
        raise CellError("is empty")
    days: set[int] = set()
    for part in re.split(r"[,;/&]|\band\b", raw.lower()):
        part = part.strip()
        if not part:
            continue
        bounds = [b.strip()[:3] for b in re.split(r"\s*(?:-|–|\bto\b)\s*", part)]
        if any(b not in _DAYS for b in bounds) or len(bounds) > 2:
            raise CellError(f"cannot read {raw!r} as opening days (try 'Mon-Sat' or 'Tue,Wed')")
        start, end = _DAYS.index(bounds[0]), _DAYS.index(bounds[-1])
        span = range(start, end + 1) if start <= end else [*range(start, 7), *range(0, end + 1)]
        days.update(span)
    return [_DAYS[i].capitalize() for i in sorted(days)]


def shop_slug(value: Cell) -> str:
    raw = text(value)
    if raw is None:
        raise CellError("is empty")
    slug = raw.lower()
    if not re.fullmatch(r"[a-z0-9-]{2,40}", slug):
        raise CellError(f"{raw!r} is not a shop id (lowercase letters, digits and '-', 2-40 long)")
    return slug


def time_zone(value: Cell) -> str:
    raw = text(value)
    if raw is None:
        raise CellError("is empty")
    if raw not in _time_zones():
        raise CellError(f"{raw!r} is not an IANA time zone such as America/St_Johns")
    return raw


@cache
def _time_zones() -> frozenset[str]:
    # Looked up in the list rather than by opening ZoneInfo(raw): a cell's text is not a path.
    return frozenset(available_timezones())


def currency(value: Cell) -> str:
    raw = text(value)
    if raw is None:
        raise CellError("is empty")
    code = raw.upper()
    if not re.fullmatch(r"[A-Z]{3}", code):
        raise CellError(f"{raw!r} is not a three-letter currency code")
    return code
