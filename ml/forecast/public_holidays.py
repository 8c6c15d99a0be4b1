"""The public holidays a shop closes or gets busy for, as weekly events for Prophet.

Canadian holidays differ by province (Family Day is not the same Monday everywhere; Quebec has
Saint-Jean-Baptiste, Newfoundland its own calendar), and a shop's time zone almost always says
which province it is in. The exceptions are zones shared by two provinces, chiefly
`America/Toronto` for Ontario and most of Quebec: such a shop gets its province from the
`subdivisions` override, otherwise the zone's most populous province.
"""

from __future__ import annotations

import datetime as dt

import holidays
import pandas as pd

# IANA zones used in Canada -> the province or territory that mostly lives on them.
ZONE_PROVINCES = {
    "America/St_Johns": "NL",
    "America/Goose_Bay": "NL",
    "America/Halifax": "NS",
    "America/Glace_Bay": "NS",
    "America/Moncton": "NB",
    "America/Montreal": "QC",
    "America/Blanc-Sablon": "QC",
    "America/Toronto": "ON",
    "America/Nipigon": "ON",
    "America/Thunder_Bay": "ON",
    "America/Atikokan": "ON",
    "America/Iqaluit": "NU",
    "America/Rankin_Inlet": "NU",
    "America/Resolute": "NU",
    "America/Cambridge_Bay": "NU",
    "America/Winnipeg": "MB",
    "America/Regina": "SK",
    "America/Swift_Current": "SK",
    "America/Edmonton": "AB",
    "America/Yellowknife": "NT",
    "America/Inuvik": "NT",
    "America/Vancouver": "BC",
    "America/Dawson_Creek": "BC",
    "America/Fort_Nelson": "BC",
    "America/Creston": "BC",
    "America/Whitehorse": "YT",
    "America/Dawson": "YT",
}

OBSERVED_SUFFIX = " (observed)"


def province_for_time_zone(time_zone: str) -> str | None:
    """The province for a Canadian zone; None (national holidays only) for any other zone."""
    return ZONE_PROVINCES.get(time_zone)


def holiday_weeks(subdivision: str | None, start: dt.date, end: dt.date) -> pd.DataFrame:
    """Prophet's `holidays` frame: one row per holiday and the Monday of the week it falls in.

    The data are weekly, so a holiday is an effect on its whole week. An observed day keeps the
    holiday's own name: "Christmas Day (observed)" is the same event as Christmas Day.
    """
    calendar = holidays.country_holidays(
        "CA", subdiv=subdivision, years=range(start.year, end.year + 1)
    )
    rows = [
        (name.removesuffix(OBSERVED_SUFFIX), day - dt.timedelta(days=day.weekday()))
        for day, names in calendar.items()
        if start <= day <= end
        for name in names.split("; ")
    ]
    frame = pd.DataFrame(rows, columns=["holiday", "ds"]).drop_duplicates()
    return frame.assign(ds=pd.to_datetime(frame["ds"])).sort_values(
        ["ds", "holiday"], ignore_index=True
    )
