"""The inbox against files that try to break it (issue #13: one bad record never stops the
warehouse, and nothing absurd gets in).

Every case drops real files (written by openpyxl, or encoded as other tools encode them) into a
folder and loads them into a DuckDB file, and asserts what a user would see: the load returns,
the good rows are in the raw table once, the bad row or file is in quarantine or rejected with a
reason naming the file (and the sheet, row and column), and for every file recorded, rows read
equal rows loaded plus rows quarantined.
"""

from __future__ import annotations

import codecs
import datetime as dt
import io
import json
import os
import subprocess
import sys
import threading
import time
import zipfile
from decimal import Decimal
from pathlib import Path

import dagster as dg
import duckdb
import pytest
from openpyxl import Workbook

from ingestion.inbox.kinds import KINDS
from ingestion.inbox.loader import FileResult, load_inbox

SHOPS_CSV = "Shop,Name,Time Zone\nwater-st,Water St Barbers,America/St_Johns\n"
DATA = Path(__file__).parents[1] / "data" / "inbox"


@pytest.fixture
def inbox(tmp_path: Path) -> Path:
    folder = tmp_path / "inbox"
    folder.mkdir()
    (folder / "shops.csv").write_text(SHOPS_CSV)
    return folder


@pytest.fixture
def con(tmp_path: Path):
    with duckdb.connect(str(tmp_path / "warehouse.duckdb")) as connection:
        yield connection


def load(con: duckdb.DuckDBPyConnection, inbox: Path, settle: float = 0) -> dict[str, FileResult]:
    """One load of the inbox; whatever the files hold, it returns (no exception escapes)."""
    results = {r.file_name: r for r in load_inbox(con, inbox, settle_seconds=settle)}
    assert_counts_reconcile(con)
    return results


def assert_counts_reconcile(con: duckdb.DuckDBPyConnection) -> None:
    """In = loaded + quarantined for every recorded file, and the tables hold what it says."""
    files = con.execute(
        "select file_id, file_name, kind, status, rows_read, rows_loaded, rows_quarantined "
        "from ops.inbox_files"
    ).fetchall()
    for file_id, name, kind, status, read, loaded, quarantined in files:
        assert read == loaded + quarantined, name
        if status != "loaded":
            assert (read, loaded, quarantined) == (0, 0, 0), name
            continue
        (in_table,) = con.execute(
            f"select count(*) from {KINDS[kind].table} where file_id = ?", [file_id]
        ).fetchone()
        (in_quarantine,) = con.execute(
            "select count(*) from ops.inbox_quarantine where file_id = ?", [file_id]
        ).fetchone()
        assert (in_table, in_quarantine) == (loaded, quarantined), name


def rows(con: duckdb.DuckDBPyConnection, sql: str) -> list[tuple]:
    return con.execute(sql).fetchall()


def quarantine(con: duckdb.DuckDBPyConnection) -> list[tuple]:
    return rows(
        con,
        "select file_name, sheet, row_number, column_name, reason, raw_values "
        "from ops.inbox_quarantine order by file_name, row_number",
    )


def workbook(path: Path, grid: list[list], title: str = "Sheet") -> Path:
    book = Workbook()
    book.active.title = title
    for line in grid:
        book.active.append(line)
    book.save(path)
    return path


def test_a_rejected_file_loads_once_it_is_fixed_and_the_rejection_stays_recorded(
    inbox: Path, con
) -> None:
    (inbox / "roster.csv").write_text("Shop,Staff ID,Name\nwater-st,S01,Ann\n")
    first = load(con, inbox)
    assert first["roster.csv"].message == (
        "roster.csv: rejected, the file name does not start with a known kind "
        "(shops, price_list, staff, customers, inquiries)"
    )
    load(con, inbox)  # looked at again: the same rejection is not recorded twice

    (inbox / "roster.csv").rename(inbox / "staff_roster.csv")  # the fix: same bytes, new name
    fixed = load(con, inbox)["staff_roster.csv"]

    assert (fixed.status, fixed.rows_loaded) == ("loaded", 1)
    assert rows(con, "select staff_id, name from raw_inbox.staff") == [("S01", "Ann")]
    assert rows(con, "select file_name, status from ops.inbox_files order by loaded_at") == [
        ("shops.csv", "loaded"),
        ("roster.csv", "rejected"),
        ("staff_roster.csv", "loaded"),
    ]
    assert load(con, inbox)["staff_roster.csv"].status == "skipped"  # and loads only once


