"""The audit step of write-audit-publish for contact data: every text column of every table of
an analyst release is scanned for anything shaped like a phone number or an email address.

The pseudonymisation rules name the contact columns the marts have today; a column added later
(a new mart, a renamed field, a phone typed into a free-text field) would pass them by. This
scan catches it, and the release is refused rather than published.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

# An email address, and a phone number: seven or more digits, optionally led by + or grouped by
# spaces, dots, dashes or brackets (E.164 and the national formats people type).
EMAIL = r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}"
PHONE = r"(\+|\b)\(?\d{3}\)?[ .-]?\d{3}[ .-]?\d{4}\b|\+\d{7,15}\b"
PATTERNS = (("email", EMAIL), ("phone", PHONE))


@dataclass(frozen=True)
class Finding:
    table: str
    column: str
    kind: str  # "phone" or "email"
    rows: int
    example: str


def find_contacts(con: duckdb.DuckDBPyConnection, catalog: str = "") -> list[Finding]:
    """Every text column of every table in `con` (or in the attached `catalog`) that holds a
    phone number or an email address, with how many rows and one example. One scan per table."""
    where = f"table_catalog = '{catalog}' and " if catalog else ""
    prefix = f'"{catalog}".' if catalog else ""
    columns = con.execute(
        "select table_schema, table_name, list(column_name order by ordinal_position) "
        f"from information_schema.columns where {where} data_type = 'VARCHAR' "
        "group by all order by all"
    ).fetchall()
    findings = []
    for schema, table, names in columns:
        probes = [(name, kind, pattern) for name in names for kind, pattern in PATTERNS]
        measures = ", ".join(
            f"count(*) filter (where regexp_matches(\"{name}\", '{pattern}')), "
            f'any_value("{name}") filter (where regexp_matches("{name}", \'{pattern}\'))'
            for name, _, pattern in probes
        )
        row = con.execute(f'select {measures} from {prefix}"{schema}"."{table}"').fetchone()
        for number, (name, kind, _) in enumerate(probes):
            rows, example = row[2 * number], row[2 * number + 1]
            if rows:
                findings.append(Finding(f"{schema}.{table}", name, kind, rows, example))
    return findings
