import marimo

__generated_with = "0.25.2"
app = marimo.App(width="medium", app_title="Chairside · Calls")


@app.cell
def _():
    import marimo as mo

    from chairside.presentation.analytics import calls, charts, ui
    from chairside.presentation.analytics.catalog import load_catalog
    from chairside.presentation.analytics.kpis import KPIS, Family, period_kpis, weekly_kpis
    from chairside.presentation.release.readers import current_release

    warehouse = current_release("analyst")
    return (
        Family,
        KPIS,
        calls,
        charts,
        load_catalog,
        mo,
        period_kpis,
        ui,
        warehouse,
        weekly_kpis,
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
    ui.header("Calls", shops, period, dates, clock, catalog.shops["time_zone"])
    return (dates,)


@app.cell
def _(Family, KPIS, catalog, dates, mo, period_kpis, shops, ui, warehouse):
    filters = ui.filters_from(shops, dates)
    _totals = ui.guard(lambda: period_kpis(warehouse, filters))
    mo.vstack(
        [
            mo.md(f"Over the {filters.weeks} weeks from {filters.first_week:%d %b %Y}:"),
            ui.period_cards(
                [kpi for kpi in KPIS if kpi.family is Family.CALLS],
                _totals,
                catalog.currency(filters.shop_ids),
            ),
        ]
    )
    return (filters,)


@app.cell
def _(calls, charts, filters, mo, ui, warehouse, weekly_kpis):
    _volume = ui.guard(lambda: calls.after_hours(warehouse, filters))
    _volume = _volume.assign(kind=_volume["period"] + ", " + _volume["outcome"].str.lower())
    _weekly = ui.guard(lambda: weekly_kpis(warehouse, filters))
    _rates = _weekly.melt(
        id_vars="week_start",
        value_vars=["call_answer_rate", "call_conversion_rate"],
        var_name="rate",
        value_name="value",
    ).replace({"call_answer_rate": "Answered", "call_conversion_rate": "Answered → booked"})
    mo.vstack(
        [
            charts.weekly_stack(
                _volume,
                "calls",
                "kind",
                "Calls per week: when, and answered?",
                colours=calls.OUTCOME_COLOURS,
            ),
            charts.weekly_lines(
                _rates, "value", "rate", "Answer rate and conversion to bookings", axis_format=".0%"
            ),
        ]
    )
    return


@app.cell
def _(calls, charts, filters, mo, ui, warehouse):
    _hours = ui.guard(lambda: calls.hour_of_week(warehouse, filters))
    mo.vstack(
        [
            mo.md("## By hour of the week"),
            charts.hour_of_week(_hours, "calls", "Calls", value_format=",.0f"),
            charts.hour_of_week(_hours, "answer_rate", "Answer rate", value_format=".0%"),
            charts.hour_of_week(_hours, "after_hours", "After-hours calls", value_format=",.0f"),
        ]
    )
    return


@app.cell
def _(calls, filters, mo, ui, warehouse):
    _intents = ui.guard(lambda: calls.by_intent(warehouse, filters))
    mo.vstack(
        [
            mo.md("## What callers wanted, and what came of it"),
            ui.table(_intents, answer_rate=ui.PERCENT, conversion_rate=ui.PERCENT),
        ]
    )
    return


if __name__ == "__main__":
    app.run()