def test_an_empty_file_is_rejected_as_empty_whatever_was_loaded_before(inbox: Path, con) -> None:
    (inbox / "customers_a.csv").write_bytes(b"")
    load(con, inbox)
    (inbox / "customers_b.xlsx").write_bytes(b"")

    results = load(con, inbox)

    for name in ("customers_a.csv", "customers_b.xlsx"):
        assert results[name].status == "rejected"
        assert results[name].message == f"{name}: rejected, the file is empty (0 bytes)"
    (inbox / "customers_b.xlsx").unlink()
    workbook(inbox / "customers_b.xlsx", [["Name", "Phone"], ["Ann Roy", "709 555 0101"]])
    assert load(con, inbox)["customers_b.xlsx"].rows_loaded == 1


def test_a_file_name_that_is_not_utf8_neither_breaks_the_sensor_nor_the_files_beside_it(
    inbox: Path, con, monkeypatch: pytest.MonkeyPatch
) -> None:
    from orchestration.defs.ingestion.inbox import inbox_tables
    from orchestration.defs.ingestion.inbox_sensor import inbox_job, inbox_sensor
    from orchestration.defs.resources import InboxResource, WarehouseResource

    monkeypatch.setenv("CHAIRSIDE_INBOX_SETTLE_SECONDS", "1")
    latin1 = inbox / os.fsdecode(b"customers caf\xe9 \xc3\xa9t\xc3\xa9.csv")  # half Latin-1
    latin1.write_bytes(b"Name,Phone\nAnn Roy,709 555 0101\n")
    (inbox / "staff 2026 – ünïcode.csv").write_text("Shop,Staff ID,Name\nwater-st,S01,Bo\n")
    settled = time.time() - 60
    for path in inbox.iterdir():
        os.utime(path, (settled, settled))

    with dg.instance_for_test() as instance:
        tick = None
        for _ in range(2):  # a file is reported at the second look that finds it unchanged
            tick = inbox_sensor(
                dg.build_sensor_context(
                    instance=instance,
                    cursor=tick.cursor if tick else None,
                    resources={
                        "inbox": InboxResource(path=str(inbox)),
                        "warehouse": WarehouseResource(path=str(inbox.parent / "none.duckdb")),
                    },
                )
            )
        job = dg.Definitions(
            assets=[inbox_tables],
            jobs=[inbox_job],
            resources={"inbox": InboxResource(), "warehouse": WarehouseResource()},
        ).resolve_job_def(inbox_job.name)
        for request in tick.run_requests:  # what the daemon does with each request
            instance.create_run_for_job(job_def=job, tags=request.tags, run_config={})
        stored = {run.tags["chairside/inbox_files"] for run in instance.get_runs()}
    assert stored == {"shops.csv", "customers caf\\xe9 été.csv", "staff 2026 – ünïcode.csv"}
    assert json.loads(tick.cursor).keys() == stored

    results = load(con, inbox)

    assert {name: r.status for name, r in results.items()} == dict.fromkeys(stored, "loaded")
    assert rows(con, "select file_name from ops.inbox_files order by file_name") == [
        ("customers caf\\xe9 été.csv",),
        ("shops.csv",),
        ("staff 2026 – ünïcode.csv",),
    ]


