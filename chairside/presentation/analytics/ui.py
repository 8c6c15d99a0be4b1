"""The marimo pieces every app shares: the app's clock, the shop and date pickers, the guard that
turns an unreadable warehouse into a notice, KPI cards and insight cards.

An app never shows a stack trace: `guard` stops the cell with the error's own message, which
`chairside.core.warehouse` and `catalog` write for an owner, not for a developer.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TypeVar

import marimo as mo
import pandas as pd

from chairside.core.clock import Clock, parse_as_of
from chairside.core.settings import load_settings
from chairside.core.warehouse import WarehouseUnavailable
from chairside.presentation.analytics import safe_csv
from chairside.presentation.analytics.catalog import Catalog, NoData
from chairside.presentation.analytics.filters import Filters
from chairside.presentation.analytics.forecasts import METRICS
from chairside.presentation.analytics.insights import Insight
from chairside.presentation.analytics.kpis import Family, Kpi, change, direction, format_value
from chairside.presentation.analytics.labels import heading
from chairside.presentation.analytics.periods import (
    DEFAULT_PRESET,
    PRESETS,
    preset_span,
    typed_span,
)

T = TypeVar("T")


def money(currency: str) -> Callable[[float], str]:
    """A table cell's amount with its currency code ("CAD 1,234.50"); shops of different
    currencies ("" from `Catalog.currency`) show the amount alone."""
    return lambda value: "–" if pd.isna(value) else f"{currency} {value:,.2f}".strip()


def number(spec: str) -> Callable[[float], str]:
    """A table cell's number by `spec` ("{:,.1f}"), "–" where there is none (never "nan")."""
    return lambda value: "–" if pd.isna(value) else spec.format(value)


# Formats for `table`: a rate with no denominator, or a date never reached, shows "–".
DATE = number("{:%Y-%m-%d}")
PERCENT = number("{:.1%}")


def guard(read: Callable[[], T]) -> T:
    """`read()`, or stop the cell with a notice when the warehouse cannot answer."""
    try:
        return read()
    except (WarehouseUnavailable, NoData) as error:
        mo.stop(True, mo.callout(mo.md(str(error)), kind="warn"))
        raise


def app_clock() -> Clock:
    """The date the app answers for: `?as_of=YYYY-MM-DD` in its URL, else CHAIRSIDE_AS_OF, else
    today in each shop. A bad date in the URL stops the page with a notice naming it."""
    raw = mo.query_params().get("as_of")
    try:
        pinned = parse_as_of(raw, source="The as_of in the address")
    except ValueError as error:
        mo.stop(True, mo.callout(mo.md(str(error)), kind="warn"))
        raise
    return Clock(pinned) if pinned else load_settings().clock


def pickers(catalog: Catalog) -> tuple[mo.ui.multiselect, mo.ui.dropdown]:
    """The shops (the one `?shop=` names, as the owner snapshot's links do, else every one),
    and the period presets (`periods.PRESETS`), the default one chosen."""
    names = catalog.names()
    linked = [name for name, shop_id in names.items() if shop_id == mo.query_params().get("shop")]
    shops = mo.ui.multiselect(options=names, value=linked or list(names), label="Shops")
    period = mo.ui.dropdown(options=list(PRESETS), value=DEFAULT_PRESET, label="Period")
    return shops, period


def days(
    catalog: Catalog,
    clock: Clock,
    period: mo.ui.dropdown,
    *,
    through_week: dt.date | None = None,
) -> mo.ui.dictionary:
    """The From and To dates, filled from the chosen preset and editable as typed text.

    The preset ends with `through_week`: by default the week the app reports on as of `clock`
    (the last week complete everywhere), or the newest week when none is complete. Made in the
    cell below the preset's, so picking another preset fills them again."""
    through_week = through_week or catalog.reporting_week(clock) or catalog.last_week
    start, end = preset_span(period.value, through_week, catalog.first_week)
    return mo.ui.dictionary(
        {
            "from": mo.ui.text(value=f"{start:%Y-%m-%d}", label="From"),
            "to": mo.ui.text(value=f"{end:%Y-%m-%d}", label="To"),
        }
    )


