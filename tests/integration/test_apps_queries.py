"""Every app query on the demo warehouse, reconciled against the marts another way: the same
visits, calls and minutes must come out of every view of them."""

import datetime as dt
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest

from chairside.presentation.analytics import (
    appointments,
    calls,
    clients,
    drilldown,
    forecasts,
    health,
    inquiries,
    services,
)
from chairside.presentation.analytics.catalog import CUSTOMER_SCORES, FORECASTS, load_catalog
from chairside.presentation.analytics.filters import WEEK, Filters
from chairside.presentation.analytics.history import load_histories
from chairside.presentation.analytics.kpis import KPIS, period_kpis, weekly_kpis
from tests.integration.conftest import DemoBuild
from tests.integration.test_apps_warehouse import (
    DEMO_CLOCK,
    add_ml_marts,
    copy_demo,
    reported_week,
)

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def demo(demo_build: DemoBuild, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Filters]:
    """The demo with ML marts, and its shops over the 26 weeks through the reported week."""
    path = copy_demo(demo_build, tmp_path_factory.mktemp("queries"))
    week = reported_week(path)
    add_ml_marts(path, week)
    shops = tuple(load_catalog(path).shops["shop_id"])
    return path, Filters(shops, week - 25 * WEEK, week)


def scalar(path: Path, sql: str, params: list[object]) -> float:
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute(sql, params).fetchone()[0]


def test_the_catalog_knows_the_shops_weeks_and_ml_marts(demo) -> None:
    path, filters = demo
    catalog = load_catalog(path)
    assert set(catalog.shops["shop_id"]) == {"water-st", "spring-garden", "queen-west"}
    assert catalog.has(FORECASTS) and catalog.has(CUSTOMER_SCORES)
    assert catalog.first_week < filters.first_week <= filters.last_week <= catalog.last_week
    assert catalog.currency(filters.shop_ids) == "CAD"


@pytest.mark.parametrize("shop_id", ["water-st", "spring-garden", "queen-west"])
def test_one_shops_kpis_are_the_marts_own_numbers(demo, shop_id: str) -> None:
    path, filters = demo
    mine = weekly_kpis(path, Filters((shop_id,), filters.first_week, filters.last_week))
    with duckdb.connect(str(path), read_only=True) as con:
        mart = con.execute(
            "select * from marts.fct_weekly_shop_metrics where shop_id = ? "
            "and week_start between ? and ? order by week_start",
            [shop_id, filters.first_week, filters.last_week],
        ).df()
    assert len(mine) == len(mart) == filters.weeks
    for kpi in KPIS:
        # avg_ticket: the mart rounds to cents
        tolerance = 0.006 if kpi.name == "avg_ticket" else 1e-9
        np.testing.assert_allclose(
            mine[kpi.name].astype(float),
            mart[kpi.name].astype(float),
            atol=tolerance,
            err_msg=kpi.name,
        )


def test_every_view_of_the_range_adds_up_to_the_same_visits_calls_and_minutes(demo) -> None:
    path, filters = demo
    totals = period_kpis(path, filters)
    weekly = weekly_kpis(path, filters)

    assert (
        appointments.staff_table(path, filters)["visits"].sum() == totals["appointments_completed"]
    )
    assert services.revenue_mix(path, filters)["visits"].sum() == totals["appointments_completed"]
    assert services.revenue_mix(path, filters)["share_of_revenue"].sum() == pytest.approx(1)
    mix = appointments.status_mix(weekly)
    assert mix["appointments"].sum() == totals["appointments_scheduled"]

    hours = calls.hour_of_week(path, filters)
    assert hours["calls"].sum() == totals["calls_total"]
    assert hours["after_hours"].sum() == totals["calls_after_hours"]
    assert calls.after_hours(path, filters)["calls"].sum() == totals["calls_total"]
    intents = calls.by_intent(path, filters)
    assert intents["answered"].sum() == totals["calls_answered"]
    assert intents["converted"].sum() / intents["answered"].sum() == pytest.approx(
        totals["call_conversion_rate"]
    )

    capacity = appointments.capacity(path, filters)
    assert capacity["occupied_minutes"].sum() / capacity["staff_minutes_available"].sum() == (
        pytest.approx(totals["utilization"])
    )
    people = clients.demographics(path, filters)
    assert people["clients"].sum() == totals["clients_served"]


def test_cohorts_count_only_new_clients_old_enough(demo) -> None:
    path, filters = demo
    cohorts = clients.cohorts(path, filters)
    matured = scalar(
        path,
        "select sum(new_clients) from marts.fct_weekly_shop_metrics where shop_id in "
        "(select unnest(?::varchar[])) and week_start between ? and ? "
        "and new_client_retention_90d is not null",
        [list(filters.shop_ids), filters.first_week, filters.last_week],
    )
    assert cohorts["new_clients"].sum() == matured
    assert cohorts["cohort_month"].max() <= pd.Timestamp(filters.last_week - 90 * dt.timedelta(1))
    assert cohorts["new_client_retention_90d"].between(0, 1).all()


