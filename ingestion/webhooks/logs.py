"""One JSON object per line for every request the webhook service answers.

Only what an operator needs to follow a call (endpoint, status, call id, shop, reason) is
written: never a signature, a token, a secret or a caller's number.
"""

from __future__ import annotations

import json
import logging
from typing import Any

log = logging.getLogger("chairside.webhooks")

_STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime"}


class JsonLines(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        entry.update({k: v for k, v in vars(record).items() if k not in _STANDARD})
        if record.exc_info:
            entry["error"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str)


def configure(level: int = logging.INFO) -> None:
    """Structured lines on stderr for this service and uvicorn's own messages."""
    handler = logging.StreamHandler()
    handler.setFormatter(JsonLines())
    for name in ("chairside", "ingestion", "uvicorn.error"):
        logger = logging.getLogger(name)
        logger.handlers = [handler]
        logger.setLevel(level)
        logger.propagate = False


def answered(path: str, status: int, message: str, **fields: object) -> None:
    level = logging.INFO if status < 400 else logging.WARNING
    log.log(level, message, extra={"path": path, "status": status, **fields})
