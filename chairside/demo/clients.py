"""What the simulation remembers about each client between their actions."""

from __future__ import annotations

from dataclasses import dataclass

from chairside.demo.model import CustomerProfile, Person
from chairside.demo.population import Habits


@dataclass(slots=True)
class Client:
    """A person who books, with what the booking system and the barbers know about them."""

    person: Person
    habits: Habits
    profile: CustomerProfile | None = None  # latest version of their booking-system profile
    online_customer_id: str | None = None  # a second account made online by mistake
    preferred_staff: str | None = None
    visits: int = 0

    @property
    def returns(self) -> bool:
        """Whether this client still comes back after a visit."""
        if self.habits.interval_days is None:
            return False
        leaving_after = self.habits.visits_before_leaving
        return leaving_after is None or self.visits < leaving_after
