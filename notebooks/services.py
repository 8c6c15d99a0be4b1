import marimo

__generated_with = "0.25.2"
app = marimo.App(width="medium", app_title="Chairside · Services")


@app.cell
def _():
    import marimo as mo

    from chairside.presentation.analytics import charts, services, ui
    from chairside.presentation.analytics.catalog import load_catalog
    from chairside.presentation.release.readers import current_release

    warehouse = current_release("analyst")
    return charts, load_catalog, mo, services, ui, warehouse


@app.cell
def _(load_catalog, ui, warehouse):
    clock = ui.app_clock()
    catalog = ui.guard(lambda: load_catalog(warehouse))
    shops, period = ui.pickers(catalog)
    return catalog, clock, period, shops


@app.cell
def _(catalog, clock, period, shops, ui):
    dates = ui.days(catalog, clock, period)
    ui.header("Services", shops, period, dates, clock, catalog.shops["time_zone"])
    return (dates,)


@app.cell
def _(charts, dates, mo, services, shops, ui, warehouse):
    filters = ui.filters_from(shops, dates)
    _weekly = ui.guard(lambda: services.weekly_services(warehouse, filters))
    mo.vstack(
        [
            mo.md("## Popularity"),
            charts.weekly_stack(_weekly, "visits", "service_name", "Visits per week by service"),
            charts.weekly_lines(
                _weekly,
                "share_of_visits",
                "service_name",
                "Share of the week's visits",
                axis_format=".0%",
            ),
        ]
    )
    return (filters,)


@app.cell
def _(catalog, charts, filters, mo, services, ui, warehouse):
    _mix = ui.guard(lambda: services.revenue_mix(warehouse, filters))
    _currency = catalog.currency(filters.shop_ids)
    mo.vstack(
        [
            mo.md(
                f"## Revenue mix\nService revenue ({_currency or 'mixed currencies'}) over the "
                f"{filters.weeks} weeks from {filters.first_week:%d %b %Y}; products and tips "
                "are not part of a service."
            ),
            charts.bars(
                _mix, "service_name", "revenue_service", "Service revenue", colour="category"
            ),
            ui.table(
                _mix,
                revenue_service=ui.money(_currency),
                revenue_per_visit=ui.money(_currency),
                share_of_visits=ui.PERCENT,
                share_of_revenue=ui.PERCENT,
            ),
        ]
    )
    return


if __name__ == "__main__":
    app.run()
