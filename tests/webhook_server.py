"""The webhook service running for real (uvicorn on a loopback port, in a thread) against a
Kafka-protocol broker, for the integration tests and the bench."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import uvicorn

from chairside.core.settings import KafkaSettings, WebhookSettings
from ingestion.inbox.shops_file import ShopBookWatcher
from ingestion.webhooks.app import Service, create_app


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def webhook_server(kafka: KafkaSettings, webhooks: WebhookSettings, inbox: Path) -> Iterator[str]:
    """The service's base URL while the block runs."""
    port = free_port()
    app = create_app(Service(webhooks, kafka, ShopBookWatcher(inbox)))
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_config=None, access_log=False)
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the webhook server did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=30)
