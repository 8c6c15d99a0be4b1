"""The snapshot's alerts: what fell below its target since the last snapshot (each alert is in
one snapshot only; chairside/presentation/analytics/alerts.py). Nothing when there is none."""

from __future__ import annotations

from html import escape

import pandas as pd

from chairside.presentation.analytics.alerts import sentence

ALERT = "margin:0 0 8px 0;padding:8px 12px;border-left:4px solid #c0392b;background:#fdf2f1;"


def alerts_html(alerts: pd.DataFrame | None, currency: str) -> str:
    """One block per alert: what fell, and the change that would move it most."""
    if alerts is None or alerts.empty:
        return ""
    items = "".join(
        f'<p style="{ALERT}"><strong>{escape(sentence(row, currency))}</strong><br>'
        f"{escape(str(row['next_change']))}</p>"
        for _, row in alerts.iterrows()
    )
    return items


def alerts_text(alerts: pd.DataFrame | None, currency: str) -> list[str]:
    if alerts is None or alerts.empty:
        return []
    return (
        ["Alerts:"]
        + [f"- {sentence(row, currency)} {row['next_change']}" for _, row in alerts.iterrows()]
        + [""]
    )
