"""Release events at a steady rate: event n is due `n / rate` seconds after the start.

Due times are computed from the start rather than from the previous release, so a slow publish
or a late wake-up is caught up on instead of lowering the rate for the rest of the run.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable


class Pacer:
    """`pacer.wait_turn()` before each event; False once `stop` is set (shutdown asked)."""

    def __init__(
        self,
        rate: float,
        stop: threading.Event,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if not rate > 0:
            raise ValueError(f"rate must be above zero events per second, got {rate}")
        self._interval = 1.0 / rate
        self._stop = stop
        self._clock = clock
        self._started = clock()
        self.released = 0

    def wait_turn(self) -> bool:
        due = self._started + self.released * self._interval
        delay = due - self._clock()
        # Event.wait doubles as an interruptible sleep: a signal handler's stop.set() ends it.
        if (delay > 0 and self._stop.wait(delay)) or self._stop.is_set():
            return False
        self.released += 1
        return True

    def elapsed(self) -> float:
        return self._clock() - self._started
