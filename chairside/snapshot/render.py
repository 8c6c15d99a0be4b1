"""A `Snapshot` as an HTML document (charts inline, styles inline, no script, nothing fetched)
and as the plain-text part of the email.

Inline `style` attributes and table layout are what mail clients render alike; the same file
opens in any browser offline. Every value is escaped: client names and shop names are data.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from html import escape

import pandas as pd

from chairside.analytics.forecasts import METRICS
from chairside.analytics.kpis import KPI_BY_NAME, Kpi, change, format_value
from chairside.analytics.phones import text_or_none
from chairside.snapshot.content import Snapshot
from chairside.snapshot.scorecard_section import levers_html, scorecard_html, scorecard_text
from chairside.snapshot.svg import Interval, Point, forecast_svg

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

H1 = "margin:0 0 4px 0;font-size:24px;"
H2 = "margin:28px 0 8px 0;font-size:18px;border-bottom:1px solid #dddddd;padding-bottom:4px;"
TABLE = "border-collapse:collapse;width:100%;font-size:14px;"
TH = "text-align:left;padding:6px 8px;border-bottom:2px solid #cccccc;"
TD = "padding:6px 8px;border-bottom:1px solid #eeeeee;vertical-align:top;"
NUM = TD + "text-align:right;white-space:nowrap;"
NOTE = "color:#666666;font-size:13px;"


def title(snapshot: Snapshot) -> str:
    return f"{snapshot.shop_name}: the week of {_days(snapshot.week)}"


def render_html(snapshot: Snapshot) -> str:
    sections = [
        f'<h1 style="{H1}">{escape(snapshot.shop_name)}</h1>',
        f'<p style="{NOTE}">The week of {_days(snapshot.week)}, against its forecast and the '
        f"week before. As of {snapshot.as_of:%a %d %b %Y}.</p>",
        f'<h2 style="{H2}">Last week</h2>',
        _numbers_table(snapshot),
        f'<h2 style="{H2}">What to look at</h2>',
        _insights_html(snapshot),
        f'<h2 style="{H2}">Scorecard</h2>',
        scorecard_html(snapshot.scorecard, snapshot.currency),
        f'<h2 style="{H2}">Services to offer together</h2>',
        levers_html(snapshot.upsell_pairs, snapshot.currency),
        f'<h2 style="{H2}">The next weeks</h2>',
        _forecast_html(snapshot),
        f'<h2 style="{H2}">Clients to call this week</h2>',
        _call_list_html(snapshot),
        f'<p style="{NOTE}margin-top:28px;">Every number follows the Chairside metric '
        "definitions. The apps have the detail behind each one.</p>",
    ]
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title(snapshot))}</title></head>"
        '<body style="margin:0;padding:0;background:#f4f4f4;">'
        '<div style="max-width:680px;margin:0 auto;background:#ffffff;padding:24px;'
        'font-family:Helvetica,Arial,sans-serif;color:#222222;line-height:1.4;">'
        + "\n".join(sections)
        + "</div></body></html>\n"
    )


def _days(week: dt.date) -> str:
    sunday = week + dt.timedelta(days=6)
    return f"{week:%a} {week.day} {week:%b} to {sunday:%a} {sunday.day} {sunday:%b %Y}"


def _forecast_text(snapshot: Snapshot, metric: str) -> str:
    """ "CAD 7,792 (6,857 to 8,727): inside": last week's forecast and where the actual fell."""
    rows = snapshot.forecast_for_last_week
    if rows is None or metric not in set(rows["metric"]):
        return "–"
    row = rows[rows["metric"] == metric].iloc[0]
    where = (
        "inside" if row["inside"] else ("above" if row["actual"] > row["yhat_upper"] else "below")
    )
    return f"{_range(row, snapshot.currency)}: {where}"


def _range(row: pd.Series, currency: str) -> str:
    """A forecast in whole units: cents would be false precision."""
    unit = f"{currency} " if row["metric"] == "revenue_total" else ""
    return f"{unit}{row['yhat']:,.0f} ({row['yhat_lower']:,.0f} to {row['yhat_upper']:,.0f})"


@dataclass(frozen=True)
class _Line:
    label: str
    value: str
    vs_week_before: str
    vs_year_before: str
    forecast: str  # "" for a metric without a forecast


def _numbers(snapshot: Snapshot) -> Iterable[_Line]:
    """One line per headline KPI: last week, its changes, and its forecast where there is one."""

    def moved(kpi: Kpi, other: pd.Series | None) -> str:
        return "–" if other is None else change(kpi, snapshot.last_week[kpi.name], other[kpi.name])

    for name in HEADLINE_KPIS:
        kpi = KPI_BY_NAME[name]
        yield _Line(
            label=kpi.label,
            value=format_value(kpi, snapshot.last_week[name], snapshot.currency),
            vs_week_before=moved(kpi, snapshot.week_before),
            vs_year_before=moved(kpi, snapshot.year_before),
            forecast=_forecast_text(snapshot, name) if name in METRICS else "",
        )


