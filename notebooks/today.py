import marimo

__generated_with = "0.25.2"
app = marimo.App(width="medium", app_title="Chairside · Today")


@app.cell
def _():
    import datetime as dt

    import marimo as mo

    from chairside.core.settings import load_settings
    from chairside.presentation.analytics import today
    from chairside.presentation.analytics.ui import app_clock
    from ingestion.inbox.shops_file import read_shop_book
    from ingestion.kafka.client import KafkaUnavailable
    from ingestion.kafka.today_feed import TodayFeed, start_of_today
    from ingestion.webhooks.ringing import InProgressUnknown, read_in_progress

    settings = load_settings()
    return (
        InProgressUnknown,
        KafkaUnavailable,
        TodayFeed,
        app_clock,
        dt,
        mo,
        read_in_progress,
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
def _(
    InProgressUnknown,
    clock,
    dt,
    feed,
    mo,
    names,
    read_in_progress,
    refresh,
    settings,
    today,
    zones,
):
    refresh
    feed.catch_up()
    counts = today.per_shop(feed.events.values(), clock, names, zones)
    service_url = settings.webhooks.service_url
    if service_url is None:
        ringing_note = "Calls ringing now come from the webhook service: set CHAIRSIDE_WEBHOOK_URL."
        in_progress = {}
    else:
        try:
            in_progress, ringing_note = read_in_progress(service_url), ""
        except InProgressUnknown as error:
            in_progress, ringing_note = {}, f"Calls ringing now unknown: {error}."
    counts = today.with_calls_in_progress(counts, in_progress, names)
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
                    mo.stat(int(totals.ringing), label="Ringing now"),
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
                        "ringing": "Ringing now",
                        "on_the_line": "On the line",
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
                f"Straight from the shops' event stream and phone systems, not the warehouse; "
                f"read at {read_at:%H:%M:%S}. {ringing_note}"
            ).style({"color": "gray"}),
        ]
    )
    return


if __name__ == "__main__":
    app.run()
