"""One shop's snapshot end to end: build, render, write the file, then mail it.

The file is written before any send is tried, so a mail outage never costs the report; the
outcome says what happened to the mail so the caller can report it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from chairside.core.clock import Clock
from chairside.core.settings import Settings
from chairside.presentation.analytics.catalog import Catalog
from chairside.presentation.snapshot import mail
from chairside.presentation.snapshot.content import build_snapshot
from chairside.presentation.snapshot.images import Image, forecast_images
from chairside.presentation.snapshot.render import render_html, render_text, title


class Mailed(StrEnum):
    SENT = "sent"
    NO_SMTP = "not configured"  # CHAIRSIDE_SMTP_HOST unset: the file is the report
    NO_OWNER = "no owner email"
    FAILED = "failed"


@dataclass(frozen=True)
class Outcome:
    shop_id: str
    week: dt.date
    path: Path
    mailed: Mailed
    recipient: str | None
    attempts: int
    detail: str  # the failure's reason, or what was done

    @property
    def problem(self) -> bool:
        """SMTP is set up but this owner did not get the snapshot."""
        return self.mailed in (Mailed.FAILED, Mailed.NO_OWNER)


def snapshot_path(reports_dir: Path, shop_id: str, week: dt.date) -> Path:
    return reports_dir / shop_id / f"owner-snapshot-{week:%Y-%m-%d}.html"


def write_atomically(path: Path, text: str) -> None:
    """Write `text` so a reader sees the old file or the new one, never half of one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.partial")
    partial.write_text(text, encoding="utf-8")
    partial.replace(path)


def deliver(
    settings: Settings,
    catalog: Catalog,
    shop_id: str,
    clock: Clock,
    *,
    attempts: int = 3,
    first_wait: float = 2.0,
) -> Outcome:
    snapshot = build_snapshot(settings.duckdb_path, catalog, shop_id, clock)
    images = forecast_images(snapshot)
    html = render_html(snapshot, images, apps_url=settings.apps_url)
    path = snapshot_path(settings.reports_dir, shop_id, snapshot.week)
    write_atomically(path, html)

    def outcome(mailed: Mailed, detail: str, tries: int = 0) -> Outcome:
        return Outcome(shop_id, snapshot.week, path, mailed, snapshot.owner_email, tries, detail)

    if settings.smtp is None:
        return outcome(Mailed.NO_SMTP, "written only: CHAIRSIDE_SMTP_HOST is not set")
    if snapshot.owner_email is None:
        return outcome(Mailed.NO_OWNER, f"{snapshot.shop_name} has no owner email in dim_shop")
    message = mail.compose(
        sender=settings.smtp.sender,
        recipient=snapshot.owner_email,
        subject=title(snapshot),
        text=render_text(snapshot),
        html=render_html(snapshot, images, src=Image.cid_uri, apps_url=settings.apps_url),
        attachment=html,
        images=images.values(),
        filename=path.name,
    )
    try:
        tries = mail.send(message, settings.smtp, attempts=attempts, first_wait=first_wait)
    except mail.NotSent as error:
        return outcome(Mailed.FAILED, str(error), error.attempts)
    return outcome(Mailed.SENT, f"sent to {snapshot.owner_email}", tries)