def _numbers_table(snapshot: Snapshot) -> str:
    rows = "".join(
        f'<tr><td style="{TD}">{escape(line.label)}</td>'
        f'<td style="{NUM}">{escape(line.value)}</td>'
        f'<td style="{NUM}">{escape(line.vs_week_before)}</td>'
        f'<td style="{NUM}">{escape(line.vs_year_before)}</td>'
        f'<td style="{TD}">{escape(line.forecast)}</td></tr>'
        for line in _numbers(snapshot)
    )
    headers = ("", "Last week", "vs week before", "vs last year", "Forecast (80% range)")
    return (
        f'<table style="{TABLE}"><tr>'
        + "".join(f'<th style="{TH}">{header}</th>' for header in headers)
        + f"</tr>{rows}</table>"
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


def _forecast_html(snapshot: Snapshot) -> str:
    if snapshot.ahead is None or snapshot.champions is None:
        return _not_computed("Forecasts")
    if snapshot.ahead.empty:
        return "<p>No forecast for this shop in the latest run.</p>"
    parts = []
    for metric, label in METRICS.items():
        ahead = snapshot.ahead[snapshot.ahead["metric"] == metric]
        model = snapshot.champions[snapshot.champions["metric"] == metric]
        history = snapshot.history[snapshot.history["metric"] == metric]
        if ahead.empty or model.empty:
            continue
        champion = model.iloc[0]
        chart = forecast_svg(
            [Point(row.week_start.date(), row.actual) for row in history.itertuples()],
            [
                Interval(row.week_start.date(), row.yhat, row.yhat_lower, row.yhat_upper)
                for row in ahead.itertuples()
            ],
            label=f"{label}: the last {len(history)} weeks and the next {len(ahead)}",
            value_format=lambda value: f"{value:,.0f}",
        )
        parts.append(
            f'<h3 style="margin:16px 0 4px 0;font-size:15px;">{label}</h3>'
            f'<p style="{NOTE}margin:0 0 6px 0;">Model: {escape(str(champion["model"]))}. '
            f"{_track_record(champion)}</p>{chart}"
        )
    parts.append(_forecast_table(snapshot.ahead, snapshot.currency))
    return "\n".join(parts)


def _track_record(champion: pd.Series) -> str:
    if pd.isna(champion["coverage_80"]):
        return "Too few weeks yet to backtest it: a stated baseline without a track record."
    return (
        f"In its backtest: MASE {_mase(champion['mase'])} (its error over a typical "
        "week-to-week change; lower is better), and the 80% range held the actual "
        f"{champion['coverage_80']:.0%} of weeks."
    )


def _mase(value: float) -> str:
    return "n/a" if pd.isna(value) else f"{value:.2f}"


def _forecast_table(ahead: pd.DataFrame, currency: str) -> str:
    """The next few weeks' forecasts as numbers, for readers whose mail client drops SVG."""
    weeks = sorted(ahead["week_start"].unique())[:FORECAST_WEEKS_LISTED]
    rows = []
    for week in weeks:
        cells = [
            _range(forecast.iloc[0], currency) if len(forecast) else "–"
            for forecast in (
                ahead[(ahead["week_start"] == week) & (ahead["metric"] == metric)]
                for metric in METRICS
            )
        ]
        rows.append(
            f'<tr><td style="{TD}">Week of {week.day} {week:%b}</td>'
            + "".join(f'<td style="{NUM}">{escape(cell)}</td>' for cell in cells)
            + "</tr>"
        )
    headers = "".join(f'<th style="{TH}">{label}</th>' for label in METRICS.values())
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
    rows = "".join(
        f'<tr><td style="{TD}">{escape(str(row.client))}</td>'
        f'<td style="{TD}white-space:nowrap;">{_contact_html(row.tel, row.contact)}</td>'
        f'<td style="{TD}">{escape(row.why)}</td>'
        f'<td style="{TD}white-space:nowrap;">{_date(row.last_visit_date)}</td></tr>'
        for row in snapshot.at_risk.itertuples()
    )
    return (
        f'<p style="{NOTE}">Regulars who are well past their usual visit or unlikely to come '
        "back on their own, with nothing booked; the ones worth most to the shop first.</p>"
        f'<table style="{TABLE}"><tr><th style="{TH}">Client</th><th style="{TH}">Phone</th>'
        f'<th style="{TH}">Why</th><th style="{TH}">Last visit</th></tr>{rows}</table>'
    )


def _contact_html(tel: object, contact: str) -> str:
    """A dialable number is a `tel:` link (one tap on a phone); otherwise the words. pandas may
    hold a missing `tel` as NaN."""
    uri = text_or_none(tel)
    if uri is None:
        return escape(contact)
    return f'<a href="{escape(uri)}" style="color:#1a5fb4;">{escape(contact)}</a>'


def _date(value: pd.Timestamp) -> str:
    return "–" if pd.isna(value) else f"{value:%d %b %Y}"


def render_text(snapshot: Snapshot) -> str:
    """The plain-text part of the email: the same numbers, insights and call list."""
    lines = [title(snapshot), ""]
    lines += [
        f"{line.label}: {line.value} ({line.vs_week_before} vs week before, "
        f"{line.vs_year_before} vs last year)"
        + (f"; forecast {line.forecast}" if line.forecast else "")
        for line in _numbers(snapshot)
    ]
    lines += ["", "What to look at:"]
    lines += [
        f"- {i.headline}. {i.evidence} What to do: {i.recommendation}" for i in snapshot.insights
    ] or ["- Nothing unusual this week."]
    lines += ["", "Scorecard:", *scorecard_text(snapshot.scorecard, snapshot.currency)]
    lines += ["", "Clients to call this week:"]
    if snapshot.at_risk is None:
        lines.append("- Client scores not computed yet.")
    else:
        lines += [
            f"- {row.client}, {row.contact}: {row.why}" for row in snapshot.at_risk.itertuples()
        ] or ["- Nobody to chase this week."]
    lines += ["", "The charts and next weeks' forecast are in the HTML version of this email."]
    return "\n".join(lines) + "\n"
