"""Releases on a small warehouse: what each audience gets, the pointer readers follow, rollback,
retention, the audit that refuses contacts in clear, and exports read back."""

import csv
import datetime as dt
import stat
from decimal import Decimal
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow.parquet as pq
import pytest

from chairside.core.settings import DEV_PSEUDONYM_KEY, ReleaseSettings, load_settings
from chairside.core.warehouse import read_frame
from chairside.presentation.release import switch
from chairside.presentation.release.export import export
from chairside.presentation.release.manifest import CheckResult, Manifest
from chairside.presentation.release.publish import ContactInClear, publish
from chairside.presentation.release.readers import CurrentRelease
from chairside.presentation.release.store import NoRelease, ReleaseStore

PHONE, EMAIL = "+17095551697", "mark.wong@live.ca"


@pytest.fixture
def build(tmp_path: Path) -> Path:
    """A build database with the contact columns the real marts have."""
    path = tmp_path / "warehouse.duckdb"
    with duckdb.connect(str(path)) as con:
        con.execute("create schema marts")
        con.execute(
            "create table marts.dim_customer as select * from (values "
            f"('c1', 'Mark Wong', 'Mark', 'Wong', '{PHONE}', '{EMAIL}', 12.50::decimal(10,2), "
            "date '2026-11-02'), "
            "('c2', '=HYPERLINK(\"http://x\")', 'Ann', 'Lee', null, 'ann@example.com', "
            "-3.25::decimal(10,2), date '2026-10-01')"
            ") v(customer_key, full_name, first_name, last_name, phone_e164, email, "
            "lifetime_revenue, last_visit_date)"
        )
        con.execute(
            "create table marts.fct_calls as select * from (values "
            f"('k1', 'c1', '{PHONE}', '(709) 555-1697', 'Mark Wong'), "
            f"('k2', 'c1', '{PHONE}', '709 555 1697', 'M Wong'), "
            "('k3', null, '+14165550000', '416-555-0000', null)"
            ") v(call_id, customer_key, from_number_e164, from_number_raw, caller_name)"
        )
        con.execute(
            "create table marts.fct_inquiries as select 'i1' as inquiry_key, "
            f"'{EMAIL}' as email, 'call me at 709 555 1697' as message"
        )
        con.execute(
            "create view marts.v_customers as select customer_key, email from marts.dim_customer"
        )
    return path


def settings(tmp_path: Path, keep: int = 3) -> ReleaseSettings:
    return ReleaseSettings(root=tmp_path / "releases", keep=keep, pseudonym_key="test-key")


def rows(path: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute(sql).fetchall()


def test_owner_keeps_contacts_and_analyst_gets_pseudonyms_that_join(
    build: Path, tmp_path: Path
) -> None:
    manifest = publish(build, settings(tmp_path), run_id="run-1", as_of=dt.date(2026, 11, 16))
    store = ReleaseStore(tmp_path / "releases")
    owner = store.database(manifest.release_id, "owner")
    analyst = store.database(manifest.release_id, "analyst")

    assert rows(owner, "select phone_e164, email from marts.dim_customer order by 1")[0] == (
        PHONE,
        EMAIL,
    )
    columns = {r[0] for r in rows(analyst, "describe marts.dim_customer")}
    assert {"first_name", "last_name"}.isdisjoint(columns)
    assert "message" not in {r[0] for r in rows(analyst, "describe marts.fct_inquiries")}
    phone, email, name = rows(
        analyst,
        "select phone_e164, email, full_name from marts.dim_customer where customer_key = 'c1'",
    )[0]
    assert phone.startswith("phone_") and email.startswith("email_") and name.startswith("name_")
    # the same phone is the same pseudonym in another mart, and in the view's copy
    (calls_phone,) = {
        r[0]
        for r in rows(
            analyst, "select from_number_e164 from marts.fct_calls where customer_key = 'c1'"
        )
    }
    assert calls_phone == phone
    assert rows(analyst, "select email from marts.fct_inquiries") == [(email,)]
    assert rows(analyst, "select count(distinct from_number_e164) from marts.fct_calls") == [(2,)]
    assert rows(
        analyst, "select table_type from information_schema.tables where table_name = 'v_customers'"
    ) == [("BASE TABLE",)]
    assert manifest.row_counts["analyst"] == {
        "dim_customer": 2,
        "fct_calls": 3,
        "fct_inquiries": 1,
        "v_customers": 2,
    }
    assert manifest.analyst_dropped["fct_calls"] == ["from_number_raw"]
    assert Manifest.read(store.manifest_path(manifest.release_id)) == manifest
    # immutable: nobody writes a published file
    assert not owner.stat().st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH)

    again = publish(build, settings(tmp_path), run_id="run-2", as_of=None)
    assert rows(
        store.database(again.release_id, "analyst"),
        "select phone_e164 from marts.dim_customer where customer_key = 'c1'",
    ) == [(phone,)]


