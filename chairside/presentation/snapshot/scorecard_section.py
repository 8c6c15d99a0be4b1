"""The snapshot's scorecard: the shop's health score for its last complete month and, per
principle, value, target, score and the change that would move it most. Inline styles like the
rest of the snapshot, every value escaped."""

from __future__ import annotations

from html import escape

import pandas as pd

from chairside.presentation.analytics.levers import upsell_verdict
from chairside.presentation.analytics.scorecard import display_table, headline

TH = "text-align:left;padding:6px 8px;border-bottom:2px solid #cccccc;"
TD = "padding:6px 8px;border-bottom:1px solid #eeeeee;vertical-align:top;"


def scorecard_html(card: pd.DataFrame | None, currency: str) -> str:
    if card is None:
        return "<p><strong>Scorecard not built yet.</strong> It appears after the next run.</p>"
    if card.empty:
        return "<p>No complete month to score yet.</p>"
    table = display_table(card, currency)
    head = "".join(f'<th style="{TH}">{escape(column)}</th>' for column in table.columns)
    rows = "".join(
        "<tr>" + "".join(f'<td style="{TD}">{escape(str(cell))}</td>' for cell in row) + "</tr>"
        for row in table.itertuples(index=False)
    )
    return (
        f"<p><strong>{escape(headline(card))}</strong></p>"
        '<table role="presentation" style="border-collapse:collapse;width:100%;font-size:14px;">'
        f"<tr>{head}</tr>{rows}</table>"
    )


def scorecard_text(card: pd.DataFrame | None, currency: str) -> list[str]:
    if card is None or card.empty:
        return ["- No complete month scored yet."]
    table = display_table(card, currency)
    return [headline(card)] + [
        f"- {row['Principle']}: {row['Value']} (target {row['Target']}, score {row['Score']}). "
        f"{row['The change that would move it most']}"
        for row in table.to_dict("records")
    ]


def levers_html(pairs: pd.DataFrame | None, currency: str) -> str:
    """The upsell lever: its levers with evidence, range and assumption, or why there is none."""
    if pairs is None:
        return "<p><strong>Revenue levers not built yet.</strong></p>"
    sentence, table = upsell_verdict(pairs, currency)
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
