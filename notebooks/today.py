import marimo

__generated_with = "0.25.2"
app = marimo.App(width="medium", app_title="Chairside · Today")


@app.cell
def _():
    import datetime as dt

    import marimo as mo

    from chairside.analytics import today
    from chairside.analytics.ui import app_clock
    from chairside.settings import load_settings
    from ingestion.inbox.shops_file import read_shop_book
    from ingestion.kafka.client import KafkaUnavailable
    from ingestion.kafka.today_feed import TodayFeed, start_of_today

    settings = load_settings()
    return (
        KafkaUnavailable,
        TodayFeed,
        app_clock,
        dt,
        mo,
        read_shop_book,
        settings,
        start_of_today,
        today,
    )


@app.cell
def _(app_clock, mo, read_shop_book, settings):
    clock = app_clock()
    book = read_shop_book(settings.inbox)
    mo.stop(
        not book.shops,
        mo.callout(
            mo.md(f"**No shops yet.** Drop a shops file into the inbox ({settings.inbox})."),
            kind="warn",
        ),
    )
    mo.stop(
        settings.kafka is None,
        mo.callout(
            mo.md("**No live feed.** Set CHAIRSIDE_KAFKA_BOOTSTRAP to the shops' Kafka cluster."),
            kind="warn",
        ),
    )
    names = {shop.shop_id: shop.name for shop in book.shops.values()}
    zones = {shop.shop_id: shop.time_zone for shop in book.shops.values()}
    return clock, names, zones


@app.cell
def _(KafkaUnavailable, TodayFeed, clock, mo, settings, start_of_today, zones):
    try:
        feed = TodayFeed(settings.kafka, start_of_today(clock, zones.values())).open()
    except KafkaUnavailable as error:
        mo.stop(True, mo.callout(mo.md(f"**Kafka cannot be read now.** {error}"), kind="warn"))
    return (feed,)


@app.cell
def _(mo):
    refresh = mo.ui.refresh(options=["1s", "5s", "30s"], default_interval="1s")
    return (refresh,)


@app.cell
def _(clock, dt, feed, mo, names, refresh, today, zones):
    refresh
    feed.catch_up()
    counts = today.per_shop(feed.events.values(), clock, names, zones)
    totals = counts.drop(columns="shop").sum()
    read_at = dt.datetime.now().astimezone()  # when the page was refreshed: a load time
    mo.vstack(
        [
            mo.hstack(
                [
                    mo.md(f"## Today\n{clock.describe(zones.values())}"),
                    refresh,
                ],
                justify="space-between",
            ),
            mo.hstack(
                [
                    mo.stat(int(totals.calls_answered), label="Calls answered"),
                    mo.stat(int(totals.calls_missed), label="Calls missed"),
                    mo.stat(int(totals.bookings), label="Bookings made"),
                    mo.stat(int(totals.inquiries), label="Inquiries"),
                ],
                justify="start",
                gap=2,
            ),
            mo.ui.table(
                counts.rename(
                    columns={
                        "shop": "Shop",
                        "calls_answered": "Calls answered",
                        "calls_missed": "Calls missed (incl. voicemail)",
                        "bookings": "Bookings made",
                        "inquiries": "Inquiries",
                    }
                ),
                selection=None,
                pagination=False,
                show_download=False,
                label="Per shop",
            ),
            mo.md(
                f"Straight from the shops' event stream, not the warehouse; read at "
                f"{read_at:%H:%M:%S}. Calls ringing now are not on the stream: only a call's "
                "end is published."
            ).style({"color": "gray"}),
        ]
    )
    return


if __name__ == "__main__":
    app.run()
