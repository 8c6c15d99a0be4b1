"""The shop's appointment book: who is busy when, and where a new appointment still fits.

Capacity is what turns demand into realistic data: Saturdays fill up, demand is lost, and the
phone goes unanswered when every barber has a client in the chair.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from datetime import date, datetime

from chairside.demo.model import Shop, StaffMember


class Agenda:
    """Per staff member and day, the booked intervals in minutes after midnight, sorted."""

    def __init__(self, shop: Shop, roster: tuple[StaffMember, ...]) -> None:
        self._shop = shop
        self._roster = roster
        self._busy: dict[tuple[str, date], list[tuple[int, int]]] = {}
        self._on_duty: dict[date, tuple[str, ...]] = {}  # the roster changes rarely; days repeat

    def on_duty(self, day: date) -> tuple[str, ...]:
        """Staff ids working that day: everyone on the roster when the shop is open."""
        if day not in self._on_duty:
            working = self._shop.is_open_on(day)
            self._on_duty[day] = tuple(
                m.staff_id for m in self._roster if working and m.works_on(day)
            )
        return self._on_duty[day]

    def reserve(self, staff_id: str, day: date, start: int, duration: int) -> None:
        bisect.insort(self._busy.setdefault((staff_id, day), []), (start, start + duration))

    def release(self, staff_id: str, day: date, start: int, duration: int) -> None:
        self._busy[(staff_id, day)].remove((start, start + duration))

    def is_free(self, staff_id: str, day: date, start: int, duration: int) -> bool:
        intervals = self._busy.get((staff_id, day), [])
        index = bisect.bisect_left(intervals, (start, start))
        if index > 0 and intervals[index - 1][1] > start:
            return False
        return index == len(intervals) or intervals[index][0] >= start + duration

    def find(
        self,
        day: date,
        wanted: int,
        duration: int,
        staff_ids: Sequence[str],
        *,
        earliest: int = 0,
        max_shift: int = 600,
        step: int = 15,
    ) -> tuple[str, int] | None:
        """The free (staff, start) nearest to `wanted` (the later one at equal distance), trying
        staff in the given order at each time, so a client's own barber comes first. Starts stay
        within opening hours, not before `earliest` and at most `max_shift` minutes off."""
        on_duty = set(self.on_duty(day))
        staff = [staff_id for staff_id in staff_ids if staff_id in on_duty]
        first = max(self._shop.opens_minute, earliest)
        last = self._shop.closes_minute - duration
        for shift in range(0, max_shift + 1, step):
            for start in dict.fromkeys((wanted + shift, wanted - shift)):
                if first <= start <= last:
                    for staff_id in staff:
                        if self.is_free(staff_id, day, start, duration):
                            return staff_id, start
        return None

    def busy_share(self, moment: datetime) -> float:
        """Share of the staff on duty who have a client in the chair at `moment`."""
        on_duty = self.on_duty(moment.date())
        if not on_duty:
            return 0.0
        minute = moment.hour * 60 + moment.minute
        busy = sum(
            any(
                start <= minute < end
                for start, end in self._busy.get((staff_id, moment.date()), [])
            )
            for staff_id in on_duty
        )
        return busy / len(on_duty)
