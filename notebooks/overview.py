import marimo

__generated_with = "0.25.2"
app = marimo.App(width="medium", app_title="Chairside · Overview")


@app.cell
def _():
    import marimo as mo

    from chairside.presentation.analytics import ui
    from chairside.presentation.analytics.catalog import (
        CUSTOMER_SCORES,
        FORECASTS,
        load_catalog,
    )
    from chairside.presentation.analytics.charts import kpi_trends
    from chairside.presentation.analytics.clients import AT_RISK, segments
    from chairside.presentation.analytics.drilldown import drill, rows_behind
    from chairside.presentation.analytics.forecasts import next_weeks
    from chairside.presentation.analytics.history import load_histories
    from chairside.presentation.analytics.insights import find_insights
    from chairside.presentation.analytics.kpis import KPI_BY_NAME, KPIS, week_in_context
    from chairside.presentation.release.readers import current_release

    warehouse = current_release("analyst")
    return (
        AT_RISK,
        CUSTOMER_SCORES,
        FORECASTS,
        KPIS,
        KPI_BY_NAME,
        drill,
        find_insights,
        kpi_trends,
        load_catalog,
        load_histories,
        mo,
        next_weeks,
        rows_behind,
        segments,
        ui,
        warehouse,
        week_in_context,
    )


@app.cell
def _(load_catalog, ui, warehouse):
    clock = ui.app_clock()
    catalog = ui.guard(lambda: load_catalog(warehouse))
    shops, period = ui.pickers(catalog)
    return catalog, clock, period, shops


@app.cell
def _(catalog, clock, period, shops, ui):
    dates = ui.days(catalog, clock, period)
    ui.header("Overview", shops, period, dates, clock, catalog.shops["time_zone"])
    return (dates,)


@app.cell
def _(catalog, clock, dates, shops, ui, warehouse, week_in_context):
    filters = ui.filters_from(shops, dates)
    week = ui.reporting_week(catalog, clock, filters)
    currency = catalog.currency(filters.shop_ids)
    context = ui.guard(
        lambda: week_in_context(warehouse, filters.shop_ids, week, filters.through(week).mondays())
    )
    return context, currency, filters, week


@app.cell
def _(mo, week):
    mo.md(
        f"## Week of {week.day} {week:%b %Y}\n"
        "The last complete week in the range, against the week before and the same week a "
        "year earlier."
    )
    return


@app.cell
def _(catalog, filters, find_insights, load_histories, mo, ui, warehouse, week):
    _histories = ui.guard(lambda: load_histories(warehouse, catalog, filters.ending(week, 1)))
    mo.vstack([mo.md("### What to look at"), ui.insight_cards(find_insights(_histories))])
    return


@app.cell
def _(KPIS, context, currency, mo, ui):
    mo.stop(
        context.week is None,
        mo.callout(mo.md("No data for this week at the picked shops."), kind="info"),
    )
    ui.kpi_cards(KPIS, context.week, context.week_before, context.year_before, currency)
    return


@app.cell
def _(KPIS, mo):
    behind = mo.ui.dropdown(
        options={kpi.label: kpi.name for kpi in KPIS}, label="Show the rows behind"
    )
    return (behind,)


@app.cell
def _(behind, currency, drill, filters, mo, rows_behind, ui, warehouse, week):
    mo.stop(behind.value is None, behind)
    _rows = ui.guard(lambda: drill(warehouse, filters, week, behind.value))
    mo.vstack(
        [
            behind,
            mo.md(
                f"{len(_rows):,} {rows_behind(behind.value).words} in the week of "
                f"{week.day} {week:%b %Y}:"
            ),
            ui.table(
                _rows, page_size=15, starts="{:%a %-d %b %H:%M}", revenue_total=ui.money(currency)
            ),
        ]
    )
    return


@app.cell
def _(KPI_BY_NAME, context, kpi_trends, mo):
    _shown = [
        "revenue_total",
        "appointments_completed",
        "utilization",
        "no_show_rate",
        "rebooking_rate",
        "call_answer_rate",
    ]
    mo.vstack([mo.md("## Trends"), kpi_trends(context.trend, [KPI_BY_NAME[n] for n in _shown])])
    return


@app.cell
def _(
    AT_RISK,
    CUSTOMER_SCORES,
    FORECASTS,
    catalog,
    filters,
    mo,
    next_weeks,
    segments,
    ui,
    warehouse,
    week,
):
    _parts = [mo.md("## Next week and clients to call")]
    if catalog.has(FORECASTS):
        _ahead = ui.guard(lambda: next_weeks(warehouse, filters.shop_ids, week))
        _parts.append(ui.next_week_cards(_ahead, catalog.shops.set_index("shop_id")["currency"]))
    else:
        _parts.append(ui.not_computed("Forecasts"))
    if catalog.has(CUSTOMER_SCORES):
        _segments = ui.guard(lambda: segments(warehouse, filters.shop_ids))
        _parts.append(
            ui.at_risk_card(_segments.loc[_segments["segment"] == AT_RISK, "clients"].sum())
        )
    else:
        _parts.append(ui.not_computed("Client scores"))
    mo.vstack(_parts)
    return


