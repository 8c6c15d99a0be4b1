"""Pinning a run's clock from a schedule, a CLI or a test: the one piece of run config that
every asset and check of the run reads "today" from (`ClockResource`)."""

import datetime as dt


def clock_config(as_of: dt.date) -> dict:
    """Run config that pins the run's clock (every asset and check of it) to `as_of`."""
    return {"resources": {"clock": {"config": {"as_of": as_of.isoformat()}}}}
