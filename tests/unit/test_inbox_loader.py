"""The inbox loader on files written the way other tools write them, into a real DuckDB file."""

import csv
import datetime as dt
import io
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest
from openpyxl import Workbook

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

    totals = summarize(load_inbox(con, inbox))

    assert totals["rows_read"] == totals["rows_loaded"] + totals["rows_quarantined"]
    assert totals["rows_loaded"] == 2 + 3  # two shops, three good inquiries
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

    results = {r.file_name: r for r in load_inbox(con, inbox)}

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

    (result,) = load_inbox(con, inbox)

    assert result.status == "rejected"
    assert result.message == (
        "customers_2019.xlsx: rejected, sheet 'Clients' lacks required column(s) 'Phone'"
    )
    assert con.execute("select count(*) from raw_inbox.customers").fetchone() == (0,)


def test_same_content_loads_once_and_a_changed_file_is_a_new_version(tmp_path: Path, con) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "shops.csv").write_text(SHOPS_CSV)
    load_inbox(con, inbox)
    (inbox / "shops_copy.csv").write_text(SHOPS_CSV)  # same bytes under another name

    second = load_inbox(con, inbox)
    assert {r.status for r in second} == {"skipped"}
    assert con.execute("select count(*) from raw_inbox.shops").fetchone() == (2,)

    (inbox / "shops_copy.csv").unlink()
    (inbox / "shops.csv").write_text(SHOPS_CSV.replace("Queen West", "Queen West Barbers"))
    (third,) = load_inbox(con, inbox)
    assert (third.status, third.version, third.rows_loaded) == ("loaded", 2, 2)
    assert con.execute(
        "select max(version) from ops.inbox_files where file_name = 'shops.csv'"
    ).fetchone() == (2,)


def test_a_file_of_no_known_kind_is_rejected_and_recorded(tmp_path: Path, con) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "notes.csv").write_text("a,b\n1,2\n")
    (result,) = load_inbox(con, inbox)
    assert result.status == "rejected"
    assert "does not start with a known kind" in result.message
