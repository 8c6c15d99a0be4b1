"""`chairside webhooks serve`: the phone systems' webhook service (ingestion/webhooks) on
uvicorn. Imports stay light until the command runs, so `chairside --help` is unaffected."""

from __future__ import annotations

import click


@click.group("webhooks")
def webhooks_group() -> None:
    """Call events from phone systems over HTTP, published to Kafka."""


@webhooks_group.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8080, show_default=True, help="Port to listen on.")
def serve_command(host: str, port: int) -> None:
    """Serve POST /webhooks/twilio/voice-status, POST /webhooks/calls and GET /healthz until
    stopped. Needs CHAIRSIDE_KAFKA_BOOTSTRAP; see docs/deployment.md for TLS and the proxy."""
    import uvicorn

    from chairside.core.settings import load_settings
    from ingestion.inbox.shops_file import ShopBookWatcher
    from ingestion.webhooks import logs
    from ingestion.webhooks.app import Service, create_app

    settings = load_settings()
    if settings.kafka is None:
        raise click.ClickException(
            "CHAIRSIDE_KAFKA_BOOTSTRAP is not set: the webhook service publishes every call "
            "to Kafka and answers only once it is acknowledged"
        )
    logs.configure()
    service = Service(settings.webhooks, settings.kafka, ShopBookWatcher(settings.inbox))
    # TLS ends at the reverse proxy; its X-Forwarded-* headers are trusted from loopback only.
    uvicorn.run(create_app(service), host=host, port=port, log_config=None, access_log=False)
