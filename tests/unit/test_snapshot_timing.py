"""Each shop's snapshot is due once a week, at Monday 06:00 on its own clock, on a 15-minute
UTC schedule: St. John's half-hour offset and the change of clocks included."""

import datetime as dt
from zoneinfo import ZoneInfo

from orchestration.defs.reports.timing import TICK, TICK_CRON, due_shops, send_moment

ZONES = {
    "water-st": "America/St_Johns",
    "spring-garden": "America/Halifax",
    "queen-west": "America/Toronto",
    "kitsilano": "America/Vancouver",
}


def ticks(start: dt.datetime, days: int) -> list[dt.datetime]:
    return [start + n * TICK for n in range(days * 24 * 4)]


def test_every_shop_is_due_once_a_week_at_six_local_across_the_clock_change() -> None:
    # 26 Oct to 9 Nov 2026: clocks go back on Sunday 1 Nov in all four zones
    due: dict[str, list[dt.datetime]] = {shop: [] for shop in ZONES}
    for tick in ticks(dt.datetime(2026, 10, 25, tzinfo=dt.UTC), 16):
        for shop, moment in due_shops(tick, ZONES).items():
            assert moment <= tick < moment + TICK
            due[shop].append(tick)
    for shop, when in due.items():
        local = [tick.astimezone(ZoneInfo(ZONES[shop])) for tick in when]
        assert [(t.date().isoformat(), t.strftime("%a %H:%M")) for t in local] == [
            ("2026-10-26", "Mon 06:00"),
            ("2026-11-02", "Mon 06:00"),
            ("2026-11-09", "Mon 06:00"),
        ], shop
    # St. John's: 08:30 UTC in summer time, 09:30 after the change
    assert [t.strftime("%H:%M") for t in due["water-st"]] == ["08:30", "09:30", "09:30"]


def test_another_day_and_time_can_be_chosen() -> None:
    tick = dt.datetime(2026, 11, 13, 22, 0, tzinfo=dt.UTC)  # Friday 18:00 in Halifax
    due = due_shops(tick, ZONES, weekday=4, at=dt.time(18, 0))
    assert set(due) == {"spring-garden"}


def test_the_send_moment_belongs_to_the_local_week() -> None:
    # Sunday 23:30 in Vancouver is already Monday in UTC: the moment is still that Monday 06:00
    now = dt.datetime(2026, 11, 16, 7, 30, tzinfo=dt.UTC)
    moment = send_moment(now, "America/Vancouver")
    assert moment.isoformat() == "2026-11-09T06:00:00-08:00"


def test_the_schedule_ticks_on_every_utc_day_a_monday_six_oclock_can_fall_on() -> None:
    """UTC-12 to UTC+14: Monday 06:00 local is between Sunday 16:00 and Monday 18:00 in UTC."""
    cron_days = {int(day) for day in TICK_CRON.split()[-1].split(",")}
    for zone in ("Etc/GMT+12", "America/St_Johns", "UTC", "Asia/Kathmandu", "Pacific/Kiritimati"):
        moment = send_moment(dt.datetime(2026, 11, 16, 12, tzinfo=dt.UTC), zone)
        utc_day = (moment.astimezone(dt.UTC).weekday() + 1) % 7  # cron's Sunday is 0
        assert utc_day in cron_days, zone
