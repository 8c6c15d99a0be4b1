"""Contract events (docs/contracts.md envelopes) written out by hand, for tests that say exactly
what happened. Event ids derive from the content, so writing the same event twice is a
re-delivery, as it would be from a producer retrying."""

import uuid


def envelope(event_type: str, occurred_at: str, shop_id: str, data: dict) -> dict:
    return {
        "event_id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"{event_type}/{occurred_at}/{data}")),
        "event_type": event_type,
        "schema_version": 1,
        "occurred_at": occurred_at,
        "shop_id": shop_id,
        "data": data,
    }


def customer(when: str, shop: str, customer_id: str, first: str, last: str, **contact) -> dict:
    data = {
        "customer_id": customer_id,
        "first_name": first,
        "last_name": last,
        "phone": None,
        "email": None,
        "birth_year": None,
        "gender": None,
        "marketing_opt_in": False,
        **contact,
    }
    return envelope("customer.upserted", when, shop, data)


def booked(
    when: str,
    shop: str,
    appointment_id: str,
    customer_id: str,
    staff_id: str,
    service: str,
    start: str,
    price: str,
    channel: str = "online",
    call_id: str | None = None,
) -> dict:
    return envelope(
        "appointment.booked",
        when,
        shop,
        {
            "appointment_id": appointment_id,
            "customer_id": customer_id,
            "staff_id": staff_id,
            "service_code": service,
            "scheduled_start": start,
            "duration_min": 30,
            "quoted_price": float(price),
            "channel": channel,
            "call_id": call_id,
        },
    )


def completed(
    when: str, shop: str, appointment_id: str, service: str, product: str, tip: str
) -> dict:
    return envelope(
        "appointment.completed",
        when,
        shop,
        {
            "appointment_id": appointment_id,
            "service_revenue": float(service),
            "product_revenue": float(product),
            "tip": float(tip),
            "payment_method": "card",
        },
    )


def call(
    shop: str,
    call_id: str,
    start: str,
    outcome: str,
    seconds: int,
    intent: str,
    appointment_id: str | None = None,
    from_number: str = "709 555 0199",
) -> dict:
    return envelope(
        "call.completed",
        start,
        shop,
        {
            "call_id": call_id,
            "from_number": from_number,
            "caller_name": None,
            "started_at": start,
            "duration_sec": seconds,
            "outcome": outcome,
            "intent": intent,
            "appointment_id": appointment_id,
        },
    )
