"""The inbox loader on files written the way other tools write them, into a real DuckDB file."""

import csv
import datetime as dt
import io
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest
from openpyxl import Workbook

from ingestion.inbox import loader
from ingestion.inbox.loader import load_inbox, summarize

SHOPS_CSV = (
    "Shop,Name,Time Zone,Currency,Opens,Closes,Open Days\n"
    "water-st,Water St Barbers,America/St_Johns,CAD,09:00,18:00,Tue-Sat\n"
    'queen-west,Queen West,America/Toronto,,10am,7 PM,"Mon,Tue,Wed,Thu,Fri,Sat"\n'
)


def write_inquiry_log(path: Path) -> None:
    """A front-desk log as staff keep it: a merged banner, the header on row 3, blank rows,
    trailing empty columns, timestamps as datetimes, text and Excel serials, a second sheet."""
    workbook = Workbook()
    log = workbook.active
    log.title = "March"
    log.merge_cells("A1:F1")
    log["A1"] = "Front desk log – Water St"
    log.append([])
    log.append(["NAME", "phone", " Inquiry ", "Time stamp", "Shop", "Notes", None, None])
    log.append(
        [
            "Jane Doe",
            "(709) 555-0134",
            "Price of a fade?",
            dt.datetime(2026, 3, 14, 10, 32),
            "water-st",
            "called back",
        ]
    )
    log.append(
        ["Bob Roy", "709.555.0199", "Open Saturday?", "24/03/2026 2:05 PM", "Water St Barbers"]
    )
    log.append([None, None, None, None, None, None, None, None])
    log.append(["Zoë Martin", "+1 709 555 0111", "Kids cut", 46100.5, None])
    log.append(["Bad Date", "709 555 0112", "Beard trim", "next tuesday", "water-st"])
    log.append(["Lost Shop", "709 555 0113", "Colour", "2026-03-20 11:00", "elm-st"])
    notes = workbook.create_sheet("Notes")
    notes.append(["Just a notes sheet, no inquiry headers here"])
    workbook.save(path)


@pytest.fixture
def con(tmp_path: Path):
    with duckdb.connect(str(tmp_path / "w.duckdb")) as connection:
        yield connection


def test_quirky_files_load_good_rows_and_quarantine_bad_ones(tmp_path: Path, con) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "shops.csv").write_text(SHOPS_CSV)
    write_inquiry_log(inbox / "inquiries_water-st.xlsx")

    totals = summarize(load_inbox(con, inbox, settle_seconds=0))

    # rows are counted as read, apart from where they end up: two shops, five inquiries
    assert totals["rows_read"] == 2 + 5
    assert totals["rows_loaded"] == 2 + 3
    assert totals["rows_quarantined"] == 2
    rows = con.execute(
        "select name, phone_raw, phone_e164, inquired_at, shop_ref, shop_id, row_number "
        "from raw_inbox.inquiries order by row_number"
    ).fetchall()
    assert rows == [
        (
            "Jane Doe",
            "(709) 555-0134",
            "+17095550134",
            dt.datetime(2026, 3, 14, 10, 32),
            "water-st",
            "water-st",
            4,
        ),
        (
            "Bob Roy",
            "709.555.0199",
            "+17095550199",
            dt.datetime(2026, 3, 24, 14, 5),
            "Water St Barbers",
            "water-st",
            5,
        ),
        # no Shop value: the file name names the shop
        (
            "Zoë Martin",
            "+1 709 555 0111",
            "+17095550111",
            dt.datetime(2026, 3, 19, 12, 0),
            None,
            "water-st",
            7,
        ),
    ]
    quarantined = con.execute(
        "select file_name, sheet, row_number, column_name, reason from ops.inbox_quarantine "
        "order by row_number"
    ).fetchall()
    assert quarantined == [
        (
            "inquiries_water-st.xlsx",
            "March",
            8,
            "Timestamp",
            "Timestamp cannot read 'next tuesday' as a date and time",
        ),
        ("inquiries_water-st.xlsx", "March", 9, "Shop", "Shop 'elm-st' is not a known shop"),
    ]
    (extra,) = con.execute(
        "select extra_columns from ops.inbox_files where file_name = 'inquiries_water-st.xlsx'"
    ).fetchone()
    assert extra == ["Notes"]
    shops = con.execute(
        "select shop_id, currency, opens, closes, open_days from raw_inbox.shops order by shop_id"
    ).fetchall()
    assert shops[0] == (
        "queen-west",
        None,
        dt.time(10),
        dt.time(19),
        ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat"],
    )


