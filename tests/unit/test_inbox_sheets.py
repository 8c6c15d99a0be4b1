"""Whole rows, sheets and files of anything (hypothesis): every row read either loads or is
quarantined with a reason, the counts reconcile, and nothing crashes.

Sheets are what a reader hands the parser; files are written the way other tools write them
(openpyxl workbooks, CSV text in UTF-8 with a BOM or Windows-1252) and go through the whole
loader into DuckDB, whose column types are the last place a value could still fail.
"""

import csv
import datetime as dt
import io
from decimal import Decimal
from pathlib import Path

import duckdb
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from chairside.contracts import cells
from ingestion.inbox.kinds import KINDS, Kind, ParseContext
from ingestion.inbox.loader import load_inbox
from ingestion.inbox.parse import Header, find_header, parse_sheet
from ingestion.inbox.reader import Sheet
from tests.unit.test_inbox_cells import ANY_CELL

# What each column really holds, so that rows load as well as fail.
VALID: dict[str, list[cells.Cell]] = {
    "Shop": ["water-st", "Water St Barbers"],
    "Name": ["Zoë Beaulieu-Pelletier", "O’Brien, Pat"],
    "Time Zone": ["America/St_Johns"],
    "Currency": ["CAD", "usd"],
    "Opens": ["9am", 0.375, dt.time(9)],
    "Closes": ["7 PM", "18:30"],
    "Open Days": ["Tue-Sat", "Mon,Wed"],
    "Owner Email": ["owner@example.com"],
    "Premium Price": ["$100", 100],
    "Premium Share Target": ["30%", 0.3],
    "Price Realisation Target": ["98%", 98],
    "Retention Target": ["85%"],
    "Rebooking Target": ["60"],
    "Utilization Target": ["75%", 0.75],
    "Revenue per Hour Target": ["$60.00", 60],
    "New Client Growth Target": ["10%"],
    "Service Code": ["CUT"],
    "Service": ["Dégradé"],
    "Price": ["$35.00", 35, "1.040,50"],
    "Category": ["Hair"],
    "Duration (min)": [30, "45"],
    "Effective From": ["2026-02-01", dt.datetime(2026, 2, 1), 46054],
    "Staff ID": ["S01"],
    "Role": ["Barber"],
    "Commission %": ["40%", 0.4],
    "Start Date": ["01/02/2024"],
    "End Date": [None, "2026-12-31"],
    "Phone": ["(709) 555-0134", 7095550134, "+1 709 555 0111"],
    "Email": ["zoe@example.com", None],
    "Age": ["34", 34],
    "Gender": ["F", "male", "prefer not to say"],
    "Customer Since": ["14 Mar 2019", "2019-03-14"],
    "Inquiry": ["Price of a fade?"],
    "Timestamp": ["2026-03-14 10:32", dt.datetime(2026, 3, 14, 10, 32), 46100.5],
}
KIND = st.sampled_from(sorted(KINDS))


def data_rows(
    headers: list[str], junk: st.SearchStrategy[cells.Cell]
) -> st.SearchStrategy[list[tuple]]:
    """Rows under `headers`: valid ones, ones with junk in some cells (and one cell more or
    fewer), and blank ones between them."""
    valid = st.tuples(*(st.sampled_from(VALID[h]) for h in headers))
    mixed = st.tuples(
        *(st.one_of(st.sampled_from(VALID[h]), junk) for h in headers),
        st.lists(junk, max_size=1),
    ).map(lambda drawn: (*drawn[:-1], *drawn[-1]))
    short = mixed.map(lambda row: row[:-1])
    blank = st.sampled_from([(), (None,) * len(headers), ("", "  ")])
    return st.lists(st.one_of(valid, mixed, short, blank), max_size=20)


@given(kind_name=KIND, data=st.data())
def test_any_sheet_under_a_header_loads_or_quarantines_every_row(kind_name: str, data) -> None:
    kind = KINDS[kind_name]
    headers = data.draw(st.permutations([c.header for c in kind.columns]))
    titles = data.draw(
        st.lists(st.sampled_from([("Front desk log",), (), (None, None)]), max_size=4)
    )
    rows = data.draw(data_rows(headers, ANY_CELL))
    sheet = Sheet("Sheet1", [*titles, (*headers, "Notes"), *rows])

    header = find_header(kind, sheet)

    assert isinstance(header, Header) and header.row_number == len(titles) + 1
    assert header.extra == ("Notes",)
    parsed = parse_sheet(kind, sheet, header, ParseContext())
    assert parsed.rows_read == sum(any(not cells.is_blank(c) for c in row) for row in rows)
    assert parsed.rows_read == len(parsed.rows) + len(parsed.quarantined)
    known = {c.header for c in kind.columns}
    for quarantined in parsed.quarantined:
        assert quarantined.reason
        assert set(quarantined.column.split(", ")) <= known
        assert header.row_number < quarantined.row_number <= len(sheet.rows)
    for row in parsed.rows:  # a required column's value (its first field) is always there
        assert all(row[c.fields[0][0]] is not None for c in kind.required)


