from pathlib import Path

import pytest

from chairside.core.settings import load_settings


def test_embedded_defaults_need_no_environment() -> None:
    settings = load_settings({})
    assert settings.duckdb_path == Path("data/warehouse.duckdb")
    assert settings.inbox == Path("data/inbox")
    assert settings.reports_dir == Path("data/reports")
    assert settings.mlflow_tracking_uri == "sqlite:///data/mlflow/mlflow.db"
    assert settings.kafka is None and settings.cassandra is None and settings.smtp is None


def test_contract_variables_override_defaults() -> None:
    settings = load_settings(
        {
            "CHAIRSIDE_DATA_DIR": "/srv/chairside",
            "CHAIRSIDE_INBOX": "/mnt/inbox",
            "CHAIRSIDE_KAFKA_BOOTSTRAP": "k1:9092, k2:9092,",
            "CHAIRSIDE_KAFKA_SECURITY_PROTOCOL": "SASL_SSL",
            "CHAIRSIDE_KAFKA_SASL_MECHANISM": "PLAIN",
            "CHAIRSIDE_CASSANDRA_HOSTS": "c1,c2",
            "CHAIRSIDE_CASSANDRA_PORT": "9142",
            "MLFLOW_TRACKING_URI": "http://mlflow:5000",
        }
    )
    assert settings.duckdb_path == Path("/srv/chairside/warehouse.duckdb")
    assert settings.inbox == Path("/mnt/inbox")
    assert settings.kafka is not None
    assert settings.kafka.bootstrap == ("k1:9092", "k2:9092")
    assert dict(settings.kafka.security) == {
        "security_protocol": "SASL_SSL",
        "sasl_mechanism": "PLAIN",
    }
    assert settings.cassandra is not None
    assert settings.cassandra.hosts == ("c1", "c2") and settings.cassandra.port == 9142
    assert settings.cassandra.keyspace == "chairside"
    assert settings.mlflow_tracking_uri == "http://mlflow:5000"


def test_the_kafka_message_size_limit_is_a_setting() -> None:
    kafka = {"CHAIRSIDE_KAFKA_BOOTSTRAP": "k1:9092"}
    assert load_settings(kafka).kafka.max_value_bytes == 65_536
    raised = kafka | {"CHAIRSIDE_KAFKA_MAX_VALUE_BYTES": "1048576"}
    assert load_settings(raised).kafka.max_value_bytes == 1_048_576
    with pytest.raises(ValueError, match="CHAIRSIDE_KAFKA_MAX_VALUE_BYTES must be above zero"):
        load_settings(kafka | {"CHAIRSIDE_KAFKA_MAX_VALUE_BYTES": "0"})


def test_a_malformed_number_names_the_variable() -> None:
    with pytest.raises(ValueError, match="CHAIRSIDE_CASSANDRA_PORT"):
        load_settings({"CHAIRSIDE_CASSANDRA_HOSTS": "c1", "CHAIRSIDE_CASSANDRA_PORT": "nine"})


def test_env_example_documents_every_variable_the_settings_read() -> None:
    documented = Path(__file__).parents[2].joinpath(".env.example").read_text()
    source = Path(__file__).parents[2].joinpath("chairside", "core", "settings.py").read_text()
    import re

    read = set(re.findall(r'"((?:CHAIRSIDE|MLFLOW)_[A-Z_]+)"', source))
    read |= {
        f"CHAIRSIDE_KAFKA_{o.upper()}"
        for o in __import__("chairside.core.settings", fromlist=["x"]).KAFKA_SECURITY_OPTIONS
    }
    missing = sorted(name for name in read if name not in documented)
    assert not missing, f".env.example lacks {missing}"


SMTP = {"CHAIRSIDE_SMTP_HOST": "mail.example.com", "CHAIRSIDE_SMTP_USERNAME": "owner"}


@pytest.mark.parametrize(
    ("extra", "security", "port"),
    [
        ({}, "starttls", 587),
        ({"CHAIRSIDE_SMTP_STARTTLS": ""}, "starttls", 587),  # empty is unset, never clear text
        ({"CHAIRSIDE_SMTP_STARTTLS": "true"}, "starttls", 587),
        ({"CHAIRSIDE_SMTP_SECURITY": "ssl"}, "ssl", 465),
        ({"CHAIRSIDE_SMTP_SECURITY": "PLAIN", "CHAIRSIDE_SMTP_STARTTLS": "true"}, "plain", 587),
        ({"CHAIRSIDE_SMTP_SECURITY": "ssl", "CHAIRSIDE_SMTP_PORT": "2465"}, "ssl", 2465),
    ],
)
def test_smtp_security_defaults_to_starttls(extra: dict, security: str, port: int) -> None:
    smtp = load_settings({**SMTP, **extra}).smtp
    assert smtp is not None and (smtp.security, smtp.port) == (security, port)


def test_a_login_in_clear_text_must_be_asked_for_by_name() -> None:
    with pytest.raises(ValueError, match="CHAIRSIDE_SMTP_SECURITY=plain"):
        load_settings({**SMTP, "CHAIRSIDE_SMTP_STARTTLS": "false"})
    relay = load_settings({"CHAIRSIDE_SMTP_HOST": "relay", "CHAIRSIDE_SMTP_STARTTLS": "false"})
    assert relay.smtp is not None and relay.smtp.security == "plain"  # no login, nothing to leak
    with pytest.raises(ValueError, match="starttls, ssl, plain"):
        load_settings({**SMTP, "CHAIRSIDE_SMTP_SECURITY": "none"})