def test_a_file_still_being_written_is_left_for_later_never_loaded_half(inbox: Path, con) -> None:
    lines = ["Name,Phone,Email"] + [
        f"Person {n},709 555 {1000 + n:04d},p{n}@example.com" for n in range(400)
    ]
    whole = "\n".join(lines) + "\n"
    path = inbox / "customers_export.csv"
    half_written = threading.Event()

    def copy_slowly() -> None:  # a copy from a network share: 50 rows, then a trickle
        cut = len("\n".join(lines[:51])) + 12  # into the 51st row
        with path.open("w") as file:
            file.write(whole[:cut])
            file.flush()
            half_written.set()
            for start in range(cut, len(whole), 300):
                time.sleep(0.02)
                file.write(whole[start : start + 300])
                file.flush()

    writer = threading.Thread(target=copy_slowly)
    writer.start()
    half_written.wait()
    try:
        during = load(con, inbox, settle=0.3)["customers_export.csv"]
    finally:
        writer.join()

    assert (during.status, during.rows_read) == ("unsettled", 0)
    assert during.message == (
        "customers_export.csv: still being written (it changed within 0.3 s), left for the next run"
    )
    assert rows(con, "select count(*) from ops.inbox_files where kind = 'customers'") == [(0,)]
    after = load(con, inbox, settle=0.3)["customers_export.csv"]
    assert (after.status, after.rows_read, after.rows_loaded) == ("loaded", 400, 400)
    assert quarantine(con) == []


@pytest.mark.parametrize("share_clock_behind", [dt.timedelta(days=1), dt.timedelta(days=3650)])
def test_a_file_written_on_a_share_whose_clock_is_behind_is_never_loaded_half(
    inbox: Path, con, share_clock_behind: dt.timedelta
) -> None:
    """Each write stamps the file with the share's time, a day (or ten years) behind ours: the
    modification time says "old", the size says "still growing". The copy stalls 0.4 s between
    pieces, longer than a read takes, shorter than the settle time."""
    lines = ["Name,Phone"] + [f"Person {n},709 555 {2000 + n:04d}" for n in range(400)]
    path = inbox / "customers_share.csv"
    behind_ns = int(share_clock_behind.total_seconds() * 1e9)
    shops_copied = time.time_ns() - behind_ns  # the shops file came from the same share
    os.utime(inbox / "shops.csv", ns=(shops_copied, shops_copied))
    started = threading.Event()

    def write_on_the_share() -> None:
        with path.open("w") as file:
            for start in range(0, len(lines), 100):
                file.write("\n".join(lines[start : start + 100]) + "\n")
                file.flush()
                stamp = time.time_ns() - behind_ns
                os.utime(path, ns=(stamp, stamp))
                started.set()
                time.sleep(0.4)

    writer = threading.Thread(target=write_on_the_share)
    writer.start()
    started.wait()
    try:
        during = load(con, inbox, settle=0.8)["customers_share.csv"]
    finally:
        writer.join()

    assert (during.status, during.rows_read) == ("unsettled", 0)
    after = load(con, inbox, settle=0.8)["customers_share.csv"]
    assert (after.status, after.rows_read, after.rows_loaded) == ("loaded", 400, 400)
    assert quarantine(con) == []


@pytest.mark.parametrize(
    "encoding",
    ["utf-8", "utf-8-sig", "cp1252", "utf-16", "utf-16-le", "utf-16-be"],
    ids=["utf8", "utf8-bom", "windows-1252", "utf16-bom", "utf16le-no-bom", "utf16be-no-bom"],
)
def test_csv_encodings_are_detected(inbox: Path, con, encoding: str) -> None:
    text = "Name\tPhone\tEmail\r\nZoë Lévesque\t709 555 0101\tzoe@example.com\r\nBad\t12\t\r\n"
    content = codecs.encode(text, encoding)
    assert content.startswith(codecs.BOM_UTF16) == (encoding == "utf-16")
    (inbox / "customers_export.csv").write_bytes(content)

    result = load(con, inbox)["customers_export.csv"]

    assert (result.status, result.rows_read, result.rows_loaded) == ("loaded", 2, 1)
    assert rows(con, "select name, email from raw_inbox.customers") == [
        ("Zoë Lévesque", "zoe@example.com")
    ]
    ((name, sheet, row, column, reason, raw),) = quarantine(con)
    assert (name, sheet, row, column) == ("customers_export.csv", None, 3, "Phone")
    assert reason == "Phone '12' is not a possible phone number for region CA"
    assert json.loads(raw) == {"Name": "Bad", "Phone": "12", "Email": None}