def header(
    title: str,
    shops: mo.ui.multiselect,
    period: mo.ui.dropdown,
    dates: mo.ui.dictionary,
    clock: Clock,
    zones: Iterable[str],
) -> mo.Html:
    """The app's title, the date it answers for and its pickers. Shown by the cell that makes
    the dates: a cell that only shows them would run again, and redraw them, on every filter
    change."""
    return mo.vstack(
        [
            mo.md(f"# {title}\n<small>Answering {clock.describe(zones)}.</small>"),
            mo.hstack(
                [shops, period, dates["from"], dates["to"]], justify="start", gap=1, wrap=True
            ),
        ]
    )


def reporting_week(catalog: Catalog, clock: Clock, filters: Filters) -> dt.date:
    """The last week of the range complete in every picked shop as of `clock`, or a stopped cell
    that says in words there is none (never a week of zeros)."""
    week = catalog.reporting_week(clock, filters.shop_ids, (filters.first_week, filters.last_week))
    if week is None:
        mo.stop(True, no_complete_week(clock, catalog.time_zones(filters.shop_ids)))
        raise AssertionError("unreachable: mo.stop raises")
    return week


def no_complete_week(clock: Clock, zones: Iterable[str]) -> mo.Html:
    """What an app says instead of showing a week still in progress or not covered by data."""
    return mo.callout(
        mo.md(
            f"**No complete week in the chosen range** ({clock.describe(zones)}): every week in it "
            "is still in progress, or falls outside the weeks the shops' data covers. Widen "
            "the range or pick other shops."
        ),
        kind="info",
    )


def utc_time(value: pd.Timestamp) -> str:
    """A load time for a table cell; a source never loaded has none (NaT), and says so."""
    return "never" if pd.isna(value) else f"{value:%Y-%m-%d %H:%M UTC}"


def table(
    frame: pd.DataFrame,
    *,
    page_size: int = 10,
    filename: str = "chairside-table.csv",
    **formats: object,
) -> mo.Html:
    """A read-only table under people's headings (`labels.heading`): no selection, no column
    statistics or types, `formats` per column (by its name in `frame`), with a CSV download of
    its rows beneath it.

    marimo's own download button is off: it writes the raw cells, so a client's name typed as a
    formula would run in the owner's spreadsheet. The download offered is `csv_download`'s."""
    headings = {column: heading(str(column)) for column in frame.columns}
    named = frame.rename(columns=headings)
    shown = mo.ui.table(
        named,
        selection=None,
        show_download=False,
        page_size=page_size,
        show_column_summaries=False,
        show_data_types=False,
        format_mapping={headings[name]: spec for name, spec in formats.items()} or None,
    )
    return mo.vstack([shown, mo.hstack([csv_download(named, filename)], justify="end")])


def csv_download(frame: pd.DataFrame, filename: str) -> mo.Html:
    """A button that downloads `frame` as CSV with formula prefixes neutralised (`safe_csv`)."""
    return mo.download(
        data=safe_csv.to_csv(frame), filename=filename, mimetype="text/csv", label="Download CSV"
    )


def filters_from(shops: mo.ui.multiselect, dates: mo.ui.dictionary) -> Filters:
    """The pickers' values as `Filters`, or a stopped cell saying what to fix: no shop, or a
    typed date that is not one (named, with the form to type)."""
    mo.stop(not shops.value, mo.callout(mo.md("Pick at least one shop."), kind="info"))
    try:
        start, end = typed_span(dates.value["from"], dates.value["to"])
    except ValueError as error:
        mo.stop(True, mo.callout(mo.md(str(error)), kind="warn"))
        raise
    return Filters.from_inputs(shops.value, start, end)


def not_computed(what: str) -> mo.Html:
    return mo.callout(
        mo.md(f"**{what} not computed yet.** They appear after the weekly ML run (Mondays)."),
        kind="info",
    )


