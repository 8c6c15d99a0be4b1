"""Calls in progress, as the webhook service last heard of them: what "ringing now" means.

The contract publishes a call once it has ended, so no topic knows about a call still ringing;
Twilio's intermediate callbacks do. The service keeps them in memory (one instance serves the
webhooks), drops a call at its final status, and forgets one whose final callback never came
after `STALE` (a call does not ring for two hours). Only counts per shop leave the process.
"""

from __future__ import annotations

import datetime as dt
import json
import threading
import urllib.request
from collections import Counter
from dataclasses import dataclass

STALE = dt.timedelta(hours=2)
RINGING = frozenset({"queued", "initiated", "ringing"})
ON_THE_LINE = frozenset({"in-progress"})


@dataclass(frozen=True, slots=True)
class _Live:
    shop_id: str
    status: str
    seen_at: dt.datetime


class CallsInProgress:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._calls: dict[str, _Live] = {}
        # Calls whose final status came, and when: Twilio's callbacks may arrive out of order,
        # and a retried `ringing` after the end must not make the call ring again.
        self._ended: dict[str, dt.datetime] = {}

    def heard(self, call_sid: str, shop_id: str, status: str, at: dt.datetime) -> None:
        """A callback's status; a final one ends the call."""
        with self._lock:
            self._forget_before(at - STALE)
            if status in RINGING or status in ON_THE_LINE:
                if call_sid not in self._ended:
                    self._calls[call_sid] = _Live(shop_id, status, at)
            else:
                self._calls.pop(call_sid, None)
                self._ended[call_sid] = at

    def counts(self, now: dt.datetime) -> dict[str, dict[str, int]]:
        """Per shop, the calls ringing and the calls answered and still going."""
        with self._lock:
            self._forget_before(now - STALE)
            live = list(self._calls.values())
        ringing = Counter(call.shop_id for call in live if call.status in RINGING)
        talking = Counter(call.shop_id for call in live if call.status in ON_THE_LINE)
        return {
            shop: {"ringing": ringing[shop], "on_the_line": talking[shop]}
            for shop in sorted(ringing.keys() | talking.keys())
        }

    def _forget_before(self, moment: dt.datetime) -> None:
        """Drop what was last heard of before `moment` (the lock is held)."""
        for sid in [sid for sid, live in self._calls.items() if live.seen_at < moment]:
            del self._calls[sid]
        for sid in [sid for sid, ended in self._ended.items() if ended < moment]:
            del self._ended[sid]


class InProgressUnknown(RuntimeError):
    """The webhook service could not say; the message says why."""


def read_in_progress(service_url: str, timeout: float = 2.0) -> dict[str, dict[str, int]]:
    """The counts from the webhook service at `service_url` (CHAIRSIDE_WEBHOOK_URL)."""
    address = f"{service_url.rstrip('/')}/calls/in-progress"
    try:
        with urllib.request.urlopen(address, timeout=timeout) as response:
            return json.loads(response.read())
    except (OSError, ValueError) as error:
        raise InProgressUnknown(
            f"the webhook service at {service_url} did not answer: {error}"
        ) from error