@pytest.mark.parametrize(
    ("encoding", "delimiter"), [("utf-8-sig", ","), ("cp1252", ";"), ("utf-8", "\t")]
)
def test_csv_encodings_and_delimiters(tmp_path: Path, con, encoding: str, delimiter: str) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "shops.csv").write_text(SHOPS_CSV)
    lines = [
        ["Shop", "Service Code", "Service", "Price", "Duration (min)", "Effective From", ""],
        ["water-st", "CUT", "Coupe homme", "$35,00", "30", "01/02/2026", ""],
        ["water-st", "FADE", "Dégradé", "1.040,50", "45", "2026-02-01", ""],
        ["water-st", "OOPS", "Négatif", "-5", "30", "2026-02-01", ""],
    ]
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter).writerows(lines)  # quotes as Excel's export does
    (inbox / "price_list_2026.csv").write_bytes(buffer.getvalue().encode(encoding))

    results = {r.file_name: r for r in load_inbox(con, inbox, settle_seconds=0)}

    price_list = results["price_list_2026.csv"]
    assert (price_list.rows_loaded, len(price_list.quarantined)) == (2, 1)
    assert price_list.quarantined[0].reason == "Price '-5' is negative"
    assert con.execute(
        "select service_code, service_name, price, effective_from from raw_inbox.price_list "
        "order by service_code"
    ).fetchall() == [
        ("CUT", "Coupe homme", Decimal("35.00"), dt.date(2026, 2, 1)),
        ("FADE", "Dégradé", Decimal("1040.50"), dt.date(2026, 2, 1)),
    ]


def test_missing_required_column_rejects_the_whole_file_naming_file_sheet_and_column(
    tmp_path: Path, con
) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    workbook = Workbook()
    workbook.active.title = "Clients"
    workbook.active.append(["Name", "Email"])
    workbook.active.append(["Ann", "ann@example.com"])
    workbook.save(inbox / "customers_2019.xlsx")

    (result,) = load_inbox(con, inbox, settle_seconds=0)

    assert result.status == "rejected"
    assert result.message == (
        "customers_2019.xlsx: rejected, sheet 'Clients' lacks required column(s) 'Phone'"
    )
    assert con.execute("select count(*) from raw_inbox.customers").fetchone() == (0,)


def test_same_content_loads_once_and_a_changed_file_is_a_new_version(tmp_path: Path, con) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "shops.csv").write_text(SHOPS_CSV)
    load_inbox(con, inbox, settle_seconds=0)
    (inbox / "shops_copy.csv").write_text(SHOPS_CSV)  # same bytes under another name

    second = load_inbox(con, inbox, settle_seconds=0)
    assert {r.status for r in second} == {"skipped"}
    assert con.execute("select count(*) from raw_inbox.shops").fetchone() == (2,)

    (inbox / "shops_copy.csv").unlink()
    (inbox / "shops.csv").write_text(SHOPS_CSV.replace("Queen West", "Queen West Barbers"))
    (third,) = load_inbox(con, inbox, settle_seconds=0)
    assert (third.status, third.version, third.rows_loaded) == ("loaded", 2, 2)
    assert con.execute(
        "select max(version) from ops.inbox_files where file_name = 'shops.csv'"
    ).fetchone() == (2,)


def test_a_file_of_no_known_kind_is_rejected_and_recorded(tmp_path: Path, con) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "notes.csv").write_text("a,b\n1,2\n")
    (result,) = load_inbox(con, inbox, settle_seconds=0)
    assert result.status == "rejected"
    assert "does not start with a known kind" in result.message


def inbox_with_shops(tmp_path: Path) -> Path:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "shops.csv").write_text(SHOPS_CSV)
    return inbox


