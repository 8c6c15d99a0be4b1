"""Every setting Chairside reads, in one place, with the embedded defaults.

Settings are read from the environment when `load_settings()` is called, never at import time,
so tests and Dagster runs can point the same code at other paths without reloading modules.
The names are fixed by docs/contracts.md; `.env.example` documents each one.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from chairside.core.clock import Clock, clock_from


@dataclass(frozen=True)
class KafkaSettings:
    """Kafka connection; `security` holds the SASL/SSL options passed through to the client."""

    bootstrap: tuple[str, ...]
    security: Mapping[str, str] = field(default_factory=dict)
    # The largest message value ingested; a larger one is a dead letter saying so. The contract's
    # events are a few hundred bytes: megabytes are a producer bug (a file pasted into a field).
    max_value_bytes: int = 64 * 1024


@dataclass(frozen=True)
class CassandraSettings:
    """The CRM cluster. `consistency` is a driver consistency level name; timeouts are seconds;
    `fetch_size` is the rows per page the driver fetches, which bounds a reader's memory."""

    hosts: tuple[str, ...]
    port: int
    keyspace: str
    username: str | None
    password: str | None
    consistency: str
    connect_timeout: float
    request_timeout: float
    fetch_size: int


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    username: str | None
    password: str | None
    sender: str
    # "starttls" (upgrade on the submission port), "ssl" (TLS from the first byte, port 465) or
    # "plain" (no TLS: the password crosses the network readable, so only when asked for by name)
    security: str = "starttls"

    def __post_init__(self) -> None:
        if self.security not in SMTP_SECURITY:
            raise ValueError(f"SMTP security must be one of {SMTP_SECURITY}, got {self.security!r}")


# A development key, public in this repository: pseudonyms made with it can be reversed by anyone
# who guesses a phone number. Every deployment sets CHAIRSIDE_PSEUDONYM_KEY to its own secret.
DEV_PSEUDONYM_KEY = "chairside-dev-pseudonym-key-not-secret"


@dataclass(frozen=True)
class ReleaseSettings:
    """Published releases (`chairside.presentation.release`): where they live, how many are kept,
    the key of
    the analyst audience's pseudonyms and, when set, the groups that may read each audience."""

    root: Path = Path("data/releases")
    keep: int = 5
    pseudonym_key: str = DEV_PSEUDONYM_KEY
    owner_group: str | None = None
    analyst_group: str | None = None


@dataclass(frozen=True)
class WebhookSettings:
    """`chairside webhooks serve`. A missing credential leaves its endpoint refusing every
    request (403), never accepting unauthenticated calls."""

    twilio_auth_token: str | None = field(default=None, repr=False)
    # The address Twilio was given, when a reverse proxy changes scheme, host or path: the
    # signature covers the URL Twilio called, not the one this process sees.
    public_url: str | None = None
    secret: str | None = field(default=None, repr=False)
    max_body_bytes: int = 65_536
    # How long a request waits for Kafka's acknowledgement before answering 503.
    kafka_timeout_seconds: float = 10.0
    # Where the apps reach the service (its calls in progress), inside the deployment.
    service_url: str | None = None


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    duckdb_path: Path
    inbox: Path
    reports_dir: Path
    mlflow_tracking_uri: str
    kafka: KafkaSettings | None
    cassandra: CassandraSettings | None
    smtp: SmtpSettings | None
    # "today" for every business date: CHAIRSIDE_AS_OF pins it, else each shop's own date
    clock: Clock = field(default_factory=Clock)
    # How long an inbox file must be left unchanged before any load path reads it.
    inbox_settle_seconds: float = 5.0
    releases: ReleaseSettings = field(default_factory=ReleaseSettings)
    # Where the marimo apps are served for the people who get the snapshot; None: no links.
    apps_url: str | None = None
    webhooks: WebhookSettings = field(default_factory=WebhookSettings)


# Kafka client options that may be passed through from CHAIRSIDE_KAFKA_<NAME>; the names are
# kafka-python's own so an operator can look each one up in its documentation.
KAFKA_SECURITY_OPTIONS = (
    "security_protocol",
    "sasl_mechanism",
    "sasl_plain_username",
    "sasl_plain_password",
    "ssl_cafile",
    "ssl_certfile",
    "ssl_keyfile",
    "ssl_password",
)


def _split(value: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in value.split(",") if part.strip())


def _flag(value: str) -> bool:
    lowered = value.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off", ""}:
        return False
    raise ValueError(f"expected a boolean (true/false), got {value!r}")


