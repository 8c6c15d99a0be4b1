import marimo

__generated_with = "0.25.2"
app = marimo.App(width="medium", app_title="Chairside · Clients")


@app.cell
def _():
    import marimo as mo

    from chairside.presentation.analytics import charts, clients, safe_csv, ui
    from chairside.presentation.analytics.catalog import CUSTOMER_SCORES, load_catalog
    from chairside.presentation.analytics.kpis import weekly_kpis
    from chairside.presentation.release.readers import current_release

    warehouse = current_release("analyst")
    # the call list and the campaign audience need contacts: the owner release
    contacts = current_release("owner")
    return (
        CUSTOMER_SCORES,
        charts,
        clients,
        contacts,
        load_catalog,
        mo,
        safe_csv,
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
    ui.header("Clients", shops, period, dates, clock, catalog.shops["time_zone"])
    return (dates,)


@app.cell
def _(charts, clients, dates, mo, shops, ui, warehouse, weekly_kpis):
    filters = ui.filters_from(shops, dates)
    _weekly = ui.guard(lambda: weekly_kpis(warehouse, filters))
    _mix = _weekly.melt(
        id_vars="week_start",
        value_vars=["new_clients", "returning_clients"],
        var_name="clients",
        value_name="count",
    ).replace({"new_clients": "New", "returning_clients": "Returning"})
    _cohorts = ui.guard(lambda: clients.cohorts(warehouse, filters))
    _cohorts = _cohorts.assign(cohort=_cohorts["cohort_month"].dt.strftime("%Y-%m"))
    mo.vstack(
        [
            charts.weekly_stack(_mix, "count", "clients", "Clients served per week"),
            mo.md(
                "## 90-day retention by cohort\n"
                "New clients by the month of their first visit, and the share who came back "
                "within 90 days. Months less than 90 days old are not shown yet."
            ),
            charts.bars(
                _cohorts,
                "cohort",
                "new_client_retention_90d",
                "Came back within 90 days",
                value_format=".0%",
                order=list(_cohorts["cohort"]),
            )
            if len(_cohorts)
            else mo.md("*No cohort in this range is 90 days old yet.*"),
        ]
    )
    return (filters,)


@app.cell
def _(charts, clients, filters, mo, ui, warehouse):
    _people = ui.guard(lambda: clients.demographics(warehouse, filters))
    _ages = _people.groupby("age_band", as_index=False)["clients"].sum()
    _genders = _people.groupby("gender", as_index=False)["clients"].sum()
    mo.vstack(
        [
            mo.md("## Who was served in the range"),
            mo.hstack(
                [
                    charts.bars(_ages, "age_band", "clients", "Age band", order=clients.AGE_BANDS),
                    charts.bars(_genders, "gender", "clients", "Gender"),
                ],
                justify="start",
            ),
        ]
    )
    return


@app.cell
def _(CUSTOMER_SCORES, catalog, mo, ui):
    mo.stop(
        not catalog.has(CUSTOMER_SCORES),
        ui.not_computed("Client scores (segments and the at-risk list)"),
    )
    return


@app.cell
def _(catalog, charts, clients, filters, mo, ui, warehouse):
    _money = ui.money(catalog.currency(filters.shop_ids))
    _segments = ui.guard(lambda: clients.segments(warehouse, filters.shop_ids))
    mo.vstack(
        [
            mo.md(
                "## Segments\n"
                f"From the latest scoring run ({_segments['scored_at'].max():%d %b %Y}), for "
                "clients whose home shop is picked."
            ),
            charts.bars(
                _segments, "segment", "clients", "Clients per segment", order=clients.SEGMENTS
            ),
            ui.table(
                _segments.drop(columns="scored_at"),
                predicted_clv_12m=_money,
                avg_p_alive=ui.PERCENT,
            ),
        ]
    )
    return


@app.cell
def _(catalog, clients, clock, contacts, filters, mo, ui):
    _today = clock.earliest_today(catalog.time_zones(filters.shop_ids))
    _at_risk = ui.guard(lambda: clients.at_risk(contacts, filters.shop_ids, _today))
    mo.vstack(
        [
            mo.md(
                "## At risk: who to call\n"
                "Regulars well past their usual visit or unlikely to come back on their own, "
                "with nothing booked; the ones worth most to the shop first. Clients gone more "
                "than a year are left to a win-back campaign."
            ),
            ui.table(
                # few enough columns to fit a laptop: the shop only when several are picked
                _at_risk[
                    ["client", "why", "contact"]
                    + (["home_shop"] if len(filters.shop_ids) > 1 else [])
                    + ["last_visit_date", "predicted_clv_12m", "marketing_opt_in"]
                ],
                page_size=15,
                last_visit_date=ui.DATE,
                predicted_clv_12m=ui.money(catalog.currency(filters.shop_ids)),
            ),
        ]
    )
    return


@app.cell
def _(clients, mo):
    audience_choice = mo.ui.radio(
        options={
            "At-risk clients": [clients.AT_RISK],
            "VIP clients": [clients.VIP],
            "Both": [clients.AT_RISK, clients.VIP],
        },
        value="At-risk clients",
        label="Campaign audience (clients who opted in to marketing)",
    )
    audience_choice
    return (audience_choice,)


@app.cell
def _(audience_choice, clients, contacts, filters, mo, safe_csv, ui):
    _audience = ui.guard(
        lambda: clients.audience(contacts, filters.shop_ids, audience_choice.value)
    )
    mo.hstack(
        [
            mo.md(f"**{len(_audience):,}** clients"),
            mo.download(
                data=safe_csv.to_csv(_audience),
                filename="campaign-audience.csv",
                mimetype="text/csv",
                label="Download CSV",
            ),
        ],
        justify="start",
        align="center",
    )
    return


if __name__ == "__main__":
    app.run()