def test_every_sheet_with_the_headers_loads_and_the_others_are_named(tmp_path: Path, con) -> None:
    inbox = inbox_with_shops(tmp_path)
    workbook = Workbook()
    march = workbook.active
    march.title = "March"
    march.append(["Name", "Phone", "Inquiry", "Timestamp", "Shop"])
    march.append(["Ann Roy", "709-555-0101", "Fade price?", "2026-03-02 10:00", "water-st"])
    march.append(["Bad Phone", "12", "Hours?", "2026-03-03 11:00", "water-st"])
    april = workbook.create_sheet("April")  # set up by someone else: title, order, spelling
    april.merge_cells("A1:D1")
    april["A1"] = "April inquiries"
    april.append([])
    april.append(["Notes: call back within a day"])
    april.append(["TIME STAMP", "shop", "name", "PHONE", "inquiry"])
    april.append([dt.datetime(2026, 4, 1, 9, 30), "Queen West", "Bo Li", 4165550199, "Beard?"])
    workbook.create_sheet("Totals").append(["Month", "Inquiries"])
    workbook.save(inbox / "inquiries_2026.xlsx")

    results = {r.file_name: r for r in load_inbox(con, inbox, settle_seconds=0)}

    result = results["inquiries_2026.xlsx"]
    assert (result.status, result.rows_read, result.rows_loaded) == ("loaded", 3, 2)
    assert [(q.sheet, q.row_number, q.column) for q in result.quarantined] == [
        ("March", 3, "Phone")
    ]
    assert result.message == (
        "inquiries_2026.xlsx: sheet 'Totals' lacks required column(s) 'Name', 'Phone', "
        "'Inquiry', 'Timestamp', not loaded"
    )
    assert con.execute(
        "select sheet, row_number, name, phone_e164, shop_id from raw_inbox.inquiries "
        "order by sheet"
    ).fetchall() == [
        ("April", 5, "Bo Li", "+14165550199", "queen-west"),
        ("March", 2, "Ann Roy", "+17095550101", "water-st"),
    ]


def test_header_rows_are_found_however_they_are_written(tmp_path: Path, con) -> None:
    inbox = inbox_with_shops(tmp_path)
    workbook = Workbook()
    sheet = workbook.active
    sheet.merge_cells("A1:E2")
    sheet["A1"] = "Water St Barbers – price list"
    sheet.append([])
    sheet.append(["Legend:", "Shop", "Price"])  # some required headers: not the header
    for _ in range(6):
        sheet.append([])
    sheet.append([" SHOP ", "Service\nCode", "service", "Price", "Price", None, None])
    sheet.append(["water-st", "CUT", "Cut", "$35", "$99", None, None])
    sheet.append([])
    sheet.append(["Shop", "Service Code", "Service", "Price"])  # the header again (printout)
    sheet.append(["water-st", "FADE", "Fade", "40,00"])
    workbook.save(inbox / "price_list_water-st.xlsx")

    results = {r.file_name: r for r in load_inbox(con, inbox, settle_seconds=0)}

    result = results["price_list_water-st.xlsx"]
    assert (result.rows_read, result.rows_loaded, result.quarantined) == (2, 2, [])
    assert result.extra_columns == ("Price",)  # the second Price column is not read
    assert con.execute(
        "select row_number, service_code, price from raw_inbox.price_list order by row_number"
    ).fetchall() == [(11, "CUT", Decimal("35.00")), (14, "FADE", Decimal("40.00"))]


def test_a_header_below_the_search_window_rejects_the_file_naming_what_is_missing(
    tmp_path: Path, con
) -> None:
    inbox = inbox_with_shops(tmp_path)
    lines = ["Exported list"] + [""] * 40 + ["Shop,Staff ID,Name", "water-st,S01,Ann"]
    (inbox / "staff_2026.csv").write_text("\n".join(lines) + "\n")

    results = {r.file_name: r for r in load_inbox(con, inbox, settle_seconds=0)}

    assert results["staff_2026.csv"].status == "rejected"
    assert results["staff_2026.csv"].message == (
        "staff_2026.csv: rejected, the file lacks required column(s) 'Shop', 'Staff ID', 'Name'"
    )


def test_customers_without_a_shop_load_unless_the_shop_they_name_is_unknown(
    tmp_path: Path, con
) -> None:
    inbox = inbox_with_shops(tmp_path)  # two shops: a file with no Shop names no single one
    (inbox / "customers_pos_export.csv").write_text(
        "Name,Phone,Email,Shop\n"
        "Ann Roy,709-555-0101,ann@example.com,\n"
        "Bo Li,416 555 0199,,Queen West\n"
        "Cy Young,709 555 0102,,elm-st\n"
    )
    (inbox / "customers_chain.csv").write_text("Name,Phone\nDee Poe,(709) 555-0103\n")

    results = {r.file_name: r for r in load_inbox(con, inbox, settle_seconds=0)}

    assert con.execute(
        "select name, shop_ref, shop_id from raw_inbox.customers order by name"
    ).fetchall() == [
        ("Ann Roy", None, None),
        ("Bo Li", "Queen West", "queen-west"),
        ("Dee Poe", None, None),
    ]
    (quarantined,) = results["customers_pos_export.csv"].quarantined
    assert (quarantined.row_number, quarantined.reason) == (4, "Shop 'elm-st' is not a known shop")