SMTP_SECURITY = ("starttls", "ssl", "plain")


def _smtp_security(env: Mapping[str, str]) -> str:
    """CHAIRSIDE_SMTP_SECURITY, else the older CHAIRSIDE_SMTP_STARTTLS (unset or empty is
    starttls). Logging in without TLS sends the password in clear, so it takes
    CHAIRSIDE_SMTP_SECURITY=plain by name; STARTTLS=false still sends to a relay without login."""
    named = env.get("CHAIRSIDE_SMTP_SECURITY", "").strip().lower()
    if named:
        if named not in SMTP_SECURITY:
            raise ValueError(
                f"CHAIRSIDE_SMTP_SECURITY must be one of {', '.join(SMTP_SECURITY)}, got {named!r}"
            )
        return named
    legacy = env.get("CHAIRSIDE_SMTP_STARTTLS", "").strip()
    if not legacy or _flag(legacy):
        return "starttls"
    if env.get("CHAIRSIDE_SMTP_USERNAME"):
        raise ValueError(
            "CHAIRSIDE_SMTP_STARTTLS=false with CHAIRSIDE_SMTP_USERNAME would send the SMTP "
            "password in clear text; set CHAIRSIDE_SMTP_SECURITY=starttls or ssl, or "
            "CHAIRSIDE_SMTP_SECURITY=plain to allow it"
        )
    return "plain"


