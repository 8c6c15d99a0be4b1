"""Workbooks in the inbox contract's layouts, byte-for-byte reproducible.

openpyxl stamps the document properties with the current time and the zip entries with the
local clock; both are pinned to a given moment so that equal configs give equal files.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from io import BytesIO
from zipfile import ZIP_DEFLATED, ZipFile, ZipInfo

from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from chairside.demo.model import Service, Shop, StaffMember
from chairside.demo.records import InboxInquiryRow

_DATE_FORMAT = "yyyy-mm-dd"


def workbook_bytes(workbook: Workbook, saved_at: datetime) -> bytes:
    """The .xlsx file's bytes as if saved at `saved_at` (naive UTC, as openpyxl expects)."""
    workbook.properties.created = saved_at
    workbook.properties.modified = saved_at
    raw = BytesIO()
    with ZipFile(raw, "w", ZIP_DEFLATED) as archive:
        # ExcelWriter rather than Workbook.save(), which overwrites `modified` with now().
        ExcelWriter(workbook, archive).write_data()
    pinned = BytesIO()
    with ZipFile(BytesIO(raw.getvalue())) as source, ZipFile(pinned, "w", ZIP_DEFLATED) as target:
        for entry in source.infolist():
            info = ZipInfo(entry.filename, date_time=saved_at.timetuple()[:6])
            info.compress_type = ZIP_DEFLATED
            info.external_attr = entry.external_attr
            target.writestr(info, source.read(entry.filename))
    return pinned.getvalue()


def shops_workbook(shops: Sequence[Shop]) -> Workbook:
    """Owner Email is an extra column: the contract allows extras and reports them."""
    workbook, sheet = _new_workbook("shops")
    sheet.append(
        [
            "Shop",
            "Name",
            "Time Zone",
            "Currency",
            "Opens",
            "Closes",
            "Open Days",
            "Owner Email",
            "Phone",
        ]
    )
    for shop in shops:
        sheet.append(
            [
                shop.shop_id,
                shop.name,
                shop.time_zone,
                shop.currency,
                shop.opens,
                shop.closes,
                shop.open_days_written,
                shop.owner_email,
                shop.phone,
            ]
        )
    return workbook


def price_list_workbook(services: Sequence[Service]) -> Workbook:
    workbook, sheet = _new_workbook("Price List")
    sheet.append(
        ["Shop", "Service Code", "Service", "Price", "Category", "Duration (min)", "Effective From"]
    )
    for service in services:
        sheet.append(
            [
                service.shop_id,
                service.service_code,
                service.name,
                float(service.price),
                service.category,
                service.duration_min,
                service.effective_from,
            ]
        )
        sheet.cell(sheet.max_row, 4).number_format = "0.00"
        sheet.cell(sheet.max_row, 7).number_format = _DATE_FORMAT
    return workbook


def staff_workbook(staff: Sequence[StaffMember]) -> Workbook:
    workbook, sheet = _new_workbook("Roster")
    sheet.append(["Shop", "Staff ID", "Name", "Role", "Commission %", "Start Date", "End Date"])
    for member in staff:
        sheet.append(
            [
                member.shop_id,
                member.staff_id,
                member.name,
                member.role,
                member.commission_pct,
                member.start_date,
                member.end_date,
            ]
        )
        for column in (6, 7):
            sheet.cell(sheet.max_row, column).number_format = _DATE_FORMAT
    return workbook


# Each shop's log was set up by someone else: column order, header spelling, blank rows under
# the title and the date format differ, as they do between real front desks.
_LOG_LAYOUTS = (
    (
        ("Name", "Phone", "Inquiry", "Timestamp", "Age", "Gender", "Email", "Shop"),
        1,
        "yyyy-mm-dd hh:mm",
    ),
    (
        ("Time Stamp", "NAME", "PHONE", "Email", "Inquiry", "Age", "Gender", "Shop"),
        2,
        "dd/mm/yyyy h:mm AM/PM",
    ),
    (
        (" Name", "Phone ", "Inquiry", "timestamp", "Email", "Shop", "Age", "Gender"),
        0,
        "yyyy-mm-dd hh:mm",
    ),
)


def inquiry_log_workbook(shop: Shop, rows: Sequence[InboxInquiryRow], layout: int) -> Workbook:
    """A merged title above the header, the header below some blank rows, and a blank row
    or two among the data, as a hand-kept log looks."""
    headers, blank_rows, timestamp_format = _LOG_LAYOUTS[layout % len(_LOG_LAYOUTS)]
    fields = [header.replace(" ", "").lower() for header in headers]
    workbook, sheet = _new_workbook("Log")
    sheet.append([f"Front desk log – {shop.name}"])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(headers))
    for _ in range(blank_rows):
        sheet.append([])
    sheet.append(list(headers))
    gaps = (len(rows) // 3, 2 * len(rows) // 3)
    for index, row in enumerate(rows):
        if index and index in gaps:
            sheet.append([])
        values = {
            "name": row.name,
            "phone": row.phone,
            "inquiry": row.inquiry,
            "timestamp": row.timestamp,
            "age": row.age,
            "gender": row.gender,
            "email": row.email,
            "shop": row.shop,
        }
        sheet.append([values[field] for field in fields])
        if isinstance(row.timestamp, datetime):
            sheet.cell(
                sheet.max_row, 1 + fields.index("timestamp")
            ).number_format = timestamp_format
    return workbook


def _new_workbook(title: str) -> tuple[Workbook, Worksheet]:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title
    return workbook, sheet
