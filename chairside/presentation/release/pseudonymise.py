"""The analyst audience's view of contact data: no phone number, email or name in clear.

Each contact column is replaced by a keyed pseudonym (HMAC-SHA256 with CHAIRSIDE_PSEUDONYM_KEY),
so the same phone gives the same pseudonym in every mart and every release: joins, distinct
counts and "same caller" still work, while nobody without the key can turn a pseudonym back
into a number by hashing a phone book, as a plain hash would allow. The kind of value is part of
the message, so a phone and an email never share a pseudonym. Raw (unnormalised) copies and
free text (an inquiry's message can hold anything: a number, an address) are dropped: they
add nothing a pseudonym does not, and cannot be scrubbed reliably.

Pseudonyms are the kind and letters only (`phone_qkzv...`), so no scan for phone numbers ever
mistakes one for a number.
"""

from __future__ import annotations

import hashlib
import hmac

import duckdb
import pyarrow as pa

# column name (in any mart) -> kind of value it holds
PSEUDONYMISED = {
    "phone_e164": "phone",
    "from_number_e164": "phone",
    "email": "email",
    "owner_email": "email",
    "full_name": "name",
    "customer_name": "name",
    "caller_name": "name",
}
# `phone` is the number a shop's callers dial (dim_shop): no analyst question needs it.
DROPPED = frozenset({"first_name", "last_name", "phone_raw", "from_number_raw", "message", "phone"})

LOOKUP = "chairside_pseudonyms"  # a temporary table: never written to any release
_LENGTH = 16  # letters, ~75 bits: no collision among any shop chain's contacts
_LETTERS = bytes.maketrans(bytes(range(256)), bytes(97 + byte % 26 for byte in range(256)))


def pseudonym(key: bytes, kind: str, value: str) -> str:
    digest = hmac.digest(key, f"{kind}:{value}".encode(), hashlib.sha256)
    return f"{kind}_{digest[:_LENGTH].translate(_LETTERS).decode()}"


def build_lookup(
    con: duckdb.DuckDBPyConnection, key: str, relations: dict[str, list[tuple[str, str]]]
) -> None:
    """The temporary table (kind, value, pseudonym) of every contact value in `relations`
    (relation -> its (column, type)). Each distinct value is hashed once, in Python, rather
    than once per row in a UDF that holds the GIL across DuckDB's threads."""
    selects = [
        f"select distinct '{PSEUDONYMISED[column]}' as kind, \"{column}\" as value "
        f'from {relation} where "{column}" is not null'
        for relation, columns in relations.items()
        for column, type_ in columns
        if column in PSEUDONYMISED and type_ == "VARCHAR"
    ]
    pairs = con.execute(" union ".join(selects)).fetchall() if selects else []
    secret = key.encode()
    table = pa.table(
        {
            "kind": [kind for kind, _ in pairs],
            "value": [value for _, value in pairs],
            "pseudonym": [pseudonym(secret, kind, value) for kind, value in pairs],
        },
        schema=pa.schema(
            [("kind", pa.string()), ("value", pa.string()), ("pseudonym", pa.string())]
        ),
    )
    con.register(f"{LOOKUP}_arrow", table)
    con.execute(f"create or replace temp table {LOOKUP} as select * from {LOOKUP}_arrow")
    con.unregister(f"{LOOKUP}_arrow")


def analyst_select(columns: list[tuple[str, str]]) -> tuple[str, list[str], list[str]]:
    """The select list that makes a mart's analyst copy from (name, DuckDB type) columns, and
    the columns it drops and pseudonymises."""
    selected, dropped, replaced = [], [], []
    for name, type_ in columns:
        quoted = f'"{name}"'
        if name in DROPPED:
            dropped.append(name)
        elif name in PSEUDONYMISED and type_ == "VARCHAR":
            kind = PSEUDONYMISED[name]
            selected.append(
                f"(select pseudonym from {LOOKUP} where kind = '{kind}' and value = {quoted}) "
                f"as {quoted}"
            )
            replaced.append(name)
        else:
            selected.append(quoted)
    return ", ".join(selected), dropped, replaced