def test_the_forecast_ahead_is_the_latest_runs(demo) -> None:
    path, filters = demo
    ahead = forecasts.next_weeks(path, filters.shop_ids, filters.last_week)
    assert len(ahead) == 3 * 2 * 12
    assert ahead["week_start"].min() == pd.Timestamp(filters.last_week + WEEK)
    assert sorted(ahead["horizon_weeks"].unique()) == list(range(1, 13))
    champions = forecasts.champions(path, filters.shop_ids)
    assert len(champions) == 6
    assert set(champions["trained_through_week"].dt.date) == {filters.last_week}
    assert set(champions.loc[champions["shop_name"] == "Water St", "model"]) == {"ets"}


def test_a_past_week_is_judged_on_the_forecast_made_just_before_it(demo) -> None:
    path, filters = demo
    compared = forecasts.forecast_vs_actual(path, filters, filters.last_week)
    # the runs reach back 16 weeks: each of the last 15 weeks was forecast one week ahead
    assert set(compared["horizon_weeks"]) == {1}
    assert compared["week_start"].nunique() == 15
    last = compared[
        (compared["week_start"] == pd.Timestamp(filters.last_week))
        & (compared["shop_id"] == "water-st")
        & (compared["metric"] == "appointments_completed")
    ].iloc[0]
    actual = scalar(
        path,
        "select appointments_completed from marts.fct_weekly_shop_metrics "
        "where shop_id = 'water-st' and week_start = ?",
        [filters.last_week],
    )
    assert last["actual"] == actual
    assert last["inside"] == (last["yhat_lower"] <= actual <= last["yhat_upper"])
    summary = forecasts.accuracy_summary(compared)
    assert set(summary["weeks"]) == {15}
    assert summary["inside_80"].between(0, 1).all()


def test_segments_and_the_call_list_come_from_the_latest_scoring_run(demo) -> None:
    path, filters = demo
    segments = clients.segments(path, filters.shop_ids)
    assert "Developing" not in set(segments["segment"])  # the older run's only segment
    at_risk = clients.at_risk(path, ("water-st",), DEMO_CLOCK.as_of)
    assert len(at_risk) > 0
    assert at_risk["value_at_stake"].is_monotonic_decreasing
    assert set(at_risk["home_shop"]) == {"Water St"}
    booked_ahead = scalar(
        path,
        "select count(*) from marts.fct_appointments where status = 'booked' "
        "and service_date >= ? and customer_key in (select unnest(?::varchar[]))",
        [DEMO_CLOCK.as_of, list(at_risk["customer_key"])],
    )
    assert booked_ahead == 0
    assert (
        at_risk["why"]
        .str.fullmatch(
            r"(usually every \d+ (weeks?|days?)|came once); last came \d+ (weeks?|days?) ago; "
            r"about CAD [\d,]+ a year"
        )
        .all()
    )
    assert not at_risk["contact"].str.contains("nan").any()
    dialable = at_risk["tel"].notna()
    assert at_risk.loc[dialable, "tel"].str.fullmatch(r"tel:\+1\d{10}").all()
    assert at_risk.loc[dialable, "contact"].str.fullmatch(r"\(\d{3}\) \d{3}-\d{4}").all()
    assert at_risk.loc[~dialable, "contact"].str.startswith("no phone").all()


def test_the_campaign_audience_is_opted_in_and_reachable(demo) -> None:
    path, filters = demo
    audience = clients.audience(path, filters.shop_ids, [clients.AT_RISK, clients.VIP])
    assert set(audience["segment"]) == {clients.AT_RISK, clients.VIP}
    assert (audience["email"].notna() | audience["phone"].notna()).all()
    opted_in = scalar(
        path,
        "select bool_and(marketing_opt_in) from marts.dim_customer "
        "where customer_key in (select unnest(?::varchar[]))",
        [list(audience["customer_key"])],
    )
    assert opted_in


