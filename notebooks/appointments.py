import marimo

__generated_with = "0.25.2"
app = marimo.App(width="medium", app_title="Chairside · Appointments")


@app.cell
def _():
    import marimo as mo

    from chairside.presentation.analytics import appointments, charts, ui
    from chairside.presentation.analytics.catalog import load_catalog
    from chairside.presentation.analytics.kpis import KPI_BY_NAME, period_kpis, weekly_kpis
    from chairside.presentation.release.readers import current_release

    warehouse = current_release("analyst")
    return (
        KPI_BY_NAME,
        appointments,
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
    ui.header("Appointments", shops, period, dates, clock, catalog.shops["time_zone"])
    return (dates,)


@app.cell
def _(KPI_BY_NAME, catalog, dates, mo, period_kpis, shops, ui, warehouse):
    filters = ui.filters_from(shops, dates)
    _totals = ui.guard(lambda: period_kpis(warehouse, filters))
    _shown = [
        "appointments_scheduled",
        "appointments_completed",
        "no_show_rate",
        "cancellation_rate",
        "utilization",
        "appointments_booked",
    ]
    mo.vstack(
        [
            mo.md(f"Over the {filters.weeks} weeks from {filters.first_week:%d %b %Y}:"),
            ui.period_cards(
                [KPI_BY_NAME[name] for name in _shown],
                _totals,
                catalog.currency(filters.shop_ids),
            ),
        ]
    )
    return (filters,)


@app.cell
def _(appointments, charts, filters, mo, ui, warehouse, weekly_kpis):
    _weekly = ui.guard(lambda: weekly_kpis(warehouse, filters))
    _rates = _weekly.melt(
        id_vars="week_start",
        value_vars=["no_show_rate", "cancellation_rate", "utilization"],
        var_name="rate",
        value_name="value",
    ).replace(
        {
            "no_show_rate": "No-show rate",
            "cancellation_rate": "Cancellation rate",
            "utilization": "Utilization",
        }
    )
    mo.vstack(
        [
            charts.weekly_stack(
                appointments.status_mix(_weekly),
                "appointments",
                "status",
                "Appointments per week by final status",
                order=list(appointments.STATUSES.values()),
            ),
            charts.weekly_lines(
                _rates, "value", "rate", "No-shows, cancellations, utilization", axis_format=".0%"
            ),
        ]
    )
    return


@app.cell
def _(appointments, charts, filters, mo, ui, warehouse):
    _capacity = ui.guard(lambda: appointments.capacity(warehouse, filters))
    mo.vstack(
        [
            mo.md(
                "## Capacity by hour of the week\n"
                "Chair minutes taken (completed and no-show appointments) over chair minutes "
                "the roster offered."
            ),
            charts.hour_of_week(_capacity, "utilization", "Utilization", value_format=".0%"),
        ]
    )
    return


@app.cell
def _(appointments, catalog, filters, mo, ui, warehouse):
    _money = ui.money(catalog.currency(filters.shop_ids))
    _staff = ui.guard(lambda: appointments.staff_table(warehouse, filters))
    _reasons = ui.guard(lambda: appointments.cancel_reasons(warehouse, filters))
    mo.vstack(
        [
            mo.md(
                "## Barbers\n"
                "Rebooking: visits after which the client had a next appointment booked by "
                "the end of the day. Return: visits whose client came back within 90 days "
                "(weeks less than 90 days old are left out)."
            ),
            ui.table(
                _staff,
                revenue=_money,
                avg_ticket=_money,
                rebooking_rate=ui.PERCENT,
                return_rate_90d=ui.PERCENT,
            ),
            mo.md("## Why appointments were cancelled"),
            ui.table(_reasons, page_size=8),
        ]
    )
    return


if __name__ == "__main__":
    app.run()