def test_a_shops_file_that_changes_hours_is_a_new_version_beside_the_old(
    tmp_path: Path, con
) -> None:
    inbox = inbox_with_shops(tmp_path)
    load_inbox(con, inbox, settle_seconds=0)
    (inbox / "shops.csv").write_text(SHOPS_CSV.replace("09:00,18:00", "08:30,20:00"))

    (result,) = [r for r in load_inbox(con, inbox, settle_seconds=0) if r.file_name == "shops.csv"]

    assert (result.status, result.version) == ("loaded", 2)
    assert con.execute(
        "select f.version, s.opens, s.closes from raw_inbox.shops s "
        "join ops.inbox_files f using (file_id) where s.shop_id = 'water-st' order by f.version"
    ).fetchall() == [(1, dt.time(9), dt.time(18)), (2, dt.time(8, 30), dt.time(20))]


def write_price_list(path: Path, rows: list[list], effective_from: bool = True) -> None:
    workbook = Workbook()
    header = ["Shop", "Service Code", "Service", "Price"]
    workbook.active.append([*header, "Effective From"] if effective_from else header)
    for row in rows:
        workbook.active.append(row)
    workbook.save(path)


def test_price_lists_keep_every_version_and_one_without_effective_from_loads(
    tmp_path: Path, con
) -> None:
    inbox = inbox_with_shops(tmp_path)
    write_price_list(inbox / "price_list_2025.xlsx", [["water-st", "CUT", "Cut", 30, "2025-01-01"]])
    write_price_list(
        inbox / "price_list_2026.xlsx",
        [
            ["water-st", "CUT", "Cut", 35, dt.datetime(2026, 2, 1)],
            ["water-st", "FADE", "Fade", 40, 46054],
        ],
    )
    write_price_list(
        inbox / "price_list_walk_in.xlsx", [["queen-west", "CUT", "Cut", 28]], effective_from=False
    )
    load_inbox(con, inbox, settle_seconds=0)
    # the 2026 list re-saved with a correction: a second version of the same file
    write_price_list(
        inbox / "price_list_2026.xlsx",
        [
            ["water-st", "CUT", "Cut", 36, dt.datetime(2026, 2, 1)],
            ["water-st", "FADE", "Fade", 40, 46054],
        ],
    )
    load_inbox(con, inbox, settle_seconds=0)

    assert con.execute(
        "select f.file_name, f.version, p.shop_id, p.service_code, p.price, p.effective_from "
        "from raw_inbox.price_list p join ops.inbox_files f using (file_id) "
        "order by f.file_name, f.version, p.service_code"
    ).fetchall() == [
        ("price_list_2025.xlsx", 1, "water-st", "CUT", Decimal("30.00"), dt.date(2025, 1, 1)),
        ("price_list_2026.xlsx", 1, "water-st", "CUT", Decimal("35.00"), dt.date(2026, 2, 1)),
        ("price_list_2026.xlsx", 1, "water-st", "FADE", Decimal("40.00"), dt.date(2026, 2, 1)),
        ("price_list_2026.xlsx", 2, "water-st", "CUT", Decimal("36.00"), dt.date(2026, 2, 1)),
        ("price_list_2026.xlsx", 2, "water-st", "FADE", Decimal("40.00"), dt.date(2026, 2, 1)),
        # no Effective From: staging dates it by the file's loaded_at, recorded beside it
        ("price_list_walk_in.xlsx", 1, "queen-west", "CUT", Decimal("28.00"), None),
    ]


