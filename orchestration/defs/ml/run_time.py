"""The instant an ML run takes as "now", so a run can be replayed as of a past moment."""

import datetime as dt

AS_OF_DESCRIPTION = "Run as if it were this instant (ISO 8601, UTC without an offset); default now."


def parse_as_of(as_of: str | None) -> dt.datetime:
    if as_of is None:
        return dt.datetime.now(dt.UTC)
    moment = dt.datetime.fromisoformat(as_of)
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
