"""The webhook service's routes (docs/contracts.md, Phone systems).

Every event is answered 2xx only once Kafka acknowledged it, so a caller that sees 2xx may
forget the call; anything else it retries, and the derived `event_id` makes the retry count
once. Requests that cannot be authenticated publish nothing, whatever they hold.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hmac
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from twilio.request_validator import RequestValidator

from chairside.contracts.topics import CALLS
from chairside.core.settings import KafkaSettings, WebhookSettings
from ingestion.inbox.shops_file import ShopBookWatcher
from ingestion.kafka.acknowledged import AcknowledgedPublisher
from ingestion.kafka.outgoing import InvalidEvent
from ingestion.kafka.producer import Outgoing, PublishFailed
from ingestion.webhooks import generic_call, twilio_status
from ingestion.webhooks.body_limit import BodyLimit
from ingestion.webhooks.logs import answered
from ingestion.webhooks.ringing import CallsInProgress

TWILIO_PATH = "/webhooks/twilio/voice-status"
GENERIC_PATH = "/webhooks/calls"
IN_PROGRESS_PATH = "/calls/in-progress"


@dataclass(frozen=True)
class Service:
    webhooks: WebhookSettings
    kafka: KafkaSettings
    shops: ShopBookWatcher


def _now() -> dt.datetime:
    """The time of receipt: a load time (the bounds' reference), not a business date."""
    return dt.datetime.now(dt.UTC)


async def _publish(request: Request, message: Outgoing, **fields: object) -> Response:
    publisher: AcknowledgedPublisher = request.state.publisher
    timeout = request.state.service.webhooks.kafka_timeout_seconds
    try:
        # librdkafka reports within the message's own timeout; the margin only guards a bug.
        await asyncio.wait_for(asyncio.wrap_future(publisher.send(CALLS, message)), timeout + 5)
    except (PublishFailed, TimeoutError) as error:
        reason = f"Kafka did not acknowledge the event: {error or 'timed out'}"
        answered(request.url.path, 503, reason, **fields)
        return JSONResponse({"error": reason}, status_code=503, headers={"Retry-After": "5"})
    answered(request.url.path, 200, "published", **fields)
    return JSONResponse({"published": True, **fields})


def _refuse(request: Request, status: int, reason: str, **fields: object) -> Response:
    answered(request.url.path, status, reason, **fields)
    return JSONResponse({"error": reason}, status_code=status)


def _twilio_url(request: Request, public_url: str | None) -> str:
    """The URL Twilio signed: the public address when a proxy stands in between."""
    if public_url is None:
        return str(request.url)
    query = f"?{request.url.query}" if request.url.query else ""
    return f"{public_url}{request.url.path}{query}"


async def twilio_voice_status(request: Request) -> Response:
    service: Service = request.state.service
    token = service.webhooks.twilio_auth_token
    signature = request.headers.get("x-twilio-signature")
    form = {key: str(value) for key, value in (await request.form()).items()}
    if token is None:
        return _refuse(request, 403, "CHAIRSIDE_TWILIO_AUTH_TOKEN is not set on this server")
    if not signature:
        return _refuse(request, 403, "X-Twilio-Signature is missing")
    url = _twilio_url(request, service.webhooks.public_url)
    if not RequestValidator(token).validate(url, form, signature):
        return _refuse(request, 403, f"X-Twilio-Signature does not match a request to {url}")
    try:
        callback = twilio_status.read_callback(form, service.shops.current(), received_at=_now())
    except twilio_status.Refused as refused:
        return _refuse(request, refused.status, str(refused), call_id=form.get("CallSid"))
    fields = {"call_id": callback.call_sid, "call_status": callback.status}
    if callback.shop_id is not None:
        request.state.calls_in_progress.heard(
            callback.call_sid, callback.shop_id, callback.status, _now()
        )
    if callback.message is None:
        answered(
            request.url.path, 200, "acknowledged, not a final status of an incoming call", **fields
        )
        return JSONResponse({"published": False, **fields})
    return await _publish(request, callback.message, shop_id=callback.shop_id, **fields)


def _secret_matches(request: Request, secret: str) -> bool:
    given = request.headers.get("authorization", "")
    scheme, _, token = given.partition(" ")
    return scheme.lower() == "bearer" and hmac.compare_digest(token.encode(), secret.encode())


async def generic_calls(request: Request) -> Response:
    service: Service = request.state.service
    secret = service.webhooks.secret
    if secret is None:
        return _refuse(request, 403, "CHAIRSIDE_WEBHOOK_SECRET is not set on this server")
    if not _secret_matches(request, secret):
        return _refuse(
            request, 403, "Authorization: Bearer <CHAIRSIDE_WEBHOOK_SECRET> is wrong or missing"
        )
    try:
        call, message = generic_call.read_call(await request.body(), received_at=_now())
    except InvalidEvent as error:
        return _refuse(request, 422, f"not a call the contract accepts: {error}")
    return await _publish(request, message, call_id=call.call_id, shop_id=call.shop_id)


async def calls_in_progress(request: Request) -> Response:
    """Per shop, calls ringing and answered calls still going, for the Today app. Counts only;
    the proxy forwards `/webhooks/*` alone, so this stays inside the deployment."""
    calls: CallsInProgress = request.state.calls_in_progress
    return JSONResponse(calls.counts(_now()))


async def health(request: Request) -> Response:
    service: Service = request.state.service
    book = service.shops.current()
    return JSONResponse(
        {
            "status": "ok",
            "shops": len(book.shops),
            "shop_phones": len(book.phones),
            "twilio": service.webhooks.twilio_auth_token is not None,
            "generic": service.webhooks.secret is not None,
        }
    )


def create_app(service: Service) -> Starlette:
    @asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[dict[str, object]]:
        with AcknowledgedPublisher(
            service.kafka, timeout_seconds=service.webhooks.kafka_timeout_seconds
        ) as publisher:
            yield {
                "service": service,
                "publisher": publisher,
                "calls_in_progress": CallsInProgress(),
            }

    return Starlette(
        routes=[
            Route(TWILIO_PATH, twilio_voice_status, methods=["POST"]),
            Route(GENERIC_PATH, generic_calls, methods=["POST"]),
            Route(IN_PROGRESS_PATH, calls_in_progress, methods=["GET"]),
            Route("/healthz", health, methods=["GET"]),
        ],
        middleware=[Middleware(BodyLimit, max_bytes=service.webhooks.max_body_bytes)],
        lifespan=lifespan,
    )
