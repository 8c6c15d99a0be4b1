"""Sessions on the CRM cluster, built from `CassandraSettings` and nothing else.

Every statement runs under the default execution profile, so the consistency level, the request
timeout and the row shape (dicts, which the mapping reads by column name) are decided here once
rather than at each call site.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager

from cassandra import ConsistencyLevel, UnresolvableContactPoints
from cassandra.auth import PlainTextAuthProvider
from cassandra.cluster import (
    EXEC_PROFILE_DEFAULT,
    Cluster,
    ExecutionProfile,
    NoHostAvailable,
    Session,
)
from cassandra.query import dict_factory

from chairside.core.settings import CassandraSettings


class CassandraUnavailable(RuntimeError):
    """No contact point accepted a session; the message names every host tried and why."""


def build_cluster(settings: CassandraSettings) -> Cluster:
    """The driver's `Cluster` for these settings. Host names are resolved here; nothing
    connects until `Cluster.connect`."""
    profile = ExecutionProfile(
        consistency_level=ConsistencyLevel.name_to_value[settings.consistency],
        request_timeout=settings.request_timeout,
        row_factory=dict_factory,
    )
    auth = (
        PlainTextAuthProvider(username=settings.username, password=settings.password)
        if settings.username
        else None
    )
    return Cluster(
        contact_points=list(settings.hosts),
        port=settings.port,
        auth_provider=auth,
        connect_timeout=settings.connect_timeout,
        execution_profiles={EXEC_PROFILE_DEFAULT: profile},
    )


@contextmanager
def open_session(settings: CassandraSettings, *, use_keyspace: bool = True) -> Iterator[Session]:
    """A session on the configured keyspace (or none, to create it), shut down on exit.

    A cluster that cannot be reached raises `CassandraUnavailable` rather than the driver's
    error, whose text names neither the setting to check nor, when no name resolves, any host.
    """
    try:
        cluster = build_cluster(settings)
    except UnresolvableContactPoints as error:
        raise CassandraUnavailable(unavailable_message(settings, error)) from error
    try:
        try:
            session = cluster.connect(settings.keyspace if use_keyspace else None)
        except NoHostAvailable as error:
            raise CassandraUnavailable(unavailable_message(settings, error)) from error
        yield session
    finally:
        cluster.shutdown()


def unavailable_message(settings: CassandraSettings, error: Exception) -> str:
    if isinstance(error, UnresolvableContactPoints):
        detail = "none of the host names resolves"
    else:
        # Per endpoint when no connection opened; a list of hosts when connections opened but
        # the keyspace could not be used (the driver's message then says so).
        reasons = getattr(error, "errors", None)
        if isinstance(reasons, Mapping) and reasons:
            detail = "; ".join(f"{endpoint}: {reason}" for endpoint, reason in reasons.items())
        else:
            detail = str(error.args[0]) if error.args else type(error).__name__
    return (
        f"Cassandra is unavailable: tried {', '.join(settings.hosts)} on port {settings.port} "
        f"for keyspace {settings.keyspace!r} (CHAIRSIDE_CASSANDRA_HOSTS, "
        f"CHAIRSIDE_CASSANDRA_PORT): {detail}"
    )
