"""Kafka client configuration: security passed through, the local broker's sizing."""

import pytest

from chairside.core.settings import KafkaSettings, load_settings
from chairside.demo.local_broker import LocalKafkaBroker, partitions_for
from ingestion.kafka.rdkafka_config import rdkafka_config


def test_security_settings_reach_librdkafka_under_its_own_names() -> None:
    kafka = load_settings(
        {
            "CHAIRSIDE_KAFKA_BOOTSTRAP": "k1:9093,k2:9093",
            "CHAIRSIDE_KAFKA_SECURITY_PROTOCOL": "SASL_SSL",
            "CHAIRSIDE_KAFKA_SASL_MECHANISM": "SCRAM-SHA-512",
            "CHAIRSIDE_KAFKA_SASL_PLAIN_USERNAME": "chairside",
            "CHAIRSIDE_KAFKA_SASL_PLAIN_PASSWORD": "s3cret",
            "CHAIRSIDE_KAFKA_SSL_CAFILE": "/etc/ssl/kafka-ca.pem",
        }
    ).kafka
    assert kafka is not None
    assert rdkafka_config(kafka) == {
        "bootstrap.servers": "k1:9093,k2:9093",
        "client.id": "chairside",
        "security.protocol": "SASL_SSL",
        "sasl.mechanism": "SCRAM-SHA-512",
        "sasl.username": "chairside",
        "sasl.password": "s3cret",
        "ssl.ca.location": "/etc/ssl/kafka-ca.pem",
    }


def test_an_option_without_a_librdkafka_name_is_refused() -> None:
    with pytest.raises(ValueError, match="sasl_kerberos_service_name"):
        rdkafka_config(KafkaSettings(("k1:9092",), {"sasl_kerberos_service_name": "kafka"}))


def test_local_topics_get_enough_partitions_for_the_mock_log_limit() -> None:
    assert partitions_for(1_000) == 6
    assert partitions_for(100_000_000) == 40


def test_the_local_broker_listens_on_loopback_only() -> None:
    with LocalKafkaBroker({"chairside.calls.v1": 2}) as broker:
        host, port = broker.bootstrap.split(":")
        assert host == "127.0.0.1" and int(port) > 0
    with pytest.raises(RuntimeError, match="not running"):
        broker.set_down()