@app.cell
def _(catalog, filters, mo, ui, warehouse, week):
    import datetime as _dt

    from chairside.presentation.analytics import scorecard as _scorecard

    # the last complete month known by the end of the reported week
    _cards = ui.guard(
        lambda: _scorecard.latest(warehouse, filters.shop_ids, week + _dt.timedelta(days=7))
    )
    _parts = [mo.md("## Scorecard")]
    if _cards is None:
        _parts.append(
            mo.callout(mo.md("**Scorecard not built yet.** Run the pipeline."), kind="info")
        )
    elif _cards.empty:
        _parts.append(mo.callout(mo.md("No complete month yet at the picked shops."), kind="info"))
    else:
        _names = catalog.shops.set_index("shop_id")["shop_name"]
        for _shop_id, _card in _cards.groupby("shop_id", sort=True):
            _parts.append(mo.md(f"### {_names[_shop_id]}: {_scorecard.headline(_card)}"))
            _parts.append(ui.table(_scorecard.display_table(_card, catalog.currency([_shop_id]))))
    mo.vstack(_parts)
    return


@app.cell
def _(catalog, filters, mo, ui, warehouse):
    from chairside.presentation.analytics import alerts as _alerts

    # alerts known in the picked range: each fires once, the month its metric fell below target
    _found = ui.guard(lambda: _alerts.in_range(warehouse, filters))
    _parts = [mo.md("## Alerts")]
    if _found is None:
        _parts.append(mo.callout(mo.md("**Alerts not built yet.** Run the pipeline."), kind="info"))
    elif _found.empty:
        _parts.append(
            mo.callout(
                mo.md("No health score or principle fell below its target in this range."),
                kind="success",
            )
        )
    else:
        _parts.append(
            mo.callout(
                mo.md(f"**{len(_found)} fell below target in this range** (newest first)."),
                kind="danger",
            )
        )
        _parts.append(ui.table(_alerts.display_table(_found, catalog.shops.set_index("shop_id"))))
    mo.vstack(_parts)
    return


@app.cell
def _(catalog, filters, mo, ui, warehouse):
    from chairside.presentation.analytics import levers as _levers

    _pairs = ui.guard(lambda: _levers.upsell_pairs(warehouse, filters.shop_ids))
    _parts = [mo.md("## Revenue levers: services to offer together")]
    if _pairs is None:
        _parts.append(mo.callout(mo.md("**Levers not built yet.** Run the pipeline."), kind="info"))
    else:
        _names = catalog.shops.set_index("shop_id")["shop_name"]
        for _shop_id in filters.shop_ids:
            _sentence, _table = _levers.upsell_verdict(
                _pairs[_pairs["shop_id"] == _shop_id], catalog.currency([_shop_id])
            )
            _parts.append(mo.md(f"### {_names[_shop_id]}\n{_sentence}"))
            if not _table.empty:
                _parts.append(ui.table(_table))
    mo.vstack(_parts)
    return


@app.cell
def _(catalog, filters, mo, ui, warehouse):
    from chairside.presentation.analytics import offpeak as _offpeak
    from chairside.presentation.analytics import pricing as _pricing

    _hours = ui.guard(lambda: _offpeak.offpeak_hours(warehouse, filters.shop_ids))
    _services = ui.guard(lambda: _pricing.price_realisation(warehouse, filters.shop_ids))
    _parts = [mo.md("## Revenue levers: hours to fill or cover, and prices charged")]
    if _hours is None or _services is None:
        _parts.append(mo.callout(mo.md("**Levers not built yet.** Run the pipeline."), kind="info"))
    else:
        _names = catalog.shops.set_index("shop_id")["shop_name"]
        for _shop_id in filters.shop_ids:
            _currency = catalog.currency([_shop_id])
            _parts.append(mo.md(f"### {_names[_shop_id]}"))
            for _sentence, _table in (
                _offpeak.offpeak_verdict(_hours[_hours["shop_id"] == _shop_id], _currency),
                _pricing.price_verdict(_services[_services["shop_id"] == _shop_id], _currency),
            ):
                _parts.append(mo.md(_sentence))
                if not _table.empty:
                    _parts.append(ui.table(_table))
    mo.vstack(_parts)
    return


if __name__ == "__main__":
    app.run()
