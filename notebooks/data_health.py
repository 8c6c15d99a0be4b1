import marimo

__generated_with = "0.25.2"
app = marimo.App(width="medium", app_title="Chairside · Data health")


@app.cell
def _():
    import marimo as mo

    from chairside.analytics import charts, health, ui
    from chairside.analytics.catalog import load_catalog
    from chairside.settings import load_settings

    warehouse = load_settings().duckdb_path
    return charts, health, load_catalog, mo, ui, warehouse


@app.cell
def _(load_catalog, ui, warehouse):
    clock = ui.app_clock()
    catalog = ui.guard(lambda: load_catalog(warehouse))
    # through the week in progress: what was set aside today matters here
    shops, dates = ui.pickers(catalog, clock, through_week=catalog.last_week)
    ui.header("Data health", shops, dates, clock, catalog.shops["time_zone"])
    return dates, shops


@app.cell
def _(charts, dates, health, mo, shops, ui, warehouse):
    filters = ui.filters_from(shops, dates)
    _fresh = ui.guard(lambda: health.freshness(warehouse, filters.shop_ids))
    _late = _fresh[_fresh["status"] != "fresh"]
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
            ui.table(_fresh, last_loaded_at=ui.utc_time, hours_since="{:,.1f}"),
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


if __name__ == "__main__":
    app.run()
