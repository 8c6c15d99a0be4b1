"""A `Snapshot` as an HTML document (charts as PNG images, styles inline, no script, nothing
fetched) and as the plain-text part of the email.

Inline `style` attributes and plain blocks are what mail clients render alike; the same file
opens in any browser offline. The page is one column that fits a 360 px phone: tables keep to
four narrow columns, and the call list is a list, not a wide table. Every value is escaped:
client names and shop names are data. Owners read ranges and track records in their own words,
never a model's name or an error metric.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from html import escape
from urllib.parse import quote

import pandas as pd

from chairside.core.phones import text_or_none
from chairside.presentation.analytics.forecasts import METRICS
from chairside.presentation.analytics.kpis import KPI_BY_NAME, Kpi, change, format_value
from chairside.presentation.snapshot.alerts_section import alerts_html, alerts_text
from chairside.presentation.snapshot.content import Snapshot
from chairside.presentation.snapshot.images import Image
from chairside.presentation.snapshot.levers_section import levers_text, offpeak_html, pricing_html
from chairside.presentation.snapshot.scorecard_section import (
    levers_html,
    scorecard_html,
    scorecard_text,
)

# The week's numbers an owner reads first; the apps have every KPI.
HEADLINE_KPIS = (
    "appointments_completed",
    "revenue_total",
    "avg_ticket",
    "new_clients",
    "no_show_rate",
    "rebooking_rate",
    "utilization",
    "call_answer_rate",
    "calls_missed",
)
FORECAST_WEEKS_LISTED = 4
NO_FORECAST_BEFORE = "No forecast was made for this week before it began."

H1 = "margin:0 0 4px 0;font-size:24px;"
H2 = "margin:28px 0 8px 0;font-size:18px;border-bottom:1px solid #dddddd;padding-bottom:4px;"
H3 = "margin:16px 0 4px 0;font-size:15px;"
TABLE = "border-collapse:collapse;width:100%;font-size:14px;"
TH = "text-align:left;padding:6px 4px;border-bottom:2px solid #cccccc;font-weight:bold;"
THNUM = TH + "text-align:right;"
TD = "padding:6px 4px;border-bottom:1px solid #eeeeee;vertical-align:top;"
NUM = TD + "text-align:right;white-space:nowrap;"
NOTE = "color:#666666;font-size:13px;"
IMG = "display:block;width:100%;max-width:600px;height:auto;border:0;margin:4px 0;"
LINK = "color:#1a5fb4;"


def title(snapshot: Snapshot) -> str:
    return f"{snapshot.shop_name}: the week of {_days(snapshot.week)}"


def render_html(
    snapshot: Snapshot,
    images: Mapping[str, Image] | None = None,
    *,
    src: Callable[[Image], str] = Image.data_uri,
    apps_url: str | None = None,
) -> str:
    """The page; `images` are the forecast charts by metric, placed through `src` (a data URI
    in the file, a Content-ID in the mail); `apps_url` adds a link to the app behind a section."""
    images = images or {}

    def more(app: str, words: str) -> str:
        if not apps_url:
            return ""
        href = escape(f"{apps_url.rstrip('/')}/{app}/?shop={quote(snapshot.shop_id)}", quote=True)
        return f'<p style="{NOTE}"><a href="{href}" style="{LINK}">{words}</a></p>'

    alerts = alerts_html(snapshot.alerts, snapshot.currency)
    sections = [
        f'<h1 style="{H1}">{escape(snapshot.shop_name)}</h1>',
        f'<p style="{NOTE}">The week of {_days(snapshot.week)}, against the week before and '
        f"last year. As of {snapshot.as_of:%a %d %b %Y}.</p>",
        f'<h2 style="{H2}">Alerts</h2>{alerts}' if alerts else "",
        f'<h2 style="{H2}">Last week</h2>',
        _numbers_table(snapshot),
        more("overview", "Every number, week by week, in the Overview"),
        f'<h2 style="{H2}">Last week against its forecast</h2>',
        _against_forecast_html(snapshot),
        f'<h2 style="{H2}">What to look at</h2>',
        _insights_html(snapshot),
        f'<h2 style="{H2}">Scorecard</h2>',
        scorecard_html(snapshot.scorecard, snapshot.currency),
        f'<h2 style="{H2}">Services to offer together</h2>',
        levers_html(snapshot.upsell_pairs, snapshot.currency),
        f'<h2 style="{H2}">Hours to fill or cover</h2>',
        offpeak_html(snapshot.offpeak_hours, snapshot.currency),
        f'<h2 style="{H2}">Prices charged against the list</h2>',
        pricing_html(snapshot.price_realisation, snapshot.currency),
        f'<h2 style="{H2}">The next weeks</h2>',
        _forecast_html(snapshot, images, src),
        more("forecasts", "The forecasts and their track record in the Forecasts app"),
        f'<h2 style="{H2}">Clients to call this week</h2>',
        _call_list_html(snapshot),
        more("clients", "Every client and their scores in the Clients app"),
        f'<p style="{NOTE}margin-top:28px;">Every number follows the Chairside metric '
        "definitions, the same in every report and app.</p>",
    ]
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title(snapshot))}</title></head>"
        '<body style="margin:0;padding:0;background:#f4f4f4;">'
        '<div style="max-width:680px;margin:0 auto;background:#ffffff;padding:16px;'
        "box-sizing:border-box;font-family:Helvetica,Arial,sans-serif;color:#222222;"
        'line-height:1.4;overflow-wrap:break-word;">'
        + "\n".join(part for part in sections if part)
        + "</div></body></html>\n"
    )


def _days(week: dt.date) -> str:
    sunday = week + dt.timedelta(days=6)
    return f"{week:%a} {week.day} {week:%b} to {sunday:%a} {sunday.day} {sunday:%b %Y}"


def _amount(value: float, metric: str, currency: str) -> str:
    """A forecast quantity in whole units (cents would be false precision), with its unit."""
    return f"{currency} {value:,.0f}" if metric == "revenue_total" else f"{value:,.0f} visits"


def _span(low: float, high: float, metric: str, currency: str) -> str:
    return (
        f"{currency} {low:,.0f} to {high:,.0f}"
        if metric == "revenue_total"
        else f"{low:,.0f} to {high:,.0f} visits"
    )


def _against_forecast(snapshot: Snapshot) -> Iterable[str]:
    """ "Revenue: CAD 8,277, above the range forecast for it (CAD 7,000 to 8,100).": one
    sentence per metric a forecast was made for before the week began."""
    rows = snapshot.forecast_for_last_week
    if rows is None:
        return
    for metric, label in METRICS.items():
        found = rows[rows["metric"] == metric]
        if found.empty:
            continue
        row = found.iloc[0]
        low, high = row["yhat_lower"], row["yhat_upper"]
        where = "inside" if row["inside"] else ("above" if row["actual"] > high else "below")
        yield (
            f"{label}: {_amount(row['actual'], metric, snapshot.currency)}, {where} the range "
            f"forecast for it ({_span(low, high, metric, snapshot.currency)})."
        )


def _against_forecast_html(snapshot: Snapshot) -> str:
    if snapshot.forecast_for_last_week is None:
        return _not_computed("Forecasts")
    lines = list(_against_forecast(snapshot))
    if not lines:
        return f"<p>{NO_FORECAST_BEFORE}</p>"
    return "".join(f"<p>{escape(line)}</p>" for line in lines)


@dataclass(frozen=True)
class _Line:
    label: str
    value: str
    vs_week_before: str
    vs_year_before: str


def _numbers(snapshot: Snapshot) -> Iterable[_Line]:
    """One line per headline KPI: last week and its changes."""

    def moved(kpi: Kpi, other: pd.Series | None) -> str:
        return "–" if other is None else change(kpi, snapshot.last_week[kpi.name], other[kpi.name])

    for name in HEADLINE_KPIS:
        kpi = KPI_BY_NAME[name]
        yield _Line(
            label=kpi.label,
            value=format_value(kpi, snapshot.last_week[name], snapshot.currency),
            vs_week_before=moved(kpi, snapshot.week_before),
            vs_year_before=moved(kpi, snapshot.year_before),
        )


def _numbers_table(snapshot: Snapshot) -> str:
    rows = "".join(
        f'<tr><td style="{TD}">{escape(line.label)}</td>'
        f'<td style="{NUM}">{escape(line.value)}</td>'
        f'<td style="{NUM}">{escape(line.vs_week_before)}</td>'
        f'<td style="{NUM}">{escape(line.vs_year_before)}</td></tr>'
        for line in _numbers(snapshot)
    )
    return (
        f'<table style="{TABLE}"><tr><th style="{TH}"></th><th style="{THNUM}">Last week</th>'
        f'<th style="{THNUM}">vs week before</th><th style="{THNUM}">vs last year</th></tr>'
        f"{rows}</table>"
    )


def _insights_html(snapshot: Snapshot) -> str:
    if not snapshot.insights:
        return f"<p>Nothing unusual: every check is within {escape(snapshot.shop_name)}'s norm.</p>"
    items = "".join(
        f'<li style="margin-bottom:12px;"><strong>{escape(i.headline)}</strong><br>'
        f"{escape(i.evidence)}<br><em>What to do:</em> {escape(i.recommendation)}</li>"
        for i in snapshot.insights
    )
    return f'<ol style="padding-left:20px;margin:0;">{items}</ol>'


def _not_computed(what: str) -> str:
    return (
        f"<p><strong>{what} not computed yet.</strong> They appear after the weekly ML run "
        "(Mondays).</p>"
    )


def _forecast_html(
    snapshot: Snapshot, images: Mapping[str, Image], src: Callable[[Image], str]
) -> str:
    if snapshot.ahead is None or snapshot.champions is None:
        return _not_computed("Forecasts")
    if snapshot.ahead.empty and snapshot.champions.empty:
        return "<p>No forecast for this shop in the latest run.</p>"
    parts = []
    for metric, label in METRICS.items():
        ahead = snapshot.ahead[snapshot.ahead["metric"] == metric].sort_values("week_start")
        model = snapshot.champions[snapshot.champions["metric"] == metric]
        if model.empty:
            continue
        if model.iloc[0].get("withheld", False):  # its weeks were never read (analytics.forecasts)
            parts.append(
                f'<h3 style="{H3}">{label}</h3><p>No forecast this week: tested on weeks it had '
                "not seen, the model did no better than simply repeating the same week last "
                "year, so it is not shown.</p>"
            )
            continue
        if ahead.empty:
            continue
        image = images.get(metric)
        chart = (
            f'<img src="{escape(src(image), quote=True)}" alt="{escape(image.alt, quote=True)}" '
            f'width="600" style="{IMG}">'
            if image is not None
            else ""
        )
        parts.append(
            f'<h3 style="{H3}">{label}</h3>'
            f"<p>{escape(_next_week(ahead.iloc[0], metric, snapshot.currency))}</p>"
            f'<p style="{NOTE}margin:0 0 6px 0;">{escape(track_record(model.iloc[0]))}</p>'
            f"{chart}"
        )
    if not snapshot.ahead.empty:
        parts.append(_forecast_table(snapshot.ahead, snapshot.currency))
    return "\n".join(parts)


def _next_week(row: pd.Series, metric: str, currency: str) -> str:
    """ "Next week: about 180 visits, usually within ±15 (165 to 195)." The ± is half the 80%
    range, rounded: what an owner can plan staff around."""
    spread = (row["yhat_upper"] - row["yhat_lower"]) / 2
    unit = currency + " " if metric == "revenue_total" else ""
    return (
        f"Week of {row['week_start']:%-d %b}: about {_amount(row['yhat'], metric, currency)}, "
        f"usually within ±{unit}{spread:,.0f} "
        f"({_span(row['yhat_lower'], row['yhat_upper'], metric, currency)})."
    )


def track_record(champion: pd.Series) -> str:
    """The held-out track record in words: how often such a range held the actual, and whether
    the forecast beat the plain "same week last year". No model names, no error metrics."""
    if pd.isna(champion["coverage_80"]):
        return (
            "Too few complete weeks yet to test it on past weeks: a stated baseline without a "
            "track record."
        )
    held = round(float(champion["coverage_80"]) * 10)
    words = (
        f"Tested on past weeks it had not seen, a range like this held the actual about "
        f"{held} weeks in 10"
    )
    mase, naive = champion.get("mase"), champion.get("mase_seasonal_naive")
    if pd.notna(mase) and pd.notna(naive) and naive > 0 and mase < naive:
        words += (
            f", and it missed by {1 - mase / naive:.0%} less than simply repeating the same "
            "week last year"
        )
    return words + "."


def _forecast_table(ahead: pd.DataFrame, currency: str) -> str:
    """The next few weeks as numbers, for readers whose mail client hides images: the point
    forecast over its range, stacked so three columns fit a phone."""
    weeks = sorted(ahead["week_start"].unique())[:FORECAST_WEEKS_LISTED]
    rows = []
    for week in weeks:
        cells = []
        for metric in METRICS:
            found = ahead[(ahead["week_start"] == week) & (ahead["metric"] == metric)]
            if found.empty:
                cells.append("–")
                continue
            row = found.iloc[0]
            cells.append(
                f"{escape(_amount(row['yhat'], metric, currency))}<br>"
                f'<span style="{NOTE}">{row["yhat_lower"]:,.0f} to {row["yhat_upper"]:,.0f}</span>'
            )
        rows.append(
            f'<tr><td style="{TD}">Week of {week.day} {week:%b}</td>'
            + "".join(f'<td style="{NUM}">{cell}</td>' for cell in cells)
            + "</tr>"
        )
    headers = "".join(f'<th style="{THNUM}">{label}</th>' for label in METRICS.values())
    return (
        f'<table style="{TABLE}margin-top:12px;"><tr><th style="{TH}"></th>{headers}</tr>'
        + "".join(rows)
        + "</table>"
    )


def _call_list_html(snapshot: Snapshot) -> str:
    if snapshot.at_risk is None:
        return _not_computed("Client scores")
    if snapshot.at_risk.empty:
        return "<p>No client at risk without a booking. Nobody to chase this week.</p>"
    items = "".join(
        f'<li style="margin-bottom:12px;"><strong>{escape(str(row.client))}</strong>, '
        f"{_contact_html(row.tel, row.contact)}<br>{escape(row.why)}"
        f'<br><span style="{NOTE}">Last visit: {_date(row.last_visit_date)}</span></li>'
        for row in snapshot.at_risk.itertuples()
    )
    return (
        f'<p style="{NOTE}">Regulars who are well past their usual visit or unlikely to come '
        "back on their own, with nothing booked; the ones worth most to the shop first.</p>"
        f'<ol style="padding-left:20px;margin:0;">{items}</ol>'
    )


def _contact_html(tel: object, contact: str) -> str:
    """A dialable number is a `tel:` link (one tap on a phone); otherwise the words. pandas may
    hold a missing `tel` as NaN."""
    uri = text_or_none(tel)
    if uri is None:
        return escape(contact)
    return f'<a href="{escape(uri)}" style="{LINK}white-space:nowrap;">{escape(contact)}</a>'


def _date(value: pd.Timestamp) -> str:
    return "–" if pd.isna(value) else f"{value:%d %b %Y}"


def render_text(snapshot: Snapshot) -> str:
    """The plain-text part of the email: the same numbers, forecasts, insights and call list."""
    lines = [title(snapshot), "", *alerts_text(snapshot.alerts, snapshot.currency)]
    lines += [
        f"{line.label}: {line.value} ({line.vs_week_before} vs week before, "
        f"{line.vs_year_before} vs last year)"
        for line in _numbers(snapshot)
    ]
    lines += ["", *(list(_against_forecast(snapshot)) or [NO_FORECAST_BEFORE])]
    lines += ["", "What to look at:"]
    lines += [
        f"- {i.headline}. {i.evidence} What to do: {i.recommendation}" for i in snapshot.insights
    ] or ["- Nothing unusual this week."]
    lines += ["", "Scorecard:", *scorecard_text(snapshot.scorecard, snapshot.currency)]
    levers = levers_text(snapshot.offpeak_hours, snapshot.price_realisation, snapshot.currency)
    if levers:
        lines += ["", "Hours and prices:", *levers]
    if snapshot.ahead is not None and not snapshot.ahead.empty:
        lines += ["", "The next weeks:"]
        for metric in METRICS:
            ahead = snapshot.ahead[snapshot.ahead["metric"] == metric].sort_values("week_start")
            if not ahead.empty:
                next_week = _next_week(ahead.iloc[0], metric, snapshot.currency)
                lines.append(f"- {METRICS[metric]}, {next_week[0].lower()}{next_week[1:]}")
    lines += ["", "Clients to call this week:"]
    if snapshot.at_risk is None:
        lines.append("- Client scores not computed yet.")
    else:
        lines += [
            f"- {row.client}, {row.contact}: {row.why}" for row in snapshot.at_risk.itertuples()
        ] or ["- Nobody to chase this week."]
    lines += ["", "The charts are in the HTML version of this email."]
    return "\n".join(lines) + "\n"