def _typed(kind: Kind, row: dict) -> bool:
    """Each parsed value has the Python type its DuckDB column takes."""
    python_types = {
        "VARCHAR": str,
        "INTEGER": int,
        "TIMESTAMP": dt.datetime,
        "DATE": dt.date,
        "TIME": dt.time,
        "VARCHAR[]": list,
    }
    for column in kind.columns:
        for name, sql_type in column.fields:
            expected = Decimal if sql_type.startswith("DECIMAL") else python_types[sql_type]
            if row[name] is not None and not isinstance(row[name], expected):
                return False
    return True


@given(kind_name=KIND, data=st.data())
def test_parsed_values_have_their_columns_types(kind_name: str, data) -> None:
    kind = KINDS[kind_name]
    headers = [c.header for c in kind.columns]
    rows = data.draw(data_rows(headers, ANY_CELL))
    sheet = Sheet(None, [tuple(headers), *rows])
    parsed = parse_sheet(kind, sheet, find_header(kind, sheet), ParseContext())
    assert all(_typed(kind, row) for row in parsed.rows)


SHOPS_CSV = "Shop,Name,Time Zone\nwater-st,Water St Barbers,America/St_Johns\n"
# Text openpyxl can store (no control characters, no `=` that would make it a formula) and
# Windows-1252 can encode.
CP1252_TEXT = st.text(
    alphabet=st.characters(codec="cp1252", exclude_categories=["Cc", "Cs"]), max_size=30
).filter(lambda text: not text.startswith("="))
FILE_CELL = st.one_of(
    CP1252_TEXT,
    st.none(),
    st.integers(-(10**6), 10**12),
    st.floats(allow_nan=False, allow_infinity=False),
)


def _write(path: Path, file_type: str, grid: list[list]) -> None:
    if file_type == "xlsx":
        workbook = Workbook()
        for row in grid:
            workbook.active.append(row)
        workbook.save(path)
        return
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";" if file_type == "csv;" else ",").writerows(grid)
    encoding = "cp1252" if file_type == "csv;" else "utf-8-sig"
    path.write_bytes(buffer.getvalue().encode(encoding))


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(kind_name=KIND, file_type=st.sampled_from(["xlsx", "csv", "csv;"]), data=st.data())
def test_any_file_is_loaded_or_rejected_and_its_counts_reconcile(
    tmp_path_factory, kind_name: str, file_type: str, data
) -> None:
    kind = KINDS[kind_name]
    headers = data.draw(
        st.one_of(
            st.permutations([c.header for c in kind.columns]),  # every column
            st.just([c.header for c in kind.required]),  # the required ones
            st.just([c.header for c in kind.required][1:]),  # one missing: rejected
        )
    )
    grid = [list(headers), *map(list, data.draw(data_rows(headers, FILE_CELL)))]
    if file_type != "xlsx":  # a CSV holds text
        grid = [["" if v is None else str(v) for v in row] for row in grid]
    inbox = tmp_path_factory.mktemp("inbox")
    (inbox / "shops.csv").write_text(SHOPS_CSV)
    suffix = "xlsx" if file_type == "xlsx" else "csv"
    _write(inbox / f"{kind_name}_dropped.{suffix}", file_type, grid)

    with duckdb.connect() as con:
        results = {r.file_name: r for r in load_inbox(con, inbox, settle_seconds=0)}
        result = results[f"{kind_name}_dropped.{suffix}"]

        assert result.status in ("loaded", "rejected", "skipped"), result.message
        if result.status == "rejected":
            assert result.message and "lacks required column" in result.message
        recorded = con.execute(
            "select rows_read, rows_loaded, rows_quarantined from ops.inbox_files "
            "where file_id = ?",
            [result.file_id],
        ).fetchone()
        assert recorded[0] == recorded[1] + recorded[2]
        assert con.execute(
            "select count(*) from ops.inbox_quarantine where file_id = ?", [result.file_id]
        ).fetchone() == (recorded[2],)
        if result.status == "loaded":
            assert recorded == (result.rows_read, result.rows_loaded, len(result.quarantined))
            assert result.rows_read == sum(
                any(str(v).strip() for v in row if v is not None) for row in grid[1:]
            )
            (in_table,) = con.execute(
                f"select count(*) from {kind.table} where file_id = ?", [result.file_id]
            ).fetchone()
            assert in_table == result.rows_loaded
