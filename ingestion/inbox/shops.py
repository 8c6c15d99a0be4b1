"""Resolving the shop a row names (its id or its name) to a shop id from the shops config.

Rows of the kinds that name a shop keep what was written (`shop_ref`) and gain the resolved
`shop_id`; a row naming a shop the config does not know is quarantined, not guessed at.
"""

from __future__ import annotations

import re

import duckdb

from ingestion.inbox.kinds import SHOP_REF, Kind
from ingestion.inbox.parse import ParsedSheet

ShopDirectory = dict[str, str]  # every way a file may name a shop -> shop_id


def shop_key(name: object) -> str:
    """Shops match case- and space-insensitively (`Water St` == `water st`), not ignoring
    punctuation as headers do: `a-b` and `ab` may be two shops."""
    return re.sub(r"\s+", "", str(name)).lower()


def shop_directory(con: duckdb.DuckDBPyConnection) -> ShopDirectory:
    """Every shop ever loaded, by id and by name, written either way a header is matched."""
    directory: ShopDirectory = {}
    for shop_id, name in con.execute(
        "select distinct shop_id, name from raw_inbox.shops"
    ).fetchall():
        directory[shop_key(shop_id)] = shop_id
        directory[shop_key(name)] = shop_id
    return directory


def default_shop(file_name: str, directory: ShopDirectory) -> str | None:
    """A file without a Shop value belongs to the shop its name mentions, or to the only shop."""
    shop_ids = sorted(set(directory.values()))
    stem = file_name.lower()
    named = [shop_id for shop_id in shop_ids if shop_id in stem]
    if len(named) == 1:
        return named[0]
    return shop_ids[0] if len(shop_ids) == 1 else None


def resolve_shops(
    kind: Kind, file_name: str, parsed: ParsedSheet, directory: ShopDirectory
) -> None:
    """Set `shop_id` on each row, moving the rows whose shop cannot be told to quarantine."""
    fallback = default_shop(file_name, directory)
    kept = []
    for row in parsed.rows:
        ref = row.get(SHOP_REF[0])
        shop_id = directory.get(shop_key(ref)) if ref else fallback
        if shop_id is None and (ref or kind.rows_need_a_shop):
            reason = (
                f"Shop {ref!r} is not a known shop"
                if ref
                else "Shop is empty and the file name does not name a shop"
            )
            parsed.quarantine(row["row_number"], "Shop", reason)
            continue
        row["shop_id"] = shop_id
        kept.append(row)
    parsed.rows = kept
