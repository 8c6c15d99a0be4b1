"""The ground truth of a demo history: what really happened, before any source wrote it down.

Sources (Kafka, the CRM, spreadsheets) are renderings of these objects with their own ids,
spellings and gaps; tests compare what the pipeline reconstructs against this truth. All
datetimes are aware, in the shop's own zone, because every metric is defined in shop-local time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from enum import StrEnum
from functools import cache
from zoneinfo import ZoneInfo

WEEKDAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


@dataclass(frozen=True, slots=True)
class Shop:
    """A shop and its opening hours, one pair of hours for every open day (as the shops sheet)."""

    shop_id: str
    name: str
    city: str
    time_zone: str
    currency: str
    opens: str
    closes: str
    open_days: tuple[str, ...]
    open_days_written: str
    owner_email: str
    phone: str  # the number clients dial, as the shops sheet writes it
    code: str  # short prefix of staff and CRM ids
    area_codes: tuple[str, ...]  # where locals' phone numbers come from
    price_level: float  # neighbourhood price level; St. John's is 1.0

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)

    @property
    def opens_minute(self) -> int:
        return _minute_of_day(self.opens)

    @property
    def closes_minute(self) -> int:
        return _minute_of_day(self.closes)

    def is_open_on(self, day: date) -> bool:
        return WEEKDAY_NAMES[day.weekday()] in self.open_days

    def is_open_at(self, moment: datetime) -> bool:
        """Whether `moment` (in the shop's zone) is inside opening hours: the after-hours test."""
        minute = moment.hour * 60 + moment.minute
        return self.is_open_on(moment.date()) and self.opens_minute <= minute < self.closes_minute

    def at(self, day: date, minute: int) -> datetime:
        """The shop-local wall-clock moment `minute` minutes after midnight of `day`."""
        return datetime.combine(day, time(minute // 60, minute % 60), tzinfo=self.zone)


@cache  # asked for on every booking attempt; a shop has two such strings
def _minute_of_day(hh_mm: str) -> int:
    hours, minutes = hh_mm.split(":")
    return int(hours) * 60 + int(minutes)


@dataclass(frozen=True, slots=True)
class Service:
    """One row of one price list version: a service's price from `effective_from` on."""

    shop_id: str
    service_code: str
    name: str
    category: str
    duration_min: int
    price: Decimal
    effective_from: date


@dataclass(frozen=True, slots=True)
class StaffMember:
    shop_id: str
    staff_id: str
    name: str
    role: str
    commission_pct: int
    start_date: date
    end_date: date | None

    def works_on(self, day: date) -> bool:
        """On the roster that day: the staff side of utilization's denominator."""
        return self.start_date <= day and (self.end_date is None or day <= self.end_date)


class Cadence(StrEnum):
    """How a person really behaves; the label the churn and CLV models should rediscover."""

    REGULAR = "regular"
    OCCASIONAL = "occasional"
    ONE_TIMER = "one_timer"
    DRIFTER = "drifter"  # a regular for a while, then gone for good
    PROSPECT = "prospect"  # asked or called but never booked
    LAPSED = "lapsed"  # a client of the old POS who never came back after the go-live


class Gender(StrEnum):
    MALE = "male"
    FEMALE = "female"
    NONBINARY = "nonbinary"


@dataclass(frozen=True, slots=True)
class Person:
    """A real human, whatever ids and spellings the sources give them."""

    person_id: str
    first_name: str
    last_name: str
    phone: str  # E.164
    email: str | None  # canonical: lower case, no whitespace
    birth_year: int
    gender: Gender
    marketing_opt_in: bool
    home_shop_id: str
    cadence: Cadence
    created: date  # first contact with the chain; before the period for old POS clients


@dataclass(frozen=True, slots=True)
class CustomerProfile:
    """One version of a booking-system profile, as a `customer.upserted` event carries it."""

    customer_id: str
    person_id: str
    shop_id: str
    at: datetime
    first_name: str
    last_name: str | None
    phone: str | None  # as typed, not normalised
    email: str | None  # as typed
    birth_year: int | None
    gender: Gender | None
    marketing_opt_in: bool


class Channel(StrEnum):
    PHONE = "phone"
    ONLINE = "online"
    WALK_IN = "walk_in"  # in person at the shop, including rebooking at the counter


class AppointmentStatus(StrEnum):
    BOOKED = "booked"
    COMPLETED = "completed"
    CANCELLED = "cancelled"
    NO_SHOW = "no_show"


@dataclass(frozen=True, slots=True)
class Reschedule:
    at: datetime
    previous_start: datetime
    previous_staff_id: str


@dataclass(frozen=True, slots=True)
class Cancellation:
    at: datetime
    by: str  # customer | shop
    reason: str | None


@dataclass(frozen=True, slots=True)
class Completion:
    """The checkout: service revenue is the price in force on the service date less the discount."""

    at: datetime
    list_price: Decimal
    discount_pct: int
    service_revenue: Decimal
    product_revenue: Decimal
    tip: Decimal
    payment_method: str | None


@dataclass(frozen=True, slots=True)
class Appointment:
    """An appointment in its final state; `reschedule` remembers where it was first booked."""

    appointment_id: str
    shop_id: str
    customer_id: str
    person_id: str
    service_code: str
    duration_min: int
    quoted_price: Decimal
    channel: Channel
    call_id: str | None
    booked_at: datetime
    staff_id: str
    scheduled_start: datetime
    reschedule: Reschedule | None = None
    cancellation: Cancellation | None = None
    completion: Completion | None = None
    no_show_at: datetime | None = None

    @property
    def status(self) -> AppointmentStatus:
        if self.cancellation is not None:
            return AppointmentStatus.CANCELLED
        if self.completion is not None:
            return AppointmentStatus.COMPLETED
        if self.no_show_at is not None:
            return AppointmentStatus.NO_SHOW
        return AppointmentStatus.BOOKED

    @property
    def booked_start(self) -> datetime:
        """The start quoted when booking, before any reschedule."""
        return self.reschedule.previous_start if self.reschedule else self.scheduled_start

    @property
    def booked_staff_id(self) -> str:
        return self.reschedule.previous_staff_id if self.reschedule else self.staff_id


class CallOutcome(StrEnum):
    ANSWERED = "answered"
    MISSED = "missed"
    VOICEMAIL = "voicemail"


class CallIntent(StrEnum):
    BOOK = "book"
    RESCHEDULE = "reschedule"
    CANCEL = "cancel"
    PRICE = "price"
    HOURS = "hours"
    OTHER = "other"


@dataclass(frozen=True, slots=True)
class Call:
    call_id: str
    shop_id: str
    person_id: str | None  # None for robocalls and wrong numbers
    from_number: str  # as the phone system wrote it
    caller_name: str | None
    started_at: datetime
    duration_sec: int
    outcome: CallOutcome
    intent: CallIntent | None
    appointment_id: str | None


@dataclass(frozen=True, slots=True)
class Inquiry:
    """A question someone asked the front desk and the desk wrote down."""

    inquiry_id: str
    shop_id: str
    person_id: str
    at: datetime
    channel: str  # phone | walk_in | web | instagram
    message: str


@dataclass(frozen=True, slots=True)
class PlayedCampaign:
    """A past campaign the shop ran (chairside/demo/campaigns.py): its register entry, members
    by booking-system customer id, and the effect it truly had on the contacted."""

    campaign_id: str
    shop_id: str
    rule: str
    day: date
    seed: int
    treated: tuple[str, ...]
    control: tuple[str, ...]
    true_lift: float


@dataclass(frozen=True, slots=True)
class ShopHistory:
    """Everything that happened at one shop over the period, in the order it happened."""

    shop: Shop
    people: tuple[Person, ...]
    profiles: tuple[CustomerProfile, ...]
    appointments: tuple[Appointment, ...]
    calls: tuple[Call, ...]
    inquiries: tuple[Inquiry, ...]
    campaigns: tuple[PlayedCampaign, ...] = ()  # past campaigns the shop ran (demo/campaigns)
