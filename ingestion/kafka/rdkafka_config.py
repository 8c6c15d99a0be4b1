"""librdkafka (confluent-kafka) configuration from Chairside's Kafka settings.

The settings name the SASL/SSL options the way kafka-python does (CHAIRSIDE_KAFKA_SSL_CAFILE
and so on, see `.env.example`); librdkafka spells the same options differently.
"""

from __future__ import annotations

from chairside.core.settings import KafkaSettings

# kafka-python option name -> librdkafka property
RDKAFKA_SECURITY_NAMES = {
    "security_protocol": "security.protocol",
    "sasl_mechanism": "sasl.mechanism",
    "sasl_plain_username": "sasl.username",
    "sasl_plain_password": "sasl.password",
    "ssl_cafile": "ssl.ca.location",
    "ssl_certfile": "ssl.certificate.location",
    "ssl_keyfile": "ssl.key.location",
    "ssl_password": "ssl.key.password",
}


def rdkafka_config(kafka: KafkaSettings) -> dict[str, str]:
    """Bootstrap servers and security for a librdkafka client; callers add their own options."""
    unknown = sorted(set(kafka.security) - set(RDKAFKA_SECURITY_NAMES))
    if unknown:
        raise ValueError(f"no librdkafka equivalent for Kafka option(s) {', '.join(unknown)}")
    config = {"bootstrap.servers": ",".join(kafka.bootstrap), "client.id": "chairside"}
    config.update({RDKAFKA_SECURITY_NAMES[name]: value for name, value in kafka.security.items()})
    return config
