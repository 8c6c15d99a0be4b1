"""The CRM loads against an in-memory CRM that pages through the driver's own `ResultSet`.

`FakeCrm.execute` answers the readers' CQL the way Cassandra would (partition restriction
required, clustering order, DISTINCT partition keys) and returns a real
`cassandra.cluster.ResultSet` whose paging is driven by `ScriptedFuture`, a stand-in for the
`ResponseFuture` that hands out the pages of `fetch_size` rows one fetch at a time. Rows are
built by the driver's codecs (see test_cassandra_rows). The warehouse is a DuckDB file.
"""

import datetime as dt
import re
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import dagster as dg
import duckdb
import pytest
from cassandra import OperationTimedOut
from cassandra.cluster import ResultSet
from cassandra.query import SimpleStatement, dict_factory

from chairside.contracts.crm import CUSTOMER_COLUMNS
from chairside.core.settings import Settings
from ingestion.cassandra import reader, store
from ingestion.cassandra.loader import load_customers, load_inquiries
from orchestration.defs.ingestion import cassandra as cassandra_assets
from orchestration.defs.resources import WarehouseResource
from tests.unit.test_cassandra_rows import contract_columns, customer, driver_value, inquiry

NOW = dt.datetime(2026, 3, 20, 12, 0, tzinfo=dt.UTC)
LATER = NOW + dt.timedelta(days=1)
PARTITION_KEYS = {"customers": ("shop_id",), "inquiries_by_day": ("shop_id", "day")}
PRIMARY_KEYS = {
    "customers": ("shop_id", "customer_id"),
    "inquiries_by_day": ("shop_id", "day", "created_at", "inquiry_id"),
}
QUERY = re.compile(
    r"SELECT (?P<distinct>DISTINCT )?(?P<columns>.+?) FROM (?P<table>\w+)"
    r"(?: WHERE (?P<where>.+))?$"
)


class ScriptedFuture:
    """What `ResultSet` asks of a `ResponseFuture` to page: the column names, whether more
    pages remain, and the next page on `start_fetching_next_page()` + `result()`."""

    _col_types = None
    _continuous_paging_session = None

    def __init__(self, columns: list[str], pages: list[list[dict]], fail_on_fetch: int | None):
        self._col_names = columns
        self._pages = pages
        self._index = 0
        self._fail_on_fetch = fail_on_fetch
        self.fetches = 0

    @property
    def has_more_pages(self) -> bool:
        return self._index < len(self._pages) - 1

    def start_fetching_next_page(self) -> None:
        self.fetches += 1
        if self.fetches == self._fail_on_fetch:
            raise OperationTimedOut("Client request timeout", "10.0.0.5:9042")
        self._index += 1

    def result(self) -> ResultSet:
        return ResultSet(self, self._pages[self._index])


