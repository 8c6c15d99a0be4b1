import marimo

__generated_with = "0.25.2"
app = marimo.App(width="medium", app_title="Chairside · Data health")


@app.cell
def _():
    import marimo as mo

    from chairside.core.settings import load_settings
    from chairside.presentation.analytics import charts, health, ui
    from chairside.presentation.analytics.catalog import load_catalog
    from chairside.presentation.analytics.filters import monday
    from chairside.presentation.release.readers import current_release
    from chairside.presentation.release.status import describe, release_status

    warehouse = current_release("owner")
    return (
        charts,
        describe,
        health,
        load_catalog,
        load_settings,
        mo,
        monday,
        release_status,
        ui,
        warehouse,
    )


@app.cell
def _(describe, mo, release_status, ui, warehouse):
    # first: every number on every page comes from this release
    _status = release_status(warehouse.store)
    mo.vstack(
        [
            mo.md("## Release"),
            mo.callout(
                mo.md(describe(_status)), kind="danger" if _status.refused_since else "info"
            ),
            ui.table(_status.failed_checks(), page_size=5) if _status.refused_since else mo.md(""),
            mo.accordion(
                {"Rows per mart and audience": ui.table(_status.row_counts(), page_size=15)}
            ),
        ]
    )
    return


@app.cell
def _(load_catalog, ui, warehouse):
    clock = ui.app_clock()
    catalog = ui.guard(lambda: load_catalog(warehouse))
    shops, period = ui.pickers(catalog)
    return catalog, clock, period, shops


@app.cell
def _(catalog, clock, monday, period, shops, ui):
    # through the week in progress, never later: what was set aside today matters here
    _this_week = monday(clock.earliest_today(catalog.shops["time_zone"]))
    dates = ui.days(catalog, clock, period, through_week=min(catalog.last_week, _this_week))
    ui.header("Data health", shops, period, dates, clock, catalog.shops["time_zone"])
    return (dates,)


@app.cell
def _(charts, dates, health, load_settings, mo, shops, ui, warehouse):
    filters = ui.filters_from(shops, dates)
    _settings = load_settings()
    _set_up = {"inbox"} | {
        system
        for system, settings in (("kafka", _settings.kafka), ("cassandra", _settings.cassandra))
        if settings is not None
    }
    _fresh = ui.guard(lambda: health.freshness(warehouse, filters.shop_ids, set_up=_set_up))
    _late = _fresh[~_fresh["status"].isin(["fresh", "not set up"])]
    mo.vstack(
        [
            mo.md(
                "## Freshness\n"
                "When each source last loaded (Kafka and Cassandra: for the picked shops). A "
                f"source is stale after {health.STALE_AFTER.total_seconds() / 3600:.0f} hours."
            ),
            mo.callout(mo.md(f"**Not fresh:** {', '.join(_late['source'])}"), kind="warn")
            if len(_late)
            else mo.callout(mo.md("Every source loaded in the last day."), kind="success"),
            charts.bars(
                _fresh.dropna(subset=["hours_since"]),
                "source",
                "hours_since",
                "Hours since the last load",
                value_format=",.1f",
                colour="status",
                order=list(_fresh["source"]),
            ),
            ui.table(_fresh, last_loaded_at=ui.utc_time, hours_since=ui.number("{:,.1f}")),
        ]
    )
    return (filters,)


@app.cell
def _(filters, health, mo, ui, warehouse):
    _aside = ui.guard(lambda: health.set_aside(warehouse, filters))

    def _section(title, empty, counts, latest=None):
        if counts is None:
            return mo.vstack([mo.md(f"## {title}"), mo.md("*Not loaded yet.*")])
        if counts.empty:
            return mo.vstack([mo.md(f"## {title}"), mo.md(f"*{empty}*")])
        parts = [mo.md(f"## {title}"), ui.table(counts)]
        if latest is not None:
            parts += [mo.md("Latest, with their reasons:"), ui.table(latest)]
        return mo.vstack(parts)

    mo.vstack(
        [
            mo.md(
                f"Set aside in the {filters.weeks} weeks from {filters.first_week:%d %b %Y} "
                "(chain-wide)."
            ),
            _section(
                "Kafka dead letters",
                "No dead letters in this range.",
                _aside.dead_letter_counts,
                _aside.latest_dead_letters,
            ),
            _section(
                "Quarantined spreadsheet rows",
                "No quarantined rows in this range.",
                _aside.quarantine_counts,
                _aside.latest_quarantine,
            ),
            _section(
                "Rejected spreadsheet files",
                "No file was rejected in this range.",
                _aside.rejected_files,
            ),
            _section(
                "Quarantined CRM rows",
                "No CRM row was quarantined in this range.",
                _aside.crm_quarantine_counts,
                _aside.latest_crm_quarantine,
            ),
        ]
    )
    return


@app.cell
def _(health, mo, ui, warehouse):
    _held = ui.guard(lambda: health.held(warehouse))
    _intro = mo.md(
        "## Held events\n"
        "Valid events the marts leave out until they can be placed: their shop is in no shops "
        "file yet, or their appointment's booking has not arrived. Each enters the marts by "
        "itself on the next build after its shop or booking does (chain-wide, as of now)."
    )
    if _held is None:
        _body = [mo.md("*Not built yet.*")]
    elif _held.counts.empty:
        _body = [mo.callout(mo.md("No event is held."), kind="success")]
    else:
        _body = [
            ui.table(_held.counts, held_since=ui.utc_time),
            mo.md("Oldest, with their reasons:"),
            ui.table(_held.oldest, first_seen=ui.utc_time),
        ]
    mo.vstack([_intro, *_body])
    return


@app.cell
def _(catalog, filters, mo, ui, warehouse):
    from chairside.presentation.analytics import alerts as _alerts

    _found = ui.guard(lambda: _alerts.in_range(warehouse, filters))
    _intro = mo.md(
        "## Alerts\n"
        "Each time a shop's health score or a scorecard principle fell below its target after a "
        "month on target, known the day its month was complete. An alert fires once per "
        "crossing: a metric that stays below raises no more until it is back on target."
    )
    if _found is None:
        _body = [mo.md("*Not built yet.*")]
    elif _found.empty:
        _body = [mo.callout(mo.md("No alert in this range."), kind="success")]
    else:
        _body = [
            ui.table(
                _alerts.display_table(_found, catalog.shops.set_index("shop_id")).assign(
                    Raised=[f"{day:%d %b %Y}" for day in _found["raised_on"]]
                )
            )
        ]
    mo.vstack([_intro, *_body])
    return


if __name__ == "__main__":
    app.run()