def test_freshness_of_every_source_and_a_source_never_loaded(
    demo_build: DemoBuild, demo, tmp_path: Path
) -> None:
    path, filters = demo
    loaded = health.freshness(path, filters.shop_ids)
    assert list(loaded["source"]) == [source.name for source in health.SOURCES]
    built = loaded["last_loaded_at"].max().to_pydatetime()
    # the demo runs without a Cassandra cluster: its tables exist, empty
    without_cluster = {"Cassandra customers": "never loaded", "Cassandra inquiries": "never loaded"}
    statuses = health.freshness(path, filters.shop_ids, built).set_index("source")["status"]
    assert statuses.to_dict() == {
        source.name: without_cluster.get(source.name, "fresh") for source in health.SOURCES
    }
    later = built + dt.timedelta(days=2)
    statuses = health.freshness(path, filters.shop_ids, later).set_index("source")["status"]
    assert statuses.to_dict() == {
        source.name: without_cluster.get(source.name, "stale") for source in health.SOURCES
    }

    partial = copy_demo(demo_build, tmp_path)
    with duckdb.connect(str(partial)) as con:
        con.execute("drop table raw_kafka.calls cascade")
    statuses = health.freshness(partial, filters.shop_ids, built).set_index("source")["status"]
    assert statuses["Kafka calls"] == "never loaded"
    assert statuses["Kafka appointments"] == "fresh"

    # a source nobody set up is not a missing load
    without_crm = health.freshness(path, filters.shop_ids, built, set_up=("inbox", "kafka"))
    statuses = without_crm.set_index("source")["status"]
    assert statuses["Cassandra customers"] == statuses["Cassandra inquiries"] == "not set up"


def test_what_ingestion_set_aside(demo) -> None:
    path, filters = demo
    loaded_on = scalar(path, "select cast(max(loaded_at) as date) from ops.inbox_files", [])
    week_of_the_load = Filters.from_inputs(filters.shop_ids, loaded_on, loaded_on)
    aside = health.set_aside(path, week_of_the_load)
    quarantined = scalar(path, "select count(*) from ops.inbox_quarantine", [])
    assert aside.quarantine_counts["rows"].sum() == quarantined
    assert len(aside.latest_quarantine) == min(20, quarantined)
    assert aside.latest_quarantine["reason"].str.contains("cannot read").all()
    # the demo stream carries invalid messages on purpose; all were loaded the same day
    dead = scalar(path, "select count(*) from raw_kafka.dead_letters", [])
    assert dead > 0
    assert aside.dead_letter_counts is not None
    assert aside.dead_letter_counts["messages"].sum() == dead
    assert aside.rejected_files.empty


def test_the_insight_history_covers_every_shop(demo) -> None:
    path, filters = demo
    histories = load_histories(path, load_catalog(path), filters.ending(filters.last_week, 1))
    assert [history.shop_id for history in histories] == list(filters.shop_ids)
    for history in histories:
        assert history.weeks_present(52) == 52
        visits = history.totals(["appointments_completed"], 1)["appointments_completed"]
        assert visits == scalar(
            path,
            "select appointments_completed from marts.fct_weekly_shop_metrics "
            "where shop_id = ? and week_start = ?",
            [history.shop_id, filters.last_week],
        )
        assert sum(history.service_totals(1).values()) == visits


@pytest.mark.parametrize(
    "kpi",
    [
        "calls_total",
        "calls_answered",
        "calls_missed",
        "calls_after_hours",
        "appointments_scheduled",
        "appointments_completed",
        "appointments_no_show",
        "appointments_cancelled",
        "appointments_booked",
        "new_clients",
    ],
)
def test_a_cards_rows_behind_are_as_many_as_the_card_counts(demo, kpi: str) -> None:
    path, filters = demo
    week = filters.last_week
    rows = drilldown.drill(path, filters, week, kpi)
    counted = scalar(
        path,
        f"select sum({kpi}) from marts.fct_weekly_shop_metrics "
        "where shop_id in (select unnest(?::varchar[])) and week_start = ?",
        [list(filters.shop_ids), week],
    )
    assert counted > 0
    assert len(rows) == counted


def test_the_inquiries_app_counts_every_inquiry_of_the_range_once(demo) -> None:
    path, recent = demo
    catalog = load_catalog(path)
    filters = Filters(recent.shop_ids, catalog.first_week, catalog.last_week)
    weekly = inquiries.weekly(path, filters)
    counted = scalar(
        path,
        "select count(*) from marts.fct_inquiries where shop_id in (select unnest(?::varchar[])) "
        "and week_start >= ? and week_start < ?",
        filters.params(),
    )
    assert counted > 0 and weekly["inquiries"].sum() == counted
    assert set(weekly["channel"]) <= set(inquiries.HEADINGS)
    latest = inquiries.latest(path, filters, rows=5)
    # the newest first by the instant; "received" is each shop's wall clock, and the demo's shops
    # sit in three time zones, so the local times alone need not be in order
    with duckdb.connect(str(path), read_only=True) as con:
        newest = con.execute(
            "select inquired_at_local from marts.fct_inquiries "
            "where shop_id in (select unnest(?::varchar[])) and week_start >= ? and week_start < ? "
            "order by inquired_at desc limit 5",
            filters.params(),
        ).fetchall()
    assert list(latest["received"]) == [row[0] for row in newest]