class FakeCrm:
    """A session over in-memory CRM tables. Rows are kept as the driver returns them."""

    def __init__(self) -> None:
        self.tables: dict[str, dict[tuple, dict]] = {"customers": {}, "inquiries_by_day": {}}
        self.statements: list[tuple[str, int | None, tuple]] = []
        self.futures: list[ScriptedFuture] = []
        self.fail_on_fetch: int | None = None

    def put(self, table: str, rows: Sequence[dict]) -> None:
        """INSERT: a row replaces the one with the same primary key."""
        types = contract_columns(table)
        for row in rows:
            stored = {column: driver_value(types[column], row[column]) for column in types}
            self.tables[table][tuple(stored[k] for k in PRIMARY_KEYS[table])] = stored

    def execute(self, statement: SimpleStatement, parameters: Sequence[object]) -> ResultSet:
        self.statements.append((statement.query_string, statement.fetch_size, tuple(parameters)))
        if not statement.fetch_size:
            raise AssertionError("an unpaged read: the whole result in one response")
        query = QUERY.match(statement.query_string)
        assert query, statement.query_string
        table, columns = query["table"], query["columns"].split(", ")
        types = contract_columns(table)
        rows = list(self.tables[table].values())
        if query["where"]:
            names = re.findall(r"(\w+) = %s", query["where"])
            assert tuple(names) == PARTITION_KEYS[table], "Cassandra needs the partition key"
            wanted = [driver_value(types[n], v) for n, v in zip(names, parameters, strict=True)]
            rows = [r for r in rows if [r[n] for n in names] == wanted]
        elif not (query["distinct"] and tuple(columns) == PARTITION_KEYS[table]):
            raise AssertionError(f"a full scan of {table}: {statement.query_string}")
        if table == "customers":
            rows = sorted(rows, key=lambda r: r["customer_id"])
        else:  # CLUSTERING ORDER BY (created_at DESC, inquiry_id ASC)
            rows = sorted(rows, key=lambda r: r["inquiry_id"])
            rows = sorted(rows, key=lambda r: r["created_at"], reverse=True)
        values = [tuple(r[c] for c in columns) for r in rows]
        if query["distinct"]:  # partitions come in token order: not the order of their keys
            values = sorted(set(values), reverse=True)
        size = statement.fetch_size
        pages = [dict_factory(columns, values[i : i + size]) for i in range(0, len(values), size)]
        future = ScriptedFuture(columns, pages or [[]], self.fail_on_fetch)
        self.futures.append(future)
        return future.result()

    def reads_of(self, table: str) -> list[tuple]:
        return [p for q, _, p in self.statements if f"FROM {table} WHERE" in q]