def test_a_windows_1252_export_keeps_accents_and_curly_quotes(tmp_path: Path, con) -> None:
    inbox = inbox_with_shops(tmp_path)
    text = (
        "Liste des clients – export du 2026-03-01\r\n"
        "\r\n"
        "Name;Phone;Email;Age;Gender;Shop;Customer Since\r\n"
        "Zoë Beaulieu-Pelletier;(709) 555-0134;ZOE@Example.com ;34;F;water-st;14/03/2019\r\n"
        "Hélène O’Brien;709.555.0135;;;femme;water-st;2019-03-14\r\n"
        ";;;;;;\r\n"
        "François Lévesque;1 709 555 0136;;57;M;Queen West;14 mars 2019\r\n"
    )
    content = text.encode("cp1252")
    assert b"Zo\xeb" in content and b"O\x92Brien" in content  # really Windows-1252
    (inbox / "customers_legacy.csv").write_bytes(content)

    results = {r.file_name: r for r in load_inbox(con, inbox, settle_seconds=0)}

    result = results["customers_legacy.csv"]
    assert (result.rows_read, result.rows_loaded) == (3, 1)
    assert con.execute(
        "select name, email, age, customer_since from raw_inbox.customers"
    ).fetchall() == [("Zoë Beaulieu-Pelletier", "zoe@example.com", 34, dt.date(2019, 3, 14))]
    assert sorted((q.row_number, q.reason) for q in result.quarantined) == [
        (5, "Gender 'femme' is not a gender this loader knows"),
        (7, "Customer Since cannot read '14 mars 2019' as a date and time"),
    ]
    assert result.quarantined[0].raw["Name"] in ("Hélène O’Brien", "François Lévesque")


def test_a_file_naming_shops_waits_until_a_shops_file_has_loaded(tmp_path: Path, con) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    write_price_list(inbox / "price_list_2026.xlsx", [["water-st", "CUT", "Cut", 35, "2026-02-01"]])

    (waiting,) = load_inbox(con, inbox, settle_seconds=0)
    assert (waiting.status, waiting.message) == (
        "deferred",
        "price_list_2026.xlsx: waits for a shops file, no shop is known yet",
    )
    assert con.execute("select count(*) from ops.inbox_files").fetchone() == (0,)

    (inbox / "shops.csv").write_text(SHOPS_CSV)
    assert {r.file_name: r.status for r in load_inbox(con, inbox, settle_seconds=0)} == {
        "shops.csv": "loaded",
        "price_list_2026.xlsx": "loaded",
    }


def test_an_unsupported_file_is_rejected_and_lock_files_are_ignored(tmp_path: Path, con) -> None:
    inbox = inbox_with_shops(tmp_path)
    (inbox / "inquiries_2019.xls").write_bytes(b"\xd0\xcf\x11\xe0 old binary Excel")
    (inbox / "~$inquiries_2026.xlsx").write_bytes(b"owner lock")
    (inbox / ".DS_Store").write_bytes(b"\0")

    results = {r.file_name: r for r in load_inbox(con, inbox, settle_seconds=0)}

    assert set(results) == {"shops.csv", "inquiries_2019.xls"}
    assert results["inquiries_2019.xls"].message == (
        "inquiries_2019.xls: rejected, unsupported file type '.xls' (expected .xlsx or .csv)"
    )


def test_a_file_that_fails_unexpectedly_is_left_for_the_next_run_and_holds_up_nothing(
    tmp_path: Path, con, monkeypatch: pytest.MonkeyPatch
) -> None:
    inbox = inbox_with_shops(tmp_path)
    write_price_list(inbox / "price_list_2026.xlsx", [["water-st", "CUT", "Cut", 35, "2026-02-01"]])
    (inbox / "staff.csv").write_text("Shop,Staff ID,Name\nwater-st,S01,Ann\n")
    parse_file = loader.parse_file

    def broken_for_price_lists(path, *args):
        if path.name.startswith("price_list"):
            raise OSError("disk read error")
        return parse_file(path, *args)

    monkeypatch.setattr(loader, "parse_file", broken_for_price_lists)
    results = {r.file_name: r for r in load_inbox(con, inbox, settle_seconds=0)}

    assert results["price_list_2026.xlsx"].status == "failed"
    assert results["price_list_2026.xlsx"].message == (
        "price_list_2026.xlsx: failed, OSError: disk read error"
    )
    assert results["staff.csv"].status == "loaded"
    assert con.execute(
        "select count(*) from ops.inbox_files where file_name = 'price_list_2026.xlsx'"
    ).fetchone() == (0,)

    monkeypatch.setattr(loader, "parse_file", parse_file)
    (retried,) = [
        r for r in load_inbox(con, inbox, settle_seconds=0) if r.file_name == "price_list_2026.xlsx"
    ]
    assert (retried.status, retried.version, retried.rows_loaded) == ("loaded", 1, 1)
