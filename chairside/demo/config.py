"""The knobs of a demo run: a seed, how many shops, how long a history, how dirty."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

# A fixed default rather than `date.today()`: a config written down today must regenerate the
# same bytes next month. Callers wanting "a history up to today" pass the date explicitly.
DEFAULT_END_DATE = date(2026, 11, 15)

# Below a few weeks there is no cadence to observe and the price increase and the move from
# the spreadsheet log to the CRM would fall on the first day.
MIN_PERIOD_DAYS = 28

# The CRM replaced the front-desk spreadsheet at most this long before the end of the period.
CRM_MAX_AGE_DAYS = 365

# Beyond this the demo would show more dirt than business.
MAX_DIRTY_RATE = 0.05


@dataclass(frozen=True, slots=True)
class DemoConfig:
    """Everything that decides a demo dataset: equal configs give byte-identical files.

    `dirty_rate` is the share of records per source that are deliberately invalid (malformed
    JSON, missing fields, unparseable spreadsheet timestamps); any rate above 0 guarantees at
    least a handful of each kind so the dead-letter and quarantine paths always have work.
    """

    seed: int = 7
    shops: int = 3
    years: float = 2.0
    end_date: date = DEFAULT_END_DATE
    dirty_rate: float = 0.002

    def __post_init__(self) -> None:
        if self.shops < 1:
            raise ValueError(f"shops must be at least 1, got {self.shops}")
        if self.period_days < MIN_PERIOD_DAYS:
            raise ValueError(f"years={self.years} is shorter than {MIN_PERIOD_DAYS} days")
        if not 0.0 <= self.dirty_rate <= MAX_DIRTY_RATE:
            raise ValueError(
                f"dirty_rate must be within [0, {MAX_DIRTY_RATE}], got {self.dirty_rate}"
            )

    @property
    def period_days(self) -> int:
        return round(self.years * 365.25)

    @property
    def start_date(self) -> date:
        """First day of the history; the booking system went live on it."""
        return self.end_date - timedelta(days=self.period_days - 1)

    @property
    def crm_start(self) -> date:
        """First day logged in the CRM: inquiries before it live only in the spreadsheet log.

        The CRM covers the later half of the history, and never more than its last year, so
        long histories keep most of their inquiries in the legacy spreadsheets.
        """
        midpoint = self.start_date + timedelta(days=self.period_days // 2)
        return max(midpoint, self.end_date - timedelta(days=CRM_MAX_AGE_DAYS - 1))
