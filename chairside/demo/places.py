"""Where demo shops are: Canadian cities, their IANA zones, area codes and local price levels."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Site:
    slug: str
    name: str
    city: str
    time_zone: str
    area_codes: tuple[str, ...]  # the first is the one most locals have
    code: str  # short prefix for staff and CRM ids; unique across sites
    price_level: float  # relative to St. John's


@dataclass(frozen=True, slots=True)
class Hours:
    opens: str
    closes: str
    open_days: tuple[str, ...]
    written: str  # how the owner typed Open Days into the shops sheet


# The order is part of the demo's contract: the first three are the default shops and the
# first one, in a half-hour zone, is the one every time-zone test looks at.
SITES: tuple[Site, ...] = (
    Site("water-st", "Water St", "St. John's", "America/St_Johns", ("709",), "ws", 1.0),
    Site("spring-garden", "Spring Garden", "Halifax", "America/Halifax", ("902", "782"), "sg", 1.0),
    Site(
        "queen-west", "Queen West", "Toronto", "America/Toronto", ("416", "647", "437"), "qw", 1.2
    ),
    Site(
        "osborne-village",
        "Osborne Village",
        "Winnipeg",
        "America/Winnipeg",
        ("204", "431"),
        "ov",
        0.95,
    ),
    Site("cathedral", "Cathedral", "Regina", "America/Regina", ("306", "639"), "ca", 0.95),
    Site(
        "kensington", "Kensington", "Calgary", "America/Edmonton", ("403", "587", "825"), "ke", 1.05
    ),
    Site(
        "commercial-drive",
        "Commercial Drive",
        "Vancouver",
        "America/Vancouver",
        ("604", "778", "236"),
        "cd",
        1.2,
    ),
    Site("mont-royal", "Mont-Royal", "Montreal", "America/Toronto", ("514", "438"), "mr", 1.05),
    Site("whyte-ave", "Whyte Ave", "Edmonton", "America/Edmonton", ("780", "587"), "wa", 1.0),
    Site("byward-market", "ByWard Market", "Ottawa", "America/Toronto", ("613", "343"), "bm", 1.1),
    Site("saint-roch", "Saint-Roch", "Quebec City", "America/Toronto", ("418", "581"), "sr", 0.95),
    Site("broadway-ave", "Broadway Ave", "Saskatoon", "America/Regina", ("306", "639"), "ba", 0.95),
    Site("fort-st", "Fort St", "Victoria", "America/Vancouver", ("250", "778"), "fs", 1.1),
    Site("queen-st", "Queen St", "Charlottetown", "America/Halifax", ("902", "782"), "qs", 0.95),
    Site("main-st", "Main St", "Moncton", "America/Moncton", ("506",), "ms", 0.95),
    Site(
        "james-st-north",
        "James St North",
        "Hamilton",
        "America/Toronto",
        ("905", "289", "365"),
        "jn",
        1.05,
    ),
    Site(
        "richmond-row",
        "Richmond Row",
        "London",
        "America/Toronto",
        ("519", "226", "548"),
        "rr",
        1.0,
    ),
    Site("front-st", "Front St", "Yellowknife", "America/Edmonton", ("867",), "fr", 1.15),
)

_WEEK = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")

# Shops cycle through these; one hours pair per shop because the shops sheet has only one.
HOURS: tuple[Hours, ...] = (
    Hours("09:00", "18:00", _WEEK[1:6], "Tue-Sat"),
    Hours("10:00", "19:00", _WEEK[0:6], "Mon,Tue,Wed,Thu,Fri,Sat"),
    Hours("10:00", "19:00", _WEEK, "Mon-Sun"),
    Hours("09:00", "17:30", _WEEK[0:6], "Mon-Sat"),
    Hours("08:30", "18:00", _WEEK[1:6], "Tue, Wed, Thu, Fri, Sat"),
    Hours("10:00", "20:00", _WEEK[1:7], "Tue-Sun"),
)
