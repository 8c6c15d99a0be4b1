"""Questions and stray calls: the contacts that are not bookings.

They still matter: unanswered questions are lost business, prospects who ask and never book
exist only here and in the inquiry logs, and robocalls pad the call counts as they do in life.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import date, datetime

from chairside.demo.agenda import Agenda
from chairside.demo.clients import Client
from chairside.demo.contacts import ContactDirectory
from chairside.demo.ledger import Ledger
from chairside.demo.model import Cadence, CallIntent, CallOutcome, Inquiry, Person, Shop
from chairside.demo.phone_desk import record_call, ring
from chairside.demo.population import PeopleFactory
from chairside.demo.questions import ask
from chairside.demo.randomness import chance, new_uuid

_CLIENT_SHARE = 0.4  # of questions, asked by existing clients rather than strangers
_LOGGED_CALL_ODDS = 0.6  # the desk writes down most answered questions, not all
_LOGGED_VISIT_ODDS = 0.9


class FrontDesk:
    def __init__(
        self,
        shop: Shop,
        rng: random.Random,
        agenda: Agenda,
        factory: PeopleFactory,
        directory: ContactDirectory,
        ledger: Ledger,
        crm_start: date,
    ) -> None:
        self._shop = shop
        self._rng = rng
        self._agenda = agenda
        self._factory = factory
        self._directory = directory
        self._ledger = ledger
        self._crm_start = crm_start

    def question(self, now: datetime, asker: Person | None, known: Sequence[Client]) -> None:
        """Someone asks something: `asker` if given (a newcomer-to-be), else a client or a
        prospect who will never book."""
        rng = self._rng
        person = asker
        if person is None:
            if known and chance(rng, _CLIENT_SHARE):
                person = rng.choice(known).person
            else:
                person = self._factory.person(Cadence.PROSPECT, now.date())
                self._ledger.people.append(person)
        channel = self._channel(now)
        intent, message = ask(rng)
        if channel == "phone":
            outcome = ring(rng, self._shop, now, self._agenda.busy_share(now))
            call = record_call(rng, self._shop, person, person.phone, now, outcome, intent)
            self._ledger.calls.append(call)
            logged = outcome is CallOutcome.ANSWERED and chance(rng, _LOGGED_CALL_ODDS)
        else:
            logged = channel != "walk_in" or chance(rng, _LOGGED_VISIT_ODDS)
        if logged:
            inquiry = Inquiry(
                str(new_uuid(rng)), self._shop.shop_id, person.person_id, now, channel, message
            )
            self._ledger.inquiries.append(inquiry)

    def _channel(self, now: datetime) -> str:
        """Web and Instagram forms came with the CRM; walking in needs the door open."""
        roll = self._rng.random()
        if now.date() >= self._crm_start and roll < 0.2:
            return "web" if roll < 0.12 else "instagram"
        if self._shop.is_open_at(now) and roll > 0.7:
            return "walk_in"
        return "phone"

    def robocall(self, now: datetime) -> None:
        rng = self._rng
        number = self._directory.new_phone(rng, rng.choice(self._shop.area_codes))
        outcome = ring(rng, self._shop, now, self._agenda.busy_share(now))
        call = record_call(rng, self._shop, None, number, now, outcome, CallIntent.OTHER)
        self._ledger.calls.append(call)