def test_readers_follow_the_pointer_rollback_goes_back_and_old_releases_go(
    build: Path, tmp_path: Path
) -> None:
    config = settings(tmp_path, keep=2)
    store = ReleaseStore(config.root)
    reader = CurrentRelease(config.root, "analyst")
    with pytest.raises(NoRelease, match="No release published"):
        read_frame(reader, "select 1")

    first = publish(build, config, run_id="run-1", as_of=None).release_id
    with duckdb.connect(str(build)) as con:
        con.execute("insert into marts.fct_calls values ('k4', null, null, null, null)")
    second = publish(build, config, run_id="run-2", as_of=None).release_id
    assert store.current_id() == second
    assert read_frame(reader, "select count(*) as n from marts.fct_calls")["n"][0] == 4

    assert switch.rollback(store) == first
    assert read_frame(reader, "select count(*) as n from marts.fct_calls")["n"][0] == 3
    with pytest.raises(NoRelease, match="No release older"):
        switch.rollback(store)

    third = publish(build, config, run_id="run-3", as_of=None).release_id
    assert store.releases() == [second, third]  # keep 2: the first is gone
    assert not store.folder(first).exists()
    assert list(config.root.glob(".staging-*")) == []


def test_a_contact_the_rules_do_not_know_refuses_the_whole_release(
    build: Path, tmp_path: Path
) -> None:
    config = settings(tmp_path)
    good = publish(build, config, run_id="run-1", as_of=None).release_id
    with duckdb.connect(str(build)) as con:
        con.execute("alter table marts.fct_calls add column notes varchar")
        con.execute("update marts.fct_calls set notes = 'call back on 416-555-0199'")

    with pytest.raises(ContactInClear, match=r"marts\.fct_calls\.notes"):
        publish(build, config, run_id="run-2", as_of=None)

    store = ReleaseStore(config.root)
    assert store.current_id() == good
    assert store.releases() == [good]


def test_exports_keep_types_and_neutralise_formulas(build: Path, tmp_path: Path) -> None:
    config = settings(tmp_path)
    publish(build, config, run_id="run-1", as_of=None)
    store = ReleaseStore(config.root)

    _, parquet = export(store, "owner", "parquet", tmp_path / "parquet")
    table = pq.read_table(tmp_path / "parquet" / "dim_customer.parquet")
    assert str(table.schema.field("lifetime_revenue").type) == "decimal128(10, 2)"
    assert str(table.schema.field("last_visit_date").type) == "date32[day]"
    assert table.column("lifetime_revenue").to_pylist()[1] == Decimal("-3.25")
    assert {file.mart: file.rows for file in parquet}["fct_calls"] == 3

    export(store, "owner", "csv", tmp_path / "csv")
    with (tmp_path / "csv" / "dim_customer.csv").open(newline="") as file:
        names = [row["full_name"] for row in csv.DictReader(file)]
    assert '\'=HYPERLINK("http://x")' in names
    frame = pd.read_csv(tmp_path / "csv" / "dim_customer.csv")
    assert frame["lifetime_revenue"].tolist() == [12.5, -3.25]  # a negative number stays one
    assert (tmp_path / "csv" / "manifest.json").exists()


def test_the_manifest_keeps_the_checks_it_was_given(build: Path, tmp_path: Path) -> None:
    checks = [CheckResult("marts/dim_customer/expectation_suite", False, "WARN", "one warning")]
    manifest = publish(build, settings(tmp_path), run_id="r", as_of=None, checks=checks)
    assert manifest.failed_checks == checks


def test_release_settings_default_under_the_data_dir_and_keep_two_at_least() -> None:
    settings = load_settings({"CHAIRSIDE_DATA_DIR": "/srv/chairside"}).releases
    assert settings.root == Path("/srv/chairside/releases")
    assert (settings.keep, settings.pseudonym_key) == (5, DEV_PSEUDONYM_KEY)
    custom = load_settings({"CHAIRSIDE_RELEASES_KEEP": "3", "CHAIRSIDE_PSEUDONYM_KEY": "s3cret"})
    assert (custom.releases.keep, custom.releases.pseudonym_key) == (3, "s3cret")
    with pytest.raises(ValueError, match="at least 2"):
        load_settings({"CHAIRSIDE_RELEASES_KEEP": "1"})


def test_another_key_gives_other_pseudonyms(build: Path, tmp_path: Path) -> None:
    def phone(key: str) -> str:
        config = ReleaseSettings(root=tmp_path / key, pseudonym_key=key)
        release_id = publish(build, config, run_id="r", as_of=None).release_id
        database = ReleaseStore(config.root).database(release_id, "analyst")
        return rows(
            database, "select phone_e164 from marts.dim_customer where customer_key = 'c1'"
        )[0][0]

    assert phone("one") != phone("two")