def test_a_password_protected_workbook_is_named_as_such(inbox: Path, con) -> None:
    (inbox / "customers_locked.xlsx").write_bytes((DATA / "customers_locked.xlsx").read_bytes())

    result = load(con, inbox)["customers_locked.xlsx"]

    assert result.status == "rejected"
    assert result.message == (
        "customers_locked.xlsx: rejected, password-protected workbook: open it, remove the "
        "password (File > Info > Protect Workbook) and save it again"
    )


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        (
            "customers_scan.csv",
            b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00",
            "not a CSV: the file holds binary data (character 0x00 at position 8), not text: "
            "is it a spreadsheet or a CSV at all?",
        ),
        (
            "customers_old.xlsx",
            bytes.fromhex("d0cf11e0a1b11ae1") + b"\x00" * 504,
            "an old binary Excel (.xls) or other Office file: save it as .xlsx",
        ),
        (
            "customers_notes.xlsx",
            b"Name,Phone\nAnn,709 555 0101\n",
            "not an .xlsx workbook (its content is not a zip archive)",
        ),
    ],
    ids=["binary-as-csv", "xls-as-xlsx", "text-as-xlsx"],
)
def test_a_file_that_is_no_spreadsheet_is_rejected_saying_what_it_is(
    inbox: Path, con, name: str, content: bytes, reason: str
) -> None:
    (inbox / name).write_bytes(content)

    result = load(con, inbox)[name]

    assert (result.status, result.message) == ("rejected", f"{name}: rejected, {reason}")


def test_headers_match_ignoring_case_spaces_and_punctuation(inbox: Path, con) -> None:
    (inbox / "customers_pos.csv").write_text(
        "NAME,Phone #,E-mail,Loyalty Points\nAnn Roy,709 555 0101,ann@example.com,120\n"
    )
    (inbox / "customers_web.csv").write_text(
        "name,phone,e mail\nBo Li,709 555 0102,BO@example.com\n"
    )

    results = load(con, inbox)

    assert rows(con, "select name, email from raw_inbox.customers order by name") == [
        ("Ann Roy", "ann@example.com"),
        ("Bo Li", "bo@example.com"),
    ]
    assert results["customers_pos.csv"].extra_columns == ("Loyalty Points",)
    assert results["customers_web.csv"].extra_columns == ()
    assert rows(con, "select extra_columns from ops.inbox_files where kind = 'customers'") == [
        (["Loyalty Points"],),
        ([],),
    ]


def test_a_row_naming_an_unknown_shop_is_quarantined_whole(inbox: Path, con) -> None:
    (inbox / "staff.csv").write_text(
        "Shop,Staff ID,Name,Role,,Notes\n"
        "water-st,S01,Ann,Barber,,\n"
        "elm-st,S02,Bo,Stylist,x,new hire\n"
    )

    result = load(con, inbox)["staff.csv"]

    assert (result.rows_read, result.rows_loaded) == (2, 1)
    assert result.extra_columns == ("Notes",)
    ((name, sheet, row, column, reason, raw),) = quarantine(con)
    assert (name, sheet, row, column, reason) == (
        "staff.csv",
        None,
        3,
        "Shop",
        "Shop 'elm-st' is not a known shop",
    )
    assert json.loads(raw) == {
        "Shop": "elm-st",
        "Staff ID": "S02",
        "Name": "Bo",
        "Role": "Stylist",
        "column E": "x",
        "Notes": "new hire",
    }


def _cache_formula_result(path: Path, cell: str, value: str) -> None:
    """Store a formula's computed value in the file, as Excel does when it saves (openpyxl
    writes formulas without one)."""
    with zipfile.ZipFile(path) as source:
        parts = {name: source.read(name) for name in source.namelist()}
    sheet = "xl/worksheets/sheet1.xml"
    formula_cell = parts[sheet].decode()
    start = formula_cell.index(f'<c r="{cell}"')
    end = formula_cell.index("</c>", start)
    parts[sheet] = (
        formula_cell[:start]
        + formula_cell[start:end].replace("<v />", f"<v>{value}</v>").replace("<v/>", "")
        + formula_cell[end:]
    ).encode()
    with zipfile.ZipFile(path, "w") as target:
        for name, content in parts.items():
            target.writestr(name, content)


