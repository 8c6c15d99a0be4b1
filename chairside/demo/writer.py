"""`write_dataset`: the sources of a demo dataset as the files the pipeline ingests.

Kafka topics and Cassandra tables are written as JSON lines (one message or row per line) so
the demo runs without a broker or a cluster; loaders into real ones can replay these files.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, time
from pathlib import Path

from openpyxl import Workbook

from chairside.demo.catalogue import price_list_dates
from chairside.demo.dataset import DemoDataset
from chairside.demo.spreadsheets import (
    inquiry_log_workbook,
    price_list_workbook,
    shops_workbook,
    staff_workbook,
    workbook_bytes,
)

LEGACY_CUSTOMERS_FILE = "customers_legacy.csv"
LEGACY_ENCODING = "cp1252"  # the old POS exported Windows-1252
_LEGACY_HEADER = ["Name", "Phone", "Email", "Age", "Gender", "Shop", "Customer Since"]

_Written = tuple[Path, int]  # a file and the data rows (or messages) in it


@dataclass(frozen=True, slots=True)
class WrittenFiles:
    inbox: tuple[Path, ...]
    events: tuple[Path, ...]
    crm: tuple[Path, ...]
    rows: dict[Path, int]  # data rows (or messages) per file, headers excluded

    @property
    def paths(self) -> tuple[Path, ...]:
        return self.inbox + self.events + self.crm


def write_dataset(
    dataset: DemoDataset, *, inbox_dir: Path, events_dir: Path, crm_dir: Path
) -> WrittenFiles:
    """Write every source file, creating the directories; existing files are overwritten."""
    for directory in (inbox_dir, events_dir, crm_dir):
        directory.mkdir(parents=True, exist_ok=True)
    inbox = _write_inbox(dataset, inbox_dir)
    events = [
        _write_lines(events_dir / f"{topic}.jsonl", (record.value for record in records))
        for topic, records in dataset.kafka.items()
    ]
    crm = [
        _write_json_lines(
            crm_dir / "customers.jsonl", (row.as_row() for row in dataset.cassandra_customers)
        ),
        _write_json_lines(
            crm_dir / "inquiries_by_day.jsonl",
            (row.as_row() for row in dataset.cassandra_inquiries),
        ),
    ]
    return WrittenFiles(
        inbox=tuple(path for path, _ in inbox),
        events=tuple(path for path, _ in events),
        crm=tuple(path for path, _ in crm),
        rows=dict(inbox + events + crm),
    )


def _write_inbox(dataset: DemoDataset, inbox_dir: Path) -> list[_Written]:
    config = dataset.config
    # Every file looks last saved on the evening of the last day, whenever it is generated.
    saved_at = datetime.combine(config.end_date, time(22, 0))

    def workbook(name: str, book: Workbook, rows: int) -> _Written:
        path = inbox_dir / name
        path.write_bytes(workbook_bytes(book, saved_at))
        return path, rows

    written = [
        workbook("shops.xlsx", shops_workbook(dataset.shops), len(dataset.shops)),
        workbook("staff.xlsx", staff_workbook(dataset.staff), len(dataset.staff)),
    ]
    for effective_from in price_list_dates(config):
        version = [s for s in dataset.services if s.effective_from == effective_from]
        name = f"price_list_{effective_from.isoformat()}.xlsx"
        written.append(workbook(name, price_list_workbook(version), len(version)))
    written.append(_write_legacy_customers(inbox_dir / LEGACY_CUSTOMERS_FILE, dataset))
    for layout, shop in enumerate(dataset.shops):
        log = [row for row in dataset.inbox_inquiries if row.shop_id == shop.shop_id]
        name = f"inquiries_{shop.shop_id}.xlsx"
        written.append(workbook(name, inquiry_log_workbook(shop, log, layout), len(log)))
    return written


def _write_legacy_customers(path: Path, dataset: DemoDataset) -> _Written:
    with path.open("w", encoding=LEGACY_ENCODING, newline="") as handle:
        writer = csv.writer(handle, lineterminator="\r\n")
        writer.writerow(_LEGACY_HEADER)
        writer.writerows(row.as_row() for row in dataset.inbox_customers)
    return path, len(dataset.inbox_customers)


def _write_json_lines(path: Path, rows: Iterable[dict[str, object]]) -> _Written:
    encoder = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))
    return _write_lines(path, (encoder.encode(row).encode() for row in rows))


def _write_lines(path: Path, lines: Iterable[bytes]) -> _Written:
    """One value per line. Values never contain a newline: JSON is written compact, and the
    deliberately malformed messages are cut from compact JSON."""
    count = 0
    with path.open("wb") as handle:
        for line in lines:
            handle.write(line + b"\n")
            count += 1
    return path, count
