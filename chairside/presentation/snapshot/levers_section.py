"""The snapshot's off-peak and pricing levers: each lever's sentence and table (evidence, range,
assumption), or why the shop has none. Inline styles like the rest of the snapshot, every value
escaped."""

from __future__ import annotations

from html import escape

import pandas as pd

from chairside.presentation.analytics.offpeak import offpeak_verdict
from chairside.presentation.analytics.pricing import price_verdict
from chairside.presentation.snapshot.scorecard_section import TD, TH


def verdict_html(sentence: str, table: pd.DataFrame) -> str:
    if table.empty:
        return f"<p>{escape(sentence)}</p>"
    head = "".join(f'<th style="{TH}">{escape(column)}</th>' for column in table.columns)
    rows = "".join(
        "<tr>" + "".join(f'<td style="{TD}">{escape(str(cell))}</td>' for cell in row) + "</tr>"
        for row in table.itertuples(index=False)
    )
    return (
        f"<p>{escape(sentence)}</p>"
        '<table role="presentation" style="border-collapse:collapse;width:100%;font-size:14px;">'
        f"<tr>{head}</tr>{rows}</table>"
    )


def offpeak_html(hours: pd.DataFrame | None, currency: str) -> str:
    if hours is None:
        return "<p><strong>Off-peak lever not built yet.</strong></p>"
    return verdict_html(*offpeak_verdict(hours, currency))


def pricing_html(services: pd.DataFrame | None, currency: str) -> str:
    if services is None:
        return "<p><strong>Pricing lever not built yet.</strong></p>"
    return verdict_html(*price_verdict(services, currency))


def levers_text(
    hours: pd.DataFrame | None, services: pd.DataFrame | None, currency: str
) -> list[str]:
    """Both levers for the plain-text part: the sentence, then a line per lever."""
    lines = []
    for data, verdict in ((hours, offpeak_verdict), (services, price_verdict)):
        if data is None:
            continue
        sentence, table = verdict(data, currency)
        lines.append(sentence)
        lines += [
            "- " + "; ".join(str(cell) for cell in row[:-1]) + "."
            for row in table.itertuples(index=False)
        ]
    return lines