def test_a_header_below_merged_banners_formulas_dates_in_text_and_negative_prices(
    inbox: Path, con
) -> None:
    book = Workbook()
    sheet = book.active
    sheet.title = "Prices 2026"
    sheet.merge_cells("A1:E2")
    sheet["A1"] = "Water St Barbers – price list"
    sheet.merge_cells("A3:B3")
    sheet["A3"] = "Prices in CAD"
    sheet.append(["Shop", "Service Code", "Service", "Price", "Effective From"])  # row 4
    sheet.append(["water-st", "CUT", "Cut", 35, dt.date(2026, 2, 1)])
    sheet.append(["water-st", "FADE", "Fade", "=D5+5", dt.date(2026, 2, 1)])  # saved result
    sheet.append(["water-st", "KIDS", "Kids cut", "=D5-10", dt.date(2026, 2, 1)])  # never saved
    sheet.append(["water-st", dt.datetime(2026, 1, 2), "Beard", 20, dt.date(2026, 2, 1)])
    sheet.append(["water-st", "OOPS", "Refund", -5, dt.date(2026, 2, 1)])
    book.save(inbox / "price_list_2026.xlsx")
    _cache_formula_result(inbox / "price_list_2026.xlsx", "D6", "40")

    result = load(con, inbox)["price_list_2026.xlsx"]

    assert (result.rows_read, result.rows_loaded, len(result.quarantined)) == (5, 2, 3)
    assert rows(con, "select service_code, price from raw_inbox.price_list order by 1") == [
        ("CUT", Decimal("35.00")),
        ("FADE", Decimal("40.00")),
    ]
    assert [(q[1], q[2], q[3], q[4]) for q in quarantine(con)] == [
        ("Prices 2026", 7, "Price", "Price is empty"),
        (
            "Prices 2026",
            8,
            "Service Code",
            "Service Code holds the date 2026-01-02 00:00:00 where text was expected (did the "
            "spreadsheet turn it into a date? format the column as text and type it again)",
        ),
        ("Prices 2026", 9, "Price", "Price -5 is negative"),
    ]
    assert json.loads(quarantine(con)[0][5]) == {
        "Shop": "water-st",
        "Service Code": "KIDS",
        "Service": "Kids cut",
        "Price": None,
        "Effective From": "2026-02-01 00:00:00",
    }


def test_the_same_bytes_twice_load_once_and_a_changed_file_is_a_new_version(
    inbox: Path, con
) -> None:
    roster = "Shop,Staff ID,Name\nwater-st,S01,Ann\n"
    (inbox / "staff.csv").write_text(roster)
    load(con, inbox)
    (inbox / "staff (1).csv").write_text(roster)  # dropped again by a browser download

    again = load(con, inbox)
    assert again["staff (1).csv"].message == "same content already loaded as staff.csv"
    assert rows(con, "select count(*) from raw_inbox.staff") == [(1,)]

    (inbox / "staff.csv").write_text(roster + "water-st,S02,Bo\n")
    changed = load(con, inbox)["staff.csv"]
    assert (changed.status, changed.version, changed.rows_loaded) == ("loaded", 2, 2)
    assert rows(
        con,
        "select f.version, count(*) from raw_inbox.staff s join ops.inbox_files f "
        "using (file_id) group by 1 order by 1",
    ) == [(1, 1), (2, 2)]


def test_a_csv_that_is_really_a_workbook_is_read_as_one(inbox: Path, con) -> None:
    buffer = io.BytesIO()
    book = Workbook()
    book.active.title = "Clients"
    book.active.append(["Name", "Phone"])
    book.active.append(["Ann Roy", "709 555 0101"])
    book.save(buffer)
    (inbox / "customers_export.csv").write_bytes(buffer.getvalue())

    result = load(con, inbox)["customers_export.csv"]

    assert (result.status, result.rows_loaded) == ("loaded", 1)
    assert rows(con, "select sheet, name from raw_inbox.customers") == [("Clients", "Ann Roy")]