def kpi_cards(
    kpis: Iterable[Kpi],
    this_week: pd.Series,
    last_week: pd.Series | None,
    last_year: pd.Series | None,
    currency: str,
) -> mo.Html:
    """A card per KPI for this week, grouped by family, with the change from last week and from
    the same week last year (when there is one)."""
    sections = []
    by_family: dict[Family, list[Kpi]] = {}
    for kpi in kpis:
        by_family.setdefault(kpi.family, []).append(kpi)
    for family, members in by_family.items():
        cards = [_card(kpi, this_week, last_week, last_year, currency) for kpi in members]
        sections.append(
            mo.vstack([mo.md(f"### {family}"), mo.hstack(cards, wrap=True, justify="start")])
        )
    return mo.vstack(sections)


def _card(
    kpi: Kpi,
    this_week: pd.Series,
    last_week: pd.Series | None,
    last_year: pd.Series | None,
    currency: str,
) -> mo.Html:
    now = this_week[kpi.name]
    before = None if last_week is None else last_week[kpi.name]
    caption = f"{change(kpi, now, before)} vs last week"
    if last_year is not None:
        caption += f" · {change(kpi, now, last_year[kpi.name])} vs last year"
    if kpi.pending and pd.isna(now):
        caption = kpi.pending
    moved = direction(kpi, now, before) if kpi.higher_is_better is not None else None
    return mo.stat(
        value=format_value(kpi, now, currency),
        label=kpi.label,
        caption=caption,
        direction=moved,
        target_direction="increase" if kpi.higher_is_better is not False else "decrease",
        bordered=True,
    )


def next_week_cards(ahead: pd.DataFrame, currencies: Mapping[str, str]) -> mo.Html:
    """A card per shop and metric with next week's forecast and its 80% interval, revenue in
    the shop's currency (`currencies` by shop_id) and visits as visits."""

    def amount(value: float, row: object) -> str:
        if row.metric == "revenue_total":
            return f"{currencies[row.shop_id]} {value:,.0f}"
        return f"{value:,.0f} visits"

    first = ahead[ahead["week_start"] == ahead["week_start"].min()]
    return mo.hstack(
        [
            mo.stat(
                value=amount(row.yhat, row),
                label=f"{row.shop_name}: {METRICS[row.metric]} forecast",
                caption=f"80% likely between {amount(row.yhat_lower, row)} and "
                f"{amount(row.yhat_upper, row)}",
                bordered=True,
            )
            for row in first.itertuples()
        ],
        wrap=True,
        justify="start",
    )


def at_risk_card(clients: int) -> mo.Html:
    return mo.hstack(
        [
            mo.stat(
                value=f"{clients:,}",
                label="Clients at risk (latest scoring)",
                caption="The list with why is on the Clients page",
                bordered=True,
            )
        ],
        justify="start",
    )


def period_cards(kpis: Iterable[Kpi], values: pd.Series, currency: str) -> mo.Html:
    """A card per KPI over the whole range (no comparison: ranges differ in length)."""
    return mo.hstack(
        [
            mo.stat(value=format_value(kpi, values[kpi.name], currency), label=kpi.label)
            for kpi in kpis
        ],
        wrap=True,
        justify="start",
    )


def insight_cards(insights: Sequence[Insight], shown: int = 8) -> mo.Html:
    """A callout per insight (the `shown` strongest): headline, numbers behind it, what to do."""
    if not insights:
        return mo.callout(
            mo.md("No rule fired: every shop is within its own norm this week."), kind="success"
        )
    more = len(insights) - shown
    tail = [mo.md(f"*And {more} more; pick fewer shops to see them.*")] if more > 0 else []
    return mo.vstack(
        [
            mo.callout(
                mo.md(
                    f"**{insight.headline}**  \n"
                    f"{insight.evidence}  \n*What to do:* {insight.recommendation}"
                ),
                kind="warn",
            )
            for insight in insights[:shown]
        ]
        + tail
    )
