import marimo

__generated_with = "0.25.2"
app = marimo.App(width="medium", app_title="Chairside · Forecasts")


@app.cell
def _():
    import marimo as mo

    from chairside.presentation.analytics import charts, forecasts, ui
    from chairside.presentation.analytics.catalog import FORECASTS, load_catalog
    from chairside.presentation.release.readers import current_release

    warehouse = current_release("analyst")
    return (
        FORECASTS,
        charts,
        forecasts,
        load_catalog,
        mo,
        ui,
        warehouse,
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
    ui.header("Forecasts", shops, period, dates, clock, catalog.shops["time_zone"])
    return (dates,)


@app.cell
def _(FORECASTS, catalog, clock, dates, mo, shops, ui):
    mo.stop(not catalog.has(FORECASTS), ui.not_computed("Forecasts"))
    filters = ui.filters_from(shops, dates)
    week = ui.reporting_week(catalog, clock, filters)
    return filters, week


@app.cell
def _(filters, forecasts, mo, ui, warehouse):
    _champions = ui.guard(lambda: forecasts.champions(warehouse, filters.shop_ids))
    mo.vstack(
        [
            mo.md(
                "## Champion models\n"
                "Per shop and metric, the model picked on earlier backtest origins and scored "
                "on later ones: its held-out MASE (its error over a typical week-to-week "
                "change; lower is better) beside seasonal naive's, and how often its 80% "
                "interval held the actual there."
            ),
            ui.table(forecasts.champion_table(_champions), **{"trained through": ui.DATE}),
        ]
    )
    return


@app.cell
def _(catalog, charts, filters, forecasts, mo, ui, warehouse, week):
    _currency = catalog.shops.set_index("shop_id")["currency"]
    _ahead = ui.guard(lambda: forecasts.next_weeks(warehouse, filters.shop_ids, week))
    _history = ui.guard(lambda: forecasts.actuals(warehouse, filters.ending(week, 12)))
    _rows = []
    for (_shop_id, _shop_name), _shop_ahead in _ahead.groupby(["shop_id", "shop_name"]):
        _rows.append(
            mo.hstack(
                [
                    charts.forecast(
                        _history[
                            (_history["shop_id"] == _shop_id) & (_history["metric"] == _metric)
                        ],
                        _shop_ahead[_shop_ahead["metric"] == _metric],
                        f"{_shop_name}: {_label}",
                        unit=_currency[_shop_id] if _metric == "revenue_total" else "visits",
                    )
                    for _metric, _label in forecasts.METRICS.items()
                ],
                justify="start",
            )
        )
    mo.vstack(
        [
            mo.md(
                f"## The next {_ahead['horizon_weeks'].nunique()} weeks\n"
                "The last 12 complete weeks in black, the forecast in blue with its 80% interval."
            ),
            *_rows,
        ]
        if _rows
        else [mo.md("## The next weeks"), mo.md("*No forecast for the picked shops.*")]
    )
    return


@app.cell
def _(catalog, charts, filters, forecasts, mo, ui, warehouse, week):
    _currency = catalog.currency(filters.shop_ids)
    _compared = ui.guard(lambda: forecasts.forecast_vs_actual(warehouse, filters, week))
    mo.stop(
        _compared.empty,
        mo.vstack(
            [
                mo.md("## Forecast against what happened"),
                mo.md("*No forecast was made for the complete weeks of this range.*"),
            ]
        ),
    )
    _rows = [
        mo.hstack(
            [
                charts.forecast(
                    _group[_group["metric"] == _metric],
                    _group[_group["metric"] == _metric],
                    f"{_shop_name}: {_label}",
                    unit=_currency if _metric == "revenue_total" else "visits",
                )
                for _metric, _label in forecasts.METRICS.items()
            ],
            justify="start",
        )
        for _shop_name, _group in _compared.groupby("shop_name")
    ]
    mo.vstack(
        [
            mo.md(
                "## Forecast against what happened\n"
                "For each complete week, the forecast made closest before it (blue, with its "
                "80% interval) and the actual (black)."
            ),
            ui.table(
                forecasts.accuracy_summary(_compared),
                inside_80=ui.PERCENT,
                mean_abs_error="{:,.1f}",
                mean_abs_pct_error=ui.PERCENT,
            ),
            *_rows,
        ]
    )
    return


if __name__ == "__main__":
    app.run()
