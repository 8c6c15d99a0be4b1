"""The session factory: every setting reaches the driver, and a down cluster says where it looked.

The down-cluster cases use the real driver against closed local ports and a name that cannot
resolve, so the message is the one an operator would see.
"""

import socket

import pytest
from cassandra import ConsistencyLevel
from cassandra.auth import PlainTextAuthProvider
from cassandra.cluster import EXEC_PROFILE_DEFAULT
from cassandra.query import dict_factory
from click.testing import CliRunner

from chairside.cli.main import main
from chairside.core.settings import (
    CASSANDRA_CONSISTENCY_LEVELS,
    CassandraSettings,
    Settings,
    load_settings,
)
from ingestion.cassandra.session import CassandraUnavailable, build_cluster, open_session


def settings(**env: str) -> CassandraSettings:
    loaded = load_settings({"CHAIRSIDE_CASSANDRA_HOSTS": "127.0.0.1", **env}).cassandra
    assert loaded is not None
    return loaded


def closed_port() -> int:
    """A local port nothing listens on (bound, then released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_every_setting_reaches_the_cluster_and_its_default_profile() -> None:
    cluster = build_cluster(
        settings(
            CHAIRSIDE_CASSANDRA_HOSTS="10.0.0.5, 10.0.0.6",
            CHAIRSIDE_CASSANDRA_PORT="9142",
            CHAIRSIDE_CASSANDRA_USERNAME="chairside",
            CHAIRSIDE_CASSANDRA_PASSWORD="s3cret",
            CHAIRSIDE_CASSANDRA_CONSISTENCY="quorum",
            CHAIRSIDE_CASSANDRA_CONNECT_TIMEOUT="2.5",
            CHAIRSIDE_CASSANDRA_REQUEST_TIMEOUT="30",
        )
    )
    try:
        assert cluster.contact_points == ["10.0.0.5", "10.0.0.6"]
        assert cluster.port == 9142
        assert cluster.connect_timeout == 2.5
        assert isinstance(cluster.auth_provider, PlainTextAuthProvider)
        assert (cluster.auth_provider.username, cluster.auth_provider.password) == (
            "chairside",
            "s3cret",
        )
        profile = cluster.profile_manager.profiles[EXEC_PROFILE_DEFAULT]
        assert profile.consistency_level == ConsistencyLevel.QUORUM
        assert profile.request_timeout == 30.0
        assert profile.row_factory is dict_factory
    finally:
        cluster.shutdown()


def test_defaults_need_only_the_hosts() -> None:
    defaults = settings()
    assert (defaults.port, defaults.keyspace, defaults.consistency) == (
        9042,
        "chairside",
        "LOCAL_QUORUM",
    )
    assert (defaults.connect_timeout, defaults.request_timeout, defaults.fetch_size) == (
        5.0,
        10.0,
        1000,
    )
    cluster = build_cluster(defaults)
    try:
        assert cluster.auth_provider is None
    finally:
        cluster.shutdown()


def test_the_consistency_names_are_the_drivers() -> None:
    assert set(CASSANDRA_CONSISTENCY_LEVELS) == set(ConsistencyLevel.name_to_value)


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("CHAIRSIDE_CASSANDRA_CONSISTENCY", "LOCAL_QUOROM"),
        ("CHAIRSIDE_CASSANDRA_CONNECT_TIMEOUT", "soon"),
        ("CHAIRSIDE_CASSANDRA_REQUEST_TIMEOUT", "0"),
        ("CHAIRSIDE_CASSANDRA_FETCH_SIZE", "0"),
        ("CHAIRSIDE_CASSANDRA_FETCH_SIZE", "lots"),
    ],
)
def test_a_bad_setting_names_its_variable(name: str, value: str) -> None:
    with pytest.raises(ValueError, match=name):
        settings(**{name: value})


def test_a_down_cluster_names_every_host_tried_and_why() -> None:
    port = closed_port()
    down = settings(
        CHAIRSIDE_CASSANDRA_HOSTS="127.0.0.1,127.0.0.2",
        CHAIRSIDE_CASSANDRA_PORT=str(port),
        CHAIRSIDE_CASSANDRA_CONNECT_TIMEOUT="1",
    )

    with pytest.raises(CassandraUnavailable) as raised, open_session(down):
        pytest.fail("a session opened on a closed port")

    message = str(raised.value)
    assert message.startswith(
        f"Cassandra is unavailable: tried 127.0.0.1, 127.0.0.2 on port {port} "
        "for keyspace 'chairside' (CHAIRSIDE_CASSANDRA_HOSTS, CHAIRSIDE_CASSANDRA_PORT): "
    )
    assert f"127.0.0.1:{port}: " in message and f"127.0.0.2:{port}: " in message
    assert "Connection refused" in message


def test_hosts_that_do_not_resolve_are_named() -> None:
    nowhere = settings(CHAIRSIDE_CASSANDRA_HOSTS="crm.invalid")

    with pytest.raises(CassandraUnavailable) as raised, open_session(nowhere):
        pytest.fail("a session opened on a name that does not resolve")

    assert str(raised.value).startswith("Cassandra is unavailable: tried crm.invalid on port 9042")
    assert str(raised.value).endswith("none of the host names resolves")


def test_the_demo_generator_writes_to_a_configured_cluster_and_fails_clearly_when_down(
    chairside_env: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    port = closed_port()
    monkeypatch.setenv("CHAIRSIDE_CASSANDRA_HOSTS", "127.0.0.1")
    monkeypatch.setenv("CHAIRSIDE_CASSANDRA_PORT", str(port))

    result = CliRunner().invoke(main, ["generate", "--shops", "1", "--years", "0.2"])

    assert result.exit_code == 1
    assert f"Error: Cassandra is unavailable: tried 127.0.0.1 on port {port}" in result.output
    assert (chairside_env.data_dir / "demo" / "crm" / "customers.jsonl").exists()
