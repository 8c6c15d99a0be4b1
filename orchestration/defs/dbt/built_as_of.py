"""Which as-of date the warehouse's incremental models were last built on, in `ops.build_clock`.

A build pinned to a past date holds that past in its incremental models (events after the date
are unknown to it). The next build on another date must recompute them from scratch, and so must
any build after a from-scratch build that died halfway; a build on the same date stays
incremental. One row: the date (NULL: unpinned, each shop's own today) and whether a build on it
has finished since the date changed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import duckdb

DDL = """
create schema if not exists ops;
create table if not exists ops.build_clock (
    as_of_date date,
    settled boolean not null,
    recorded_at timestamp with time zone not null
)
"""


@dataclass(frozen=True)
class BuildClock:
    as_of: dt.date | None
    settled: bool

    def needs_full_refresh(self, as_of: dt.date | None) -> bool:
        return as_of != self.as_of or not self.settled


# A warehouse built before the clock was recorded was built unpinned.
NEVER_RECORDED = BuildClock(as_of=None, settled=True)


def read(con: duckdb.DuckDBPyConnection) -> BuildClock:
    con.execute(DDL)
    row = con.execute("select as_of_date, settled from ops.build_clock").fetchone()
    return NEVER_RECORDED if row is None else BuildClock(row[0], row[1])


def record(con: duckdb.DuckDBPyConnection, clock: BuildClock) -> None:
    con.execute(DDL)
    con.execute("begin")
    con.execute("delete from ops.build_clock")
    con.execute("insert into ops.build_clock values (?, ?, now())", [clock.as_of, clock.settled])
    con.execute("commit")
