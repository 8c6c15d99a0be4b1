import marimo

__generated_with = "0.25.2"
app = marimo.App(width="medium", app_title="Chairside · Inquiries")


@app.cell
def _():
    import altair as alt
    import marimo as mo

    from chairside.analytics import ui
    from chairside.settings import load_settings
    from chairside.warehouse import WarehouseUnavailable, read_frame

    warehouse_path = load_settings().duckdb_path
    return WarehouseUnavailable, alt, mo, read_frame, ui, warehouse_path


@app.cell
def _(WarehouseUnavailable, mo, read_frame, warehouse_path):
    try:
        shops = read_frame(
            warehouse_path, "select shop_id, shop_name from marts.dim_shop order by shop_id"
        )
        bounds = read_frame(
            warehouse_path,
            "select min(week_start) as first, max(week_start) as last from marts.fct_inquiries",
        )
        load_error = (
            None if len(shops) and bounds["first"].notna().all() else "No inquiries loaded."
        )
    except WarehouseUnavailable as error:
        load_error = str(error)
    mo.stop(
        load_error is not None, mo.callout(mo.md(f"**No data yet.** {load_error}"), kind="warn")
    )
    shop_picker = mo.ui.multiselect(
        options=dict(zip(shops.shop_name, shops.shop_id, strict=True)),
        value=list(shops.shop_name),
        label="Shops",
    )
    date_range = mo.ui.date_range(
        start=bounds["first"][0], stop=bounds["last"][0], label="Weeks starting"
    )
    return date_range, shop_picker


@app.cell
def _(date_range, mo, shop_picker):
    mo.hstack([shop_picker, date_range], justify="start", gap=2)
    return


@app.cell
def _(WarehouseUnavailable, date_range, mo, read_frame, shop_picker, warehouse_path):
    mo.stop(not shop_picker.value, mo.md("Pick at least one shop."))
    try:
        weekly = read_frame(
            warehouse_path,
            """
            select f.shop_id, s.shop_name, f.week_start, count(*) as inquiries
            from marts.fct_inquiries f
            join marts.dim_shop s using (shop_id)
            where f.shop_id in (select unnest(?::varchar[]))
              and f.week_start >= ? and f.week_start <= ?
            group by all
            order by f.week_start, f.shop_id
            """,
            [list(shop_picker.value), date_range.value[0], date_range.value[1]],
        )
    except WarehouseUnavailable as error:
        weekly = None
        mo.stop(True, mo.callout(mo.md(str(error)), kind="warn"))
    return (weekly,)


@app.cell
def _(alt, mo, ui, weekly):
    chart = (
        alt.Chart(weekly)
        .mark_line(point=True)
        .encode(
            x=alt.X("week_start:T", title="Week starting"),
            y=alt.Y("inquiries:Q", title="Inquiries"),
            color=alt.Color("shop_name:N", title="Shop"),
            tooltip=["shop_name", "week_start:T", "inquiries"],
        )
        .properties(height=320, title="Front-desk inquiries per shop per week")
    )
    mo.vstack([mo.ui.altair_chart(chart), ui.table(weekly, filename="inquiries-per-week.csv")])
    return


if __name__ == "__main__":
    app.run()