def _int(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError:
        raise ValueError(f"{name} must be an integer, got {raw!r}") from None


def _positive_float(env: Mapping[str, str], name: str, default: float) -> float:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ValueError(f"{name} must be a number of seconds, got {raw!r}") from None
    if not value > 0:
        raise ValueError(f"{name} must be above zero, got {raw!r}")
    return value


def _positive_int(env: Mapping[str, str], name: str, default: int) -> int:
    value = _int(env, name, default)
    if value < 1:
        raise ValueError(f"{name} must be above zero, got {value}")
    return value


# The driver's consistency level names (cassandra.ConsistencyLevel), kept here so a typo fails
# when settings load rather than at the first query.
CASSANDRA_CONSISTENCY_LEVELS = (
    "ANY",
    "ONE",
    "TWO",
    "THREE",
    "QUORUM",
    "ALL",
    "LOCAL_QUORUM",
    "EACH_QUORUM",
    "SERIAL",
    "LOCAL_SERIAL",
    "LOCAL_ONE",
)


def _consistency(env: Mapping[str, str]) -> str:
    name = (env.get("CHAIRSIDE_CASSANDRA_CONSISTENCY") or "LOCAL_QUORUM").strip().upper()
    if name not in CASSANDRA_CONSISTENCY_LEVELS:
        choices = ", ".join(CASSANDRA_CONSISTENCY_LEVELS)
        raise ValueError(f"CHAIRSIDE_CASSANDRA_CONSISTENCY must be one of {choices}, got {name!r}")
    return name


def _fetch_size(env: Mapping[str, str]) -> int:
    size = _int(env, "CHAIRSIDE_CASSANDRA_FETCH_SIZE", 1000)
    if size < 1:
        raise ValueError(f"CHAIRSIDE_CASSANDRA_FETCH_SIZE must be at least 1, got {size}")
    return size


def load_settings(environ: Mapping[str, str] | None = None) -> Settings:
    """Build the settings from `environ` (the process environment by default).

    Relative paths are relative to the working directory, as an operator would expect from a
    path in an environment variable.
    """
    env = os.environ if environ is None else environ
    data_dir = Path(env.get("CHAIRSIDE_DATA_DIR") or "data")

    def path(name: str, default: Path) -> Path:
        return Path(env[name]) if env.get(name) else default

    bootstrap = _split(env.get("CHAIRSIDE_KAFKA_BOOTSTRAP", ""))
    kafka = None
    if bootstrap:
        security = {
            option: env[f"CHAIRSIDE_KAFKA_{option.upper()}"]
            for option in KAFKA_SECURITY_OPTIONS
            if env.get(f"CHAIRSIDE_KAFKA_{option.upper()}")
        }
        kafka = KafkaSettings(
            bootstrap=bootstrap,
            security=security,
            max_value_bytes=_positive_int(
                env, "CHAIRSIDE_KAFKA_MAX_VALUE_BYTES", KafkaSettings.max_value_bytes
            ),
        )

    hosts = _split(env.get("CHAIRSIDE_CASSANDRA_HOSTS", ""))
    cassandra = None
    if hosts:
        cassandra = CassandraSettings(
            hosts=hosts,
            port=_int(env, "CHAIRSIDE_CASSANDRA_PORT", 9042),
            keyspace=env.get("CHAIRSIDE_CASSANDRA_KEYSPACE") or "chairside",
            username=env.get("CHAIRSIDE_CASSANDRA_USERNAME") or None,
            password=env.get("CHAIRSIDE_CASSANDRA_PASSWORD") or None,
            consistency=_consistency(env),
            connect_timeout=_positive_float(env, "CHAIRSIDE_CASSANDRA_CONNECT_TIMEOUT", 5.0),
            request_timeout=_positive_float(env, "CHAIRSIDE_CASSANDRA_REQUEST_TIMEOUT", 10.0),
            fetch_size=_fetch_size(env),
        )

    smtp = None
    if env.get("CHAIRSIDE_SMTP_HOST"):
        smtp_security = _smtp_security(env)
        smtp = SmtpSettings(
            host=env["CHAIRSIDE_SMTP_HOST"],
            port=_int(env, "CHAIRSIDE_SMTP_PORT", 465 if smtp_security == "ssl" else 587),
            username=env.get("CHAIRSIDE_SMTP_USERNAME") or None,
            password=env.get("CHAIRSIDE_SMTP_PASSWORD") or None,
            sender=env.get("CHAIRSIDE_SMTP_FROM") or "chairside@localhost",
            security=smtp_security,
        )

    mlflow_default = f"sqlite:///{(data_dir / 'mlflow' / 'mlflow.db').as_posix()}"
    return Settings(
        data_dir=data_dir,
        duckdb_path=path("CHAIRSIDE_DUCKDB_PATH", data_dir / "warehouse.duckdb"),
        inbox=path("CHAIRSIDE_INBOX", data_dir / "inbox"),
        reports_dir=path("CHAIRSIDE_REPORTS_DIR", data_dir / "reports"),
        mlflow_tracking_uri=env.get("MLFLOW_TRACKING_URI") or mlflow_default,
        kafka=kafka,
        cassandra=cassandra,
        smtp=smtp,
        clock=clock_from(env),
        inbox_settle_seconds=_positive_float(
            env, "CHAIRSIDE_INBOX_SETTLE_SECONDS", Settings.inbox_settle_seconds
        ),
        apps_url=env.get("CHAIRSIDE_APPS_URL") or None,
        releases=_release_settings(env, data_dir),
        webhooks=_webhooks(env),
    )


def _release_settings(env: Mapping[str, str], data_dir: Path) -> ReleaseSettings:
    keep = _int(env, "CHAIRSIDE_RELEASES_KEEP", ReleaseSettings.keep)
    if keep < 2:
        # a reader that resolved the previous release must still find it after a switch
        raise ValueError(f"CHAIRSIDE_RELEASES_KEEP must be at least 2, got {keep}")
    return ReleaseSettings(
        root=Path(env.get("CHAIRSIDE_RELEASES_DIR") or data_dir / "releases"),
        keep=keep,
        pseudonym_key=env.get("CHAIRSIDE_PSEUDONYM_KEY") or DEV_PSEUDONYM_KEY,
        owner_group=env.get("CHAIRSIDE_RELEASE_OWNER_GROUP") or None,
        analyst_group=env.get("CHAIRSIDE_RELEASE_ANALYST_GROUP") or None,
    )


def _webhooks(env: Mapping[str, str]) -> WebhookSettings:
    limit = _int(env, "CHAIRSIDE_WEBHOOK_MAX_BODY_BYTES", WebhookSettings.max_body_bytes)
    if limit < 1:
        raise ValueError(f"CHAIRSIDE_WEBHOOK_MAX_BODY_BYTES must be at least 1, got {limit}")
    return WebhookSettings(
        twilio_auth_token=env.get("CHAIRSIDE_TWILIO_AUTH_TOKEN") or None,
        public_url=(env.get("CHAIRSIDE_WEBHOOK_PUBLIC_URL") or "").rstrip("/") or None,
        secret=env.get("CHAIRSIDE_WEBHOOK_SECRET") or None,
        max_body_bytes=limit,
        kafka_timeout_seconds=_positive_float(
            env, "CHAIRSIDE_WEBHOOK_KAFKA_TIMEOUT_SECONDS", WebhookSettings.kafka_timeout_seconds
        ),
        service_url=env.get("CHAIRSIDE_WEBHOOK_URL") or None,
    )
