import marimo

__generated_with = "0.25.2"
app = marimo.App(width="medium", app_title="Chairside · Front desk")


@app.cell
def _():
    import datetime as dt

    import marimo as mo

    from chairside.core.settings import load_settings
    from chairside.presentation.analytics import today
    from chairside.presentation.analytics.ui import app_clock
    from ingestion.cassandra.session import CassandraUnavailable
    from ingestion.front_desk.inquiry_form import CHANNELS, FormErrors, read_form
    from ingestion.front_desk.record import record
    from ingestion.inbox.shops_file import read_shop_book
    from ingestion.kafka.acknowledged import shared_publisher
    from ingestion.kafka.client import KafkaUnavailable
    from ingestion.kafka.producer import PublishFailed
    from ingestion.kafka.today_feed import TodayFeed, start_of_today

    settings = load_settings()
    return (
        CHANNELS,
        CassandraUnavailable,
        FormErrors,
        KafkaUnavailable,
        PublishFailed,
        TodayFeed,
        app_clock,
        dt,
        mo,
        read_form,
        read_shop_book,
        record,
        settings,
        shared_publisher,
        start_of_today,
        today,
    )


@app.cell
def _(app_clock, mo, read_shop_book, settings, shared_publisher):
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
            mo.md("**Inquiries cannot be saved.** Set CHAIRSIDE_KAFKA_BOOTSTRAP."), kind="warn"
        ),
    )
    names = {shop.shop_id: shop.name for shop in book.shops.values()}
    zones = {shop.shop_id: shop.time_zone for shop in book.shops.values()}
    publisher = shared_publisher(settings.kafka, timeout_seconds=10)
    return book, clock, names, publisher, zones


@app.cell
def _(mo):
    # A new form (empty fields) after each saved inquiry; the errors of the last attempt.
    get_form_round, set_form_round = mo.state(0)
    get_errors, set_errors = mo.state({})
    get_saved, set_saved = mo.state(None)
    return get_errors, get_form_round, get_saved, set_errors, set_form_round, set_saved


@app.cell
def _(CHANNELS, get_form_round, mo, names):
    get_form_round()
    fields = {
        "shop": mo.ui.dropdown(
            options={name: shop_id for shop_id, name in sorted(names.items())}, label="Shop"
        ),
        "name": mo.ui.text(label="Name", full_width=True),
        "phone": mo.ui.text(label="Phone", placeholder="(709) 555-0100"),
        "email": mo.ui.text(label="Email", kind="text"),
        "age": mo.ui.text(label="Age"),
        "gender": mo.ui.dropdown(
            options=["female", "male", "non-binary", "other", "prefer not to say"],
            label="Gender",
        ),
        "inquiry": mo.ui.text_area(label="Inquiry", full_width=True),
        "channel": mo.ui.dropdown(
            options={channel.replace("_", "-"): channel for channel in CHANNELS},
            value="walk-in",
            label="Channel",
        ),
    }
    save = mo.ui.run_button(label="Save inquiry", kind="success")
    return fields, save


@app.cell
def _(fields, get_errors, get_saved, mo, save):
    errors = get_errors()

    def row(name):
        beside = (
            mo.md(f"**{errors[name]}**").style({"color": "#b42318"})
            if name in errors
            else mo.md("")
        )
        return mo.hstack([fields[name], beside], justify="start", gap=1, align="center")

    saved = get_saved()
    mo.vstack(
        [
            mo.md("## Front desk: new inquiry"),
            *[row(name) for name in fields],
            save,
            mo.callout(mo.md(saved), kind="success") if saved else mo.md(""),
        ]
    )
    return


@app.cell
def _(
    CassandraUnavailable,
    FormErrors,
    PublishFailed,
    book,
    dt,
    fields,
    mo,
    names,
    publisher,
    read_form,
    record,
    save,
    set_errors,
    set_form_round,
    set_saved,
    settings,
    zones,
):
    mo.stop(not save.value)
    try:
        inquiry = read_form(
            {name: element.value for name, element in fields.items()},
            book,
            received_at=dt.datetime.now(dt.UTC),  # when it was taken: a load time
        )
    except FormErrors as invalid:
        set_saved(None)
        set_errors(invalid.errors)
        mo.stop(True)
    try:
        record(inquiry, publisher, settings.cassandra, zones[inquiry.shop_id])
    except PublishFailed as error:
        set_saved(None)
        set_errors({"inquiry": f"Not saved, try again: {error}"})
        mo.stop(True)
    except CassandraUnavailable as error:
        # The event is in Kafka, so the inquiry is saved; the CRM copy is the one missing.
        set_errors({})
        set_saved(f"Saved for {names[inquiry.shop_id]}, but not in the CRM: {error}")
        set_form_round(lambda n: n + 1)
        mo.stop(True)
    set_errors({})
    set_saved(f"Saved: {inquiry.data.customer_name} at {names[inquiry.shop_id]}.")
    set_form_round(lambda n: n + 1)
    return


@app.cell
def _(KafkaUnavailable, TodayFeed, clock, mo, settings, start_of_today, zones):
    try:
        feed = TodayFeed(settings.kafka, start_of_today(clock, zones.values())).open()
    except KafkaUnavailable as error:
        mo.stop(True, mo.callout(mo.md(f"**Kafka cannot be read now.** {error}"), kind="warn"))
    refresh = mo.ui.refresh(options=["1s", "5s", "30s"], default_interval="1s")
    return feed, refresh


@app.cell
def _(clock, feed, mo, names, refresh, today, zones):
    refresh
    feed.catch_up()
    inquiries = today.inquiries(feed.events.values(), clock, names, zones)
    mo.vstack(
        [
            mo.hstack(
                [mo.md(f"### Today's inquiries ({len(inquiries)})"), refresh],
                justify="space-between",
            ),
            mo.md(clock.describe(zones.values())).style({"color": "gray"}),
            mo.ui.table(
                inquiries,
                selection=None,
                pagination=False,
                show_download=False,
                label="Newest first",
            ),
        ]
    )
    return


if __name__ == "__main__":
    app.run()
