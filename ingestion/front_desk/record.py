"""Writing a checked inquiry where the warehouse reads it: Kafka first (the answer the form
waits for), then the CRM's `inquiries_by_day` when Cassandra is configured. Both rows carry one
`inquiry_id`, which `fct_inquiries` counts once."""

from __future__ import annotations

import uuid
from zoneinfo import ZoneInfo

from chairside.contracts.topics import INQUIRIES
from chairside.core.settings import CassandraSettings
from ingestion.cassandra.session import open_session
from ingestion.front_desk.inquiry_form import Inquiry
from ingestion.kafka.acknowledged import AcknowledgedPublisher

INSERT = (
    "INSERT INTO inquiries_by_day (shop_id, day, created_at, inquiry_id, customer_name, phone,"
    " email, age, gender, message, channel) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)


def record(
    inquiry: Inquiry,
    publisher: AcknowledgedPublisher,
    cassandra: CassandraSettings | None,
    time_zone: str,
) -> None:
    """Raises `PublishFailed` or `CassandraUnavailable` (each saying why) when a store did not
    take it; the Kafka event stands either way, and the CRM's copy would count once."""
    publisher.publish(INQUIRIES, inquiry.message)
    if cassandra is None:
        return
    data = inquiry.data
    with open_session(cassandra) as session:
        session.execute(
            session.prepare(INSERT),
            (
                inquiry.shop_id,
                data.created_at.astimezone(ZoneInfo(time_zone)).date(),
                data.created_at,
                uuid.UUID(data.inquiry_id),
                data.customer_name,
                data.phone,
                data.email,
                data.age,
                data.gender,
                data.message,
                data.channel,
            ),
        )
