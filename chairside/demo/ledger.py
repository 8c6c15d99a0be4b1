"""Everything one shop's simulation has recorded so far."""

from __future__ import annotations

from dataclasses import dataclass, field

from chairside.demo.model import (
    Appointment,
    Call,
    CustomerProfile,
    Inquiry,
    Person,
    PlayedCampaign,
    Shop,
    ShopHistory,
)


@dataclass(slots=True)
class Ledger:
    people: list[Person] = field(default_factory=list)
    profiles: list[CustomerProfile] = field(default_factory=list)
    appointments: dict[str, Appointment] = field(default_factory=dict)  # in booking order
    calls: list[Call] = field(default_factory=list)
    inquiries: list[Inquiry] = field(default_factory=list)
    campaigns: list[PlayedCampaign] = field(default_factory=list)

    def history(self, shop: Shop) -> ShopHistory:
        return ShopHistory(
            shop=shop,
            people=tuple(self.people),
            profiles=tuple(self.profiles),
            appointments=tuple(self.appointments.values()),
            calls=tuple(sorted(self.calls, key=lambda call: call.started_at)),
            inquiries=tuple(sorted(self.inquiries, key=lambda inquiry: inquiry.at)),
            campaigns=tuple(self.campaigns),
        )
