"""The shops as the shops files in the inbox name them, for processes that must not wait for a
warehouse build: the webhook service (which shop a dialled number reaches) and the live apps
(each shop's name and time zone).

The files are parsed by the inbox's own parser, so a Phone written `(709) 555-0100` or
`+1 709 555 0100` is the same E.164 number the warehouse stores. As in `stg_inbox__shops`, a
shop's row in the newest file wins. A number two shops list reaches neither: it is refused with
both names rather than guessed.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from pathlib import Path

from chairside.contracts import cells
from ingestion.inbox.files import display_name, inbox_files
from ingestion.inbox.kinds import SHOPS, ParseContext, kind_of
from ingestion.inbox.loader import FileRejected, parse_file
from ingestion.inbox.reader import UnreadableFile

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Shop:
    shop_id: str
    name: str
    time_zone: str
    phone: str | None  # E.164


@dataclass(frozen=True)
class ShopBook:
    shops: dict[str, Shop] = field(default_factory=dict)
    # E.164 number -> every shop listing it (more than one is a conflict, never resolved)
    phones: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def shop_dialled(self, number: str, region: str = "CA") -> Shop:
        """The shop whose Phone is `number`; `LookupError` saying why there is none."""
        try:
            _, e164 = cells.phone(number, region)
        except cells.CellError as error:
            raise LookupError(f"the dialled number {error}") from None
        listed = self.phones.get(e164, ())
        if not listed:
            raise LookupError(f"no shop lists {e164} in the shops file's Phone column")
        if len(listed) > 1:
            raise LookupError(f"{e164} is listed by more than one shop: {', '.join(listed)}")
        return self.shops[listed[0]]


def shop_files(inbox: Path) -> list[Path]:
    """The inbox's shops files, oldest first, so later ones override."""
    paths = [path for path in inbox_files(inbox) if kind_of(path.name) is SHOPS]
    return sorted(paths, key=lambda path: (path.stat().st_mtime_ns, path.name))


def read_shop_book(inbox: Path) -> ShopBook:
    """Every shop the inbox's shops files name; a file that cannot be read is logged and left
    out (the inbox loader reports it in full), its rows' reasons likewise."""
    shops: dict[str, Shop] = {}
    for path in shop_files(inbox):
        try:
            parsed = parse_file(path, path.read_bytes(), SHOPS, ParseContext(), {})
        except (FileRejected, UnreadableFile, OSError) as error:
            log.warning("shops file %s left out: %s", display_name(path), error)
            continue
        for sheet in parsed.sheets:
            for row in sheet.rows:
                shops[row["shop_id"]] = Shop(
                    row["shop_id"], row["name"], row["time_zone"], row.get("phone_e164")
                )
    phones: dict[str, list[str]] = {}
    for shop in shops.values():
        if shop.phone:
            phones.setdefault(shop.phone, []).append(shop.shop_id)
    return ShopBook(shops, {number: tuple(sorted(ids)) for number, ids in phones.items()})


class ShopBookWatcher:
    """The shop book, read again whenever a shops file appears, changes or goes, so an owner
    adding a number to the shops file needs no restart. Checking is a `stat` per file."""

    def __init__(self, inbox: Path) -> None:
        self._inbox = inbox
        self._lock = threading.Lock()
        self._seen: tuple[tuple[str, int, int], ...] | None = None
        self._book = ShopBook()

    def _signature(self) -> tuple[tuple[str, int, int], ...]:
        signature = []
        for path in shop_files(self._inbox):
            stat = path.stat()
            signature.append((path.name, stat.st_mtime_ns, stat.st_size))
        return tuple(signature)

    def current(self) -> ShopBook:
        with self._lock:
            try:
                signature = self._signature()
            except FileNotFoundError:  # a file went between the listing and its stat
                return self._book
            if signature != self._seen:
                self._book = read_shop_book(self._inbox)
                self._seen = signature
            return self._book
