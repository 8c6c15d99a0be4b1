"""A Kafka-protocol broker on loopback, in this process: librdkafka's mock cluster.

`chairside demo` (when CHAIRSIDE_KAFKA_BOOTSTRAP is unset), the integration tests and the
benchmark publish to it and consume from it with the real clients over TCP, so they exercise
the same path as production without a JVM or Docker. The mock cluster lives in the
librdkafka shipped inside the confluent-kafka wheel and is driven through ctypes
(rdkafka_mock.h); it needs an `rd_kafka_t` handle to live in, created here and otherwise unused.

Its brokers listen on 127.0.0.1 on ports the OS picks, so parallel test workers never clash.
It keeps a bounded log per partition (about 5 MB of messages; older ones are evicted), which
is what `partitions_for` sizes topics against.
"""

from __future__ import annotations

import ctypes
import math
from ctypes import c_char_p, c_int, c_int32, c_size_t, c_void_p
from functools import cache
from pathlib import Path
from types import TracebackType

import confluent_kafka

_PRODUCER = 0  # rd_kafka_type_t RD_KAFKA_PRODUCER
_ERRSTR_SIZE = 512
# What one mock partition keeps before evicting, with room to spare for record overhead and
# an uneven spread of keys over partitions.
_PARTITION_BUDGET_BYTES = 2_500_000


def partitions_for(payload_bytes: int, minimum: int = 6) -> int:
    """Partitions a topic needs on the mock broker to hold `payload_bytes` of values at once."""
    return max(minimum, math.ceil(payload_bytes / _PARTITION_BUDGET_BYTES))


@cache
def _librdkafka() -> ctypes.CDLL:
    """The librdkafka confluent-kafka was built with (the same file its extension loaded)."""
    package = Path(confluent_kafka.__file__).parent
    candidates = sorted(package.parent.glob("confluent_kafka.libs/librdkafka*.so*"))
    if not candidates:
        raise RuntimeError(f"no bundled librdkafka next to {package}")
    lib = ctypes.CDLL(str(candidates[0]))
    signatures: dict[str, tuple[type | None, list[type]]] = {
        "rd_kafka_conf_new": (c_void_p, []),
        "rd_kafka_conf_set": (c_int, [c_void_p, c_char_p, c_char_p, c_char_p, c_size_t]),
        "rd_kafka_new": (c_void_p, [c_int, c_void_p, c_char_p, c_size_t]),
        "rd_kafka_destroy": (None, [c_void_p]),
        "rd_kafka_mock_cluster_new": (c_void_p, [c_void_p, c_int]),
        "rd_kafka_mock_cluster_destroy": (None, [c_void_p]),
        "rd_kafka_mock_cluster_bootstraps": (c_char_p, [c_void_p]),
        "rd_kafka_mock_topic_create": (c_int, [c_void_p, c_char_p, c_int, c_int]),
        "rd_kafka_mock_broker_set_down": (c_int, [c_void_p, c_int32]),
        "rd_kafka_mock_broker_set_up": (c_int, [c_void_p, c_int32]),
        "rd_kafka_err2str": (c_char_p, [c_int]),
    }
    for name, (restype, argtypes) in signatures.items():
        function = getattr(lib, name)
        function.restype = restype
        function.argtypes = argtypes
    return lib


def _check(error_code: int) -> None:
    if error_code != 0:
        message = _librdkafka().rd_kafka_err2str(error_code).decode()
        raise RuntimeError(f"local Kafka broker: {message}")


class LocalKafkaBroker:
    """`with LocalKafkaBroker({"topic": partitions}) as broker:` then `broker.bootstrap`.

    One broker (id 1); `set_down` and `set_up` simulate its outage.
    """

    _BROKER_ID = 1

    def __init__(self, topics: dict[str, int]) -> None:
        self._topics = dict(topics)
        self._handle: int | None = None
        self._cluster: int | None = None
        self.bootstrap = ""

    def __enter__(self) -> LocalKafkaBroker:
        lib = _librdkafka()
        errstr = ctypes.create_string_buffer(_ERRSTR_SIZE)
        conf = lib.rd_kafka_conf_new()
        # The handle has no bootstrap servers of its own; silence its notice about that.
        lib.rd_kafka_conf_set(conf, b"log_level", b"3", errstr, _ERRSTR_SIZE)
        self._handle = lib.rd_kafka_new(_PRODUCER, conf, errstr, _ERRSTR_SIZE)
        if not self._handle:
            raise RuntimeError(f"librdkafka: {errstr.value.decode()}")
        self._cluster = lib.rd_kafka_mock_cluster_new(self._handle, 1)  # one broker
        if not self._cluster:
            self._close()
            raise RuntimeError("librdkafka could not start a mock cluster")
        self.bootstrap = lib.rd_kafka_mock_cluster_bootstraps(self._cluster).decode()
        try:
            for name, partitions in self._topics.items():
                _check(lib.rd_kafka_mock_topic_create(self._cluster, name.encode(), partitions, 1))
        except BaseException:
            self._close()
            raise
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._close()

    def set_down(self) -> None:
        """The broker drops its connections and refuses new ones until `set_up`."""
        _check(_librdkafka().rd_kafka_mock_broker_set_down(self._running(), self._BROKER_ID))

    def set_up(self) -> None:
        _check(_librdkafka().rd_kafka_mock_broker_set_up(self._running(), self._BROKER_ID))

    def _running(self) -> int:
        if self._cluster is None:
            raise RuntimeError("the local Kafka broker is not running")
        return self._cluster

    def _close(self) -> None:
        lib = _librdkafka()
        if self._cluster is not None:
            lib.rd_kafka_mock_cluster_destroy(self._cluster)
            self._cluster = None
        if self._handle is not None:
            lib.rd_kafka_destroy(self._handle)
            self._handle = None
