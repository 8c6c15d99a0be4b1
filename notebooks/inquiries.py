import marimo

__generated_with = "0.25.2"
app = marimo.App(width="medium", app_title="Chairside · Inquiries")


@app.cell
def _():
    import marimo as mo

    from chairside.presentation.analytics import charts, inquiries, ui
    from chairside.presentation.analytics.catalog import load_catalog
    from chairside.presentation.release.readers import current_release

    warehouse = current_release("analyst")
    # the newest inquiries are for the front desk: who asked what, in the owner's release
    contacts = current_release("owner")
    return charts, contacts, inquiries, load_catalog, mo, ui, warehouse


@app.cell
def _(load_catalog, ui, warehouse):
    clock = ui.app_clock()
    catalog = ui.guard(lambda: load_catalog(warehouse))
    shops, period = ui.pickers(catalog)
    return catalog, clock, period, shops


@app.cell
def _(catalog, clock, period, shops, ui):
    dates = ui.days(catalog, clock, period)
    ui.header("Inquiries", shops, period, dates, clock, catalog.shops["time_zone"])
    return (dates,)


@app.cell
def _(charts, dates, inquiries, mo, shops, ui, warehouse):
    filters = ui.filters_from(shops, dates)
    _weekly = ui.guard(lambda: inquiries.weekly(warehouse, filters))
    mo.stop(
        _weekly.empty,
        mo.callout(mo.md("No inquiry was logged at the picked shops in this range."), kind="info"),
    )
    _by_channel = _weekly.groupby("channel", as_index=False)["inquiries"].sum()
    mo.vstack(
        [
            mo.md(
                "## Inquiries\nEvery question the front desk logged, from the sheet, the CRM and "
                "the front-desk form, each once."
            ),
            mo.hstack(
                [
                    mo.stat(
                        value=f"{_weekly['inquiries'].sum():,}", label="In the range", bordered=True
                    )
                ]
                + [
                    mo.stat(value=f"{row.inquiries:,}", label=row.channel, bordered=True)
                    for row in _by_channel.itertuples()
                ],
                wrap=True,
                justify="start",
            ),
            charts.weekly_stack(
                _weekly,
                "inquiries",
                "channel",
                "Inquiries per week by channel",
                order=inquiries.HEADINGS,
            ),
        ]
    )
    return (filters,)


@app.cell
def _(contacts, filters, inquiries, mo, ui):
    _latest = ui.guard(lambda: inquiries.latest(contacts, filters))
    mo.vstack(
        [
            mo.md("## The newest inquiries"),
            ui.table(_latest, received="{:%Y-%m-%d %H:%M}"),
        ]
    )
    return


if __name__ == "__main__":
    app.run()