@pytest.fixture
def con(tmp_path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    with duckdb.connect(str(tmp_path / "warehouse.duckdb")) as connection:
        store.ensure_schema(connection)
        yield connection


def customers_of(shop_id: str, count: int, updated_at: dt.datetime) -> list[dict]:
    return [
        customer(
            shop_id=shop_id,
            customer_id=f"crm-{shop_id}-{n:05d}",
            first_name=f"Client {n}",
            updated_at=updated_at - dt.timedelta(days=n),
        )
        for n in range(count)
    ]


def test_a_reader_yields_the_drivers_pages_one_fetch_at_a_time() -> None:
    crm = FakeCrm()
    crm.put("customers", customers_of("water-st", 2500, NOW))

    sizes = []
    for page in reader.customer_pages(crm, "water-st", fetch_size=1000):
        sizes.append(len(page))
        assert crm.futures[-1].fetches == len(sizes) - 1  # the next page is not fetched yet

    assert sizes == [1000, 1000, 500]
    assert crm.statements[0][1:] == (1000, ("water-st",))


def test_an_empty_page_before_the_last_is_skipped() -> None:
    class OnePageSession:
        def execute(self, statement: SimpleStatement, parameters: Sequence[object]) -> ResultSet:
            pages = [dict_factory(["shop_id"], [(s,)]) for s in ("a", "b")]
            future = ScriptedFuture(["shop_id"], [pages[0], [], pages[1]], None)
            return future.result()

    pages = list(reader.customer_shops(OnePageSession(), fetch_size=1))
    assert pages == [[{"shop_id": "a"}], [{"shop_id": "b"}]]


def test_the_first_customer_load_upserts_every_row_by_shop(con) -> None:
    crm = FakeCrm()
    crm.put("customers", customers_of("water-st", 25, NOW - dt.timedelta(days=2)))
    crm.put("customers", customers_of("queen-west", 3, NOW - dt.timedelta(days=9)))
    blank = dict.fromkeys(set(CUSTOMER_COLUMNS) - {"shop_id", "customer_id"})
    crm.put("customers", [customer(shop_id="queen-west", customer_id="crm-blank", **blank)])

    load = load_customers(con, crm, fetch_size=10, now=NOW)

    assert (load.shops, load.pages, load.rows_read, load.rows_upserted) == (2, 3 + 1, 29, 29)
    assert con.execute(
        "select shop_id, count(*), max(updated_at) from raw_cassandra.customers group by all "
        "order by shop_id"
    ).fetchall() == [
        ("queen-west", 4, NOW - dt.timedelta(days=9)),
        ("water-st", 25, NOW - dt.timedelta(days=2)),
    ]
    assert con.execute(
        "select * exclude (shop_id, customer_id, loaded_at) from raw_cassandra.customers "
        "where customer_id = 'crm-blank'"
    ).fetchone() == (None,) * (len(CUSTOMER_COLUMNS) - 2)
    assert con.execute(
        "select first_name, last_name, created_at, loaded_at from raw_cassandra.customers "
        "where customer_id = 'crm-water-st-00000'"
    ).fetchone() == (
        "Client 0",
        "Beaulieu-Pelletier",
        dt.datetime(2025, 11, 21, 12, 31, 33, tzinfo=dt.UTC),
        NOW,
    )
    assert dict(
        con.execute("select shop_id, watermark from ops.cassandra_customers_watermarks").fetchall()
    ) == {"queen-west": NOW - dt.timedelta(days=9), "water-st": NOW - dt.timedelta(days=2)}


def test_a_reload_upserts_only_the_rows_changed_since_the_watermark(con) -> None:
    crm = FakeCrm()
    crm.put("customers", customers_of("water-st", 40, NOW - dt.timedelta(days=2)))
    load_customers(con, crm, fetch_size=15, now=NOW)
    renamed = customer(
        customer_id="crm-water-st-00030", first_name="Zoé", updated_at=LATER - dt.timedelta(hours=2)
    )
    new = customer(customer_id="crm-water-st-09999", updated_at=LATER - dt.timedelta(hours=1))
    crm.put("customers", [renamed, new])

    load = load_customers(con, crm, fetch_size=15, now=LATER)

    assert (load.rows_read, load.rows_upserted) == (41, 2 + 1)  # + the row at the watermark
    rows = dict(
        con.execute(
            "select customer_id, (first_name, loaded_at) from raw_cassandra.customers"
        ).fetchall()
    )
    assert len(rows) == 41
    assert rows["crm-water-st-00030"] == ("Zoé", LATER)
    assert rows["crm-water-st-00001"][1] == NOW  # unchanged rows are not rewritten
    assert con.execute(
        "select watermark from ops.cassandra_customers_watermarks where shop_id = 'water-st'"
    ).fetchone() == (LATER - dt.timedelta(hours=1),)


def test_a_failure_part_way_through_a_shop_leaves_its_rows_and_watermark_as_they_were(con) -> None:
    crm = FakeCrm()
    crm.put("customers", customers_of("queen-west", 5, NOW - dt.timedelta(days=1)))
    crm.put("customers", customers_of("water-st", 5, NOW - dt.timedelta(days=1)))
    crm.fail_on_fetch = 2  # the third page of a read times out

    with pytest.raises(OperationTimedOut):
        load_customers(con, crm, fetch_size=1, now=NOW)

    # queen-west's five pages are read first (shops load in order) and the failure hits on
    # its third: nothing of it is committed, and water-st is never reached
    assert con.execute("select count(*) from raw_cassandra.customers").fetchone() == (0,)
    assert con.execute("select count(*) from ops.cassandra_customers_watermarks").fetchone() == (0,)

    crm.fail_on_fetch = None
    assert load_customers(con, crm, fetch_size=1, now=NOW).rows_upserted == 10


def inquiries_on(day: dt.date, count: int, shop_id: str = "water-st") -> list[dict]:
    start = dt.datetime.combine(day, dt.time(13), tzinfo=dt.UTC)
    return [
        inquiry(
            shop_id=shop_id,
            day=day,
            created_at=start + dt.timedelta(minutes=17 * n),
            inquiry_id=uuid.uuid5(uuid.NAMESPACE_URL, f"{shop_id}/{day}/{n}"),
            message=f"question {n} of {day}",
        )
        for n in range(count)
    ]


def days_read(crm: FakeCrm, shop_id: str) -> list[dt.date]:
    return [day for shop, day in crm.reads_of("inquiries_by_day") if shop == shop_id]


MARCH = [dt.date(2026, 3, d) for d in range(1, 21)]


def test_the_first_inquiry_load_reads_every_partition(con) -> None:
    crm = FakeCrm()
    for day in MARCH:
        crm.put("inquiries_by_day", inquiries_on(day, 3))
    crm.put("inquiries_by_day", inquiries_on(MARCH[4], 2, shop_id="queen-west"))

    load = load_inquiries(con, crm, fetch_size=2, now=NOW)

    assert days_read(crm, "water-st") == MARCH
    assert (load.shops, load.partitions, load.pages, load.rows_read) == (2, 21, 20 * 2 + 1, 62)
    assert con.execute(
        "select count(*), count(distinct inquiry_id) from raw_cassandra.inquiries_by_day"
    ).fetchone() == (62, 62)
    assert dict(
        con.execute(
            "select shop_id, watermark from ops.cassandra_inquiries_by_day_watermarks"
        ).fetchall()
    ) == {"water-st": MARCH[-1], "queen-west": MARCH[4]}
    first = inquiries_on(MARCH[0], 1)[0]
    assert con.execute(
        "select day, created_at, message from raw_cassandra.inquiries_by_day where inquiry_id = ?",
        [str(first["inquiry_id"])],
    ).fetchone() == (
        MARCH[0],
        dt.datetime(2026, 3, 1, 13, 0, tzinfo=dt.UTC),
        "question 0 of 2026-03-01",
    )


def test_a_reload_rereads_the_last_three_days_and_catches_a_late_write(con) -> None:
    crm = FakeCrm()
    for day in MARCH:
        crm.put("inquiries_by_day", inquiries_on(day, 3))
    load_inquiries(con, crm, fetch_size=10, now=NOW)
    crm.statements.clear()
    late = inquiries_on(MARCH[-2], 4)[3]  # arrives after its day was loaded
    too_late = inquiries_on(MARCH[-10], 4)[3]  # beyond the re-read window
    crm.put("inquiries_by_day", [late, too_late, *inquiries_on(dt.date(2026, 3, 21), 2)])

    load = load_inquiries(con, crm, fetch_size=10, now=LATER)

    assert days_read(crm, "water-st") == [*MARCH[-3:], dt.date(2026, 3, 21)]
    assert (load.partitions, load.rows_read, load.rows_upserted) == (4, 3 + 4 + 3 + 2, 12)
    loaded = {
        r[0]
        for r in con.execute("select inquiry_id from raw_cassandra.inquiries_by_day").fetchall()
    }
    assert str(late["inquiry_id"]) in loaded
    assert str(too_late["inquiry_id"]) not in loaded
    assert len(loaded) == 60 + 1 + 2
    # the same run again reads the same window and changes nothing
    before = con.execute(
        "select * exclude (loaded_at) from raw_cassandra.inquiries_by_day order by 1"
    ).fetchall()
    load_inquiries(con, crm, fetch_size=10, now=LATER)
    assert (
        con.execute(
            "select * exclude (loaded_at) from raw_cassandra.inquiries_by_day order by 1"
        ).fetchall()
        == before
    )


def test_an_inquiry_dated_in_the_future_does_not_stop_later_loads(con) -> None:
    crm = FakeCrm()
    crm.put(
        "inquiries_by_day", [*inquiries_on(MARCH[-1], 1), *inquiries_on(dt.date(2099, 1, 1), 1)]
    )
    load_inquiries(con, crm, fetch_size=10, now=NOW)
    assert con.execute(
        "select watermark from ops.cassandra_inquiries_by_day_watermarks"
    ).fetchone() == (dt.date(2026, 3, 21),)

    crm.statements.clear()
    crm.put("inquiries_by_day", inquiries_on(dt.date(2026, 3, 22), 1))
    load_inquiries(con, crm, fetch_size=10, now=NOW + dt.timedelta(days=2))
    # the 2099 row did not carry the watermark past the 22nd: it is read, with the re-read days
    assert days_read(crm, "water-st") == [MARCH[-1], dt.date(2026, 3, 22), dt.date(2099, 1, 1)]


@contextmanager
def session_on(crm: FakeCrm) -> Iterator[FakeCrm]:
    yield crm


def test_without_a_cluster_dagster_lists_the_tables_as_never_materialized() -> None:
    """No green "Materialized" for a load that read nothing: the keys stay in the asset graph
    (dbt's sources), not executable, saying why, and no job runs them."""
    specs = cassandra_assets.cassandra_assets(configured=False)
    defs = dg.Definitions(assets=specs)
    for spec, table in zip(specs, ("customers", "inquiries_by_day"), strict=True):
        assert spec.key == dg.AssetKey(["cassandra", table])
        assert not defs.resolve_assets_def(spec.key).is_executable
        assert "CHAIRSIDE_CASSANDRA_HOSTS is not set" in spec.description
    configured = cassandra_assets.cassandra_assets(configured=True)
    assert all(asset.is_executable for asset in configured)


def test_run_by_hand_without_a_cluster_the_assets_fail_saying_why(
    chairside_env: Settings,
) -> None:
    result = dg.materialize(
        [cassandra_assets.cassandra_customers],
        resources={"warehouse": WarehouseResource()},
        raise_on_error=False,
    )
    assert not result.success
    assert not result.asset_materializations_for_node("cassandra__customers")
    (failure,) = [event for event in result.all_events if event.is_step_failure]
    assert "CHAIRSIDE_CASSANDRA_HOSTS is not set" in failure.step_failure_data.error.message


def test_the_assets_load_from_the_configured_cluster(
    chairside_env: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    crm = FakeCrm()
    crm.put("customers", customers_of("water-st", 7, NOW))
    crm.put("inquiries_by_day", inquiries_on(MARCH[0], 3))
    monkeypatch.setenv("CHAIRSIDE_CASSANDRA_HOSTS", "10.0.0.5,10.0.0.6")
    monkeypatch.setenv("CHAIRSIDE_CASSANDRA_FETCH_SIZE", "2")
    opened = []
    monkeypatch.setattr(
        cassandra_assets,
        "open_session",
        lambda settings: opened.append(settings) or session_on(crm),
    )

    result = dg.materialize(
        [cassandra_assets.cassandra_customers, cassandra_assets.cassandra_inquiries_by_day],
        resources={"warehouse": WarehouseResource()},
    )

    assert result.success
    assert [s.hosts for s in opened] == [("10.0.0.5", "10.0.0.6")] * 2
    assert {fetch_size for _, fetch_size, _ in crm.statements} == {2}
    (customers,) = result.asset_materializations_for_node("cassandra__customers")
    assert {k: customers.metadata[k].value for k in ("rows_read", "rows_upserted", "pages")} == {
        "rows_read": 7,
        "rows_upserted": 7,
        "pages": 4,
    }
    assert customers.metadata["source"].text == "10.0.0.5, 10.0.0.6 keyspace chairside"


def test_the_assets_retry_with_exponential_backoff_and_jitter() -> None:
    for asset in (
        cassandra_assets.cassandra_customers,
        cassandra_assets.cassandra_inquiries_by_day,
    ):
        policy = asset.op.retry_policy
        assert policy.backoff == dg.Backoff.EXPONENTIAL and policy.jitter == dg.Jitter.PLUS_MINUS
        assert policy.max_retries >= 3


def test_the_asset_keys_are_the_dbt_source_tables() -> None:
    """dagster-dbt maps dbt source `cassandra` table `t` to the key ["cassandra", t]."""
    for asset, table in (
        (cassandra_assets.cassandra_customers, "customers"),
        (cassandra_assets.cassandra_inquiries_by_day, "inquiries_by_day"),
    ):
        assert asset.key == dg.AssetKey(["cassandra", table])
        assert asset.group_names_by_key[asset.key] == "ingestion"
