"""Chain-wide id counters shared by every shop's simulation.

The booking system is one system for the whole chain, so its customer and appointment ids are
unique across shops; the ground-truth person ids follow the same rule.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(slots=True)
class IdSequence:
    _people: int = 0
    _customers: int = 0
    _appointments: int = 0

    def person_id(self) -> str:
        self._people += 1
        return f"p-{self._people:06d}"

    def customer_id(self) -> str:
        self._customers += 1
        return f"c-{self._customers:06d}"

    def appointment_id(self) -> str:
        self._appointments += 1
        return f"a-{self._appointments:07d}"
