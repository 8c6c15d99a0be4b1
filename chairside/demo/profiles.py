"""The booking system's customer profiles: what `customer.upserted` events carry.

A profile is created at a person's first booking, typed by whoever made it (the client online
or the desk on the phone), so spellings and gaps vary; now and then it is edited at checkout.
"""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import datetime, timedelta

from chairside.demo.clients import Client
from chairside.demo.contacts import ContactDirectory, write_email, write_phone
from chairside.demo.ids import IdSequence
from chairside.demo.model import Channel, CustomerProfile
from chairside.demo.randomness import chance

_DUPLICATE_ACCOUNT_ODDS = 0.004  # per online booking by someone who already has a profile
_EDIT_ODDS = 0.015  # per visit


class ProfileDesk:
    def __init__(
        self,
        shop_id: str,
        rng: random.Random,
        ids: IdSequence,
        directory: ContactDirectory,
        profiles: list[CustomerProfile],
    ) -> None:
        self._shop_id = shop_id
        self._rng = rng
        self._ids = ids
        self._directory = directory
        self._profiles = profiles  # every version, appended in the order they are written
        self.known: list[Client] = []  # clients with a profile, in the order they got one

    def customer_id_for(self, client: Client, channel: Channel, booked_at: datetime) -> str:
        """The profile a booking is made under: a new one at the first booking, and rarely a
        second account made online by someone who did not log in (identity resolution must
        merge it back)."""
        rng = self._rng
        created_at = booked_at - timedelta(seconds=rng.randint(2, 40))
        if client.profile is None:
            client.profile = self._new_profile(client, created_at)
            self.known.append(client)
        elif (
            channel is Channel.ONLINE
            and client.online_customer_id is None
            and chance(rng, _DUPLICATE_ACCOUNT_ODDS)
        ):
            client.online_customer_id = self._new_profile(client, created_at).customer_id
        if channel is Channel.ONLINE and client.online_customer_id:
            return client.online_customer_id
        return client.profile.customer_id

    def maybe_edit(self, client: Client, at: datetime) -> None:
        """Now and then the desk fixes a profile at checkout: email, opt-in, phone or name."""
        rng, profile, person = self._rng, client.profile, client.person
        if profile is None or not chance(rng, _EDIT_ODDS):
            return
        change = rng.choice(("email", "opt_in", "phone", "last_name"))
        if change == "email":
            new_email = self._directory.new_email(rng, person.first_name, person.last_name)
            edited = replace(profile, email=write_email(rng, new_email))
        elif change == "opt_in":
            edited = replace(profile, marketing_opt_in=not profile.marketing_opt_in)
        elif change == "phone":
            edited = replace(profile, phone=write_phone(rng, person.phone))
        else:
            edited = replace(profile, last_name=person.last_name)
        client.profile = replace(edited, at=at)
        self._profiles.append(client.profile)

    def _new_profile(self, client: Client, at: datetime) -> CustomerProfile:
        rng, person = self._rng, client.person
        profile = CustomerProfile(
            customer_id=self._ids.customer_id(),
            person_id=person.person_id,
            shop_id=self._shop_id,
            at=at,
            first_name=person.first_name.lower() if chance(rng, 0.05) else person.first_name,
            last_name=None if chance(rng, 0.08) else person.last_name,
            phone=None if chance(rng, 0.03) else write_phone(rng, person.phone),
            email=write_email(rng, person.email) if person.email and chance(rng, 0.9) else None,
            birth_year=person.birth_year if chance(rng, 0.4) else None,
            gender=person.gender if chance(rng, 0.5) else None,
            marketing_opt_in=person.marketing_opt_in,
        )
        self._profiles.append(profile)
        return profile