def test_a_huge_cell_is_quarantined_and_a_quote_left_open_rejects_the_file(
    inbox: Path, con
) -> None:
    (inbox / "inquiries_2026.csv").write_text(
        "Name,Phone,Inquiry,Timestamp,Shop\n"
        "Ann Roy,709 555 0101,Fade?,2026-03-02 10:00,water-st\n"
        f"Bo Li,709 555 0102,{'x' * 100_000},2026-03-02 11:00,water-st\n"
    )
    (inbox / "customers_broken.csv").write_text(
        'Name,Phone\nAnn Roy,"709 555 0101\n' + "Bo Li,709 555 0102\n" * 10_000
    )

    results = load(con, inbox)

    inquiries = results["inquiries_2026.csv"]
    assert (inquiries.rows_read, inquiries.rows_loaded) == (2, 1)
    ((_, sheet, row, column, reason, raw),) = quarantine(con)
    assert (sheet, row, column) == (None, 3, "Inquiry")
    assert reason == (
        "Inquiry is 100,000 characters long, more than a spreadsheet cell holds (32,767); "
        "is a quote left open?"
    )
    assert json.loads(raw)["Inquiry"] == "x" * 1000 + "… [100000 characters in all]"
    broken = results["customers_broken.csv"]
    assert broken.status == "rejected"
    assert broken.message == (
        "customers_broken.csv: rejected, not a readable CSV: the row starting at line 2 does "
        "not end by line 6900 (field larger than field limit (131072); is a quote left open?)"
    )


def test_a_warehouse_from_before_keeps_its_records_and_can_load_rejected_bytes(
    inbox: Path, con
) -> None:
    """ops.inbox_files used to be keyed by the content hash alone; its records are kept."""
    con.execute("create schema ops")
    con.execute(
        "create table ops.inbox_files (file_id varchar primary key, file_name varchar not null, "
        "kind varchar, version integer not null, size_bytes bigint not null, "
        "status varchar not null, message varchar, rows_read integer not null, "
        "rows_loaded integer not null, rows_quarantined integer not null, "
        "extra_columns varchar[], loaded_at timestamptz not null)"
    )
    roster = "Shop,Staff ID,Name\nwater-st,S01,Ann\n"
    old_rejection = "roster.csv: rejected, the file name does not start with a known kind"
    con.execute(
        "insert into ops.inbox_files values (sha256(?), 'roster.csv', null, 1, 35, "
        "'rejected', ?, 0, 0, 0, [], timestamptz '2026-01-05 10:00:00+00')",
        [roster, old_rejection],
    )
    (inbox / "staff.csv").write_text(roster)

    assert load(con, inbox)["staff.csv"].status == "loaded"
    assert rows(con, "select file_name, status from ops.inbox_files order by loaded_at") == [
        ("roster.csv", "rejected"),
        ("shops.csv", "loaded"),
        ("staff.csv", "loaded"),
    ]


def test_the_command_line_loads_without_dagster_and_says_what_became_of_each_file(
    inbox: Path, tmp_path: Path
) -> None:
    (inbox / "staff.csv").write_text("Shop,Staff ID,Name\nwater-st,S01,Ann\nelm-st,S02,Bo\n")
    (inbox / "customers_empty.xlsx").write_bytes(b"")
    env = {
        **os.environ,
        "CHAIRSIDE_INBOX": str(inbox),
        "CHAIRSIDE_DUCKDB_PATH": str(tmp_path / "cli.duckdb"),
        "CHAIRSIDE_INBOX_SETTLE_SECONDS": "0.1",
    }
    script = (
        "import sys\n"
        "from chairside.cli.main import main\n"
        "try:\n"
        "    main(['inbox', 'load'])\n"
        "except SystemExit as stop:\n"
        "    assert not any(m.startswith(('dagster', 'orchestration')) for m in sys.modules)\n"
        "    raise\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=False
    )

    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[1:] == [
        "  shops.csv: loaded (version 1), 1 rows read, 1 loaded, 0 quarantined",
        "  staff.csv: loaded (version 1), 2 rows read, 1 loaded, 1 quarantined",
        "    quarantined: row 3, Shop: Shop 'elm-st' is not a known shop",
        "  customers_empty.xlsx: rejected, the file is empty (0 bytes)",
        "3 files (2 loaded, 1 rejected); rows: 3 read, 2 loaded, 1 quarantined",
    ]
