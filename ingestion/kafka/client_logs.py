"""The Kafka clients' own logs, through Python logging, each kind of message once a minute.

A lost broker makes a client retry its connection every second or so and say so each time:
librdkafka wrote 24,297 such lines to stderr in a ten-minute run (issue #13), which buried the
one line that said what failed. Both clients log through Python logging here (librdkafka by its
`logger` property, kafka-python always), and `RepeatFilter` lets the first message of a kind
through and holds back its repeats for a minute, then says how many there were. Messages of a
kind differ only in their numbers (ports, milliseconds, counts) and in which of the client's
connections (bootstrap, broker, coordinator) failed, which the filter ignores.
"""

from __future__ import annotations

import logging
import re
import threading
import time
from collections import Counter
from collections.abc import Callable

RDKAFKA_LOGGER = "ingestion.kafka.librdkafka"
KAFKA_PYTHON_LOGGER = "kafka"
REPEAT_WINDOW_SECONDS = 60.0

_NUMBERS = re.compile(r"\d+")
# After the numbers: librdkafka's thread and broker names, and its own count of repeats.
_WHERE = re.compile(
    r"\[thrd:[^\]]*\]: [^ ]+: |[^ ]+: (?=Connect to)|, # identical error\(s\) suppressed"
)


class RepeatFilter(logging.Filter):
    """Passes the first record of each kind per window; the next one that passes says how many
    were held back."""

    def __init__(
        self,
        window: float = REPEAT_WINDOW_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__()
        self._window, self._clock = window, clock
        self._passed: dict[tuple[str, int, str], float] = {}
        self._held: Counter[tuple[str, int, str]] = Counter()
        self._lock = threading.Lock()

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        kind = (record.name, record.levelno, _WHERE.sub("", _NUMBERS.sub("#", message)))
        now = self._clock()
        with self._lock:
            passed = self._passed.get(kind)
            if passed is not None and now - passed < self._window:
                self._held[kind] += 1
                return False
            self._passed[kind] = now
            held = self._held.pop(kind, 0)
        if held:
            record.msg, record.args = f"{message} (and {held} more like it held back)", ()
        return True


def _filtered(name: str) -> logging.Logger:
    logger = logging.getLogger(name)
    if not any(isinstance(f, RepeatFilter) for f in logger.filters):
        logger.addFilter(RepeatFilter())
    return logger


def rdkafka_logger() -> logging.Logger:
    """The logger to pass as a librdkafka client's `logger` property."""
    return _filtered(RDKAFKA_LOGGER)


def quiet_kafka_python() -> None:
    """Hold back kafka-python's repeated messages. A logger's filters do not apply to what its
    children log, so each of its modules' loggers (created when kafka-python is imported) gets
    its own filter."""
    names = [
        name
        for name in logging.Logger.manager.loggerDict
        if name == KAFKA_PYTHON_LOGGER or name.startswith(f"{KAFKA_PYTHON_LOGGER}.")
    ]
    for name in names:
        _filtered(name)
