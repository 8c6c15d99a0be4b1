"""Fault injection for the crash test: pause the consumer at a named point so it can be killed.

Set `CHAIRSIDE_KAFKA_FAULT_PAUSE=<phase>:<n>` and the n-th time the ingestion reaches <phase>
it writes `PAUSED_MARKER <phase> <n>` to stderr and blocks forever; the test then kills it with
SIGKILL, which is the crash. With `CHAIRSIDE_KAFKA_FAULT_RESUME=<path>` it blocks only until
that file exists: the lost-broker test stops the broker meanwhile, so the run goes on against
a broker lost in the middle of a topic. Unset (always, outside those tests) every checkpoint is
a no-op.
The phases are the points where a crash changes what a restart must do:

- before_warehouse_commit: inside the DuckDB transaction, before COMMIT (the chunk is lost and
  must be read again);
- after_warehouse_commit: the chunk is durable, its offsets too, Kafka was not told;
- before_group_commit / after_group_commit: around the advisory commit to the consumer group.
"""

from __future__ import annotations

import os
import sys
import time
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

FAULT_PAUSE_VARIABLE = "CHAIRSIDE_KAFKA_FAULT_PAUSE"
FAULT_RESUME_VARIABLE = "CHAIRSIDE_KAFKA_FAULT_RESUME"
PAUSED_MARKER = "chairside-kafka-fault: paused at"
PHASES = (
    "before_warehouse_commit",
    "after_warehouse_commit",
    "before_group_commit",
    "after_group_commit",
)


@dataclass
class FaultPoints:
    pause_at: tuple[str, int] | None = None
    resume_when: Path | None = None  # exists; None: never
    reached: Counter[str] = field(default_factory=Counter)

    @classmethod
    def from_environment(cls, environ: Mapping[str, str] | None = None) -> FaultPoints:
        env = os.environ if environ is None else environ
        spec = env.get(FAULT_PAUSE_VARIABLE, "")
        if not spec:
            return cls()
        phase, _, count = spec.partition(":")
        if phase not in PHASES or not count.isdigit() or int(count) < 1:
            raise ValueError(
                f"{FAULT_PAUSE_VARIABLE} must be <phase>:<n> with n >= 1 and phase one of "
                f"{', '.join(PHASES)}; got {spec!r}"
            )
        resume = env.get(FAULT_RESUME_VARIABLE, "")
        return cls(pause_at=(phase, int(count)), resume_when=Path(resume) if resume else None)

    def reach(self, phase: str) -> None:
        self.reached[phase] += 1
        if self.pause_at == (phase, self.reached[phase]):
            sys.stderr.write(f"{PAUSED_MARKER} {phase} {self.reached[phase]}\n")
            sys.stderr.flush()
            while self.resume_when is None or not self.resume_when.exists():
                time.sleep(0.05)
