"""Who the clients are and how each of them behaves.

A person's cadence is drawn once and never changes; it is the ground truth that the CLV and
churn models are judged against. Habits give each person their own rhythm inside the cadence
(their own interval, barber, weekday and time), so the models see individuals, not a template.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date

from chairside.demo.contacts import ContactDirectory
from chairside.demo.demand import weekday_weight_of
from chairside.demo.ids import IdSequence
from chairside.demo.model import WEEKDAY_NAMES, Cadence, Gender, Person, Shop
from chairside.demo.names import FEMALE_FIRST_NAMES, LAST_NAMES, MALE_FIRST_NAMES
from chairside.demo.places import SITES
from chairside.demo.randomness import chance

# New clients by what they turn out to be.
ARRIVAL_MIX = {
    Cadence.REGULAR: 0.14,
    Cadence.OCCASIONAL: 0.26,
    Cadence.DRIFTER: 0.2,
    Cadence.ONE_TIMER: 0.4,
}

_ALL_AREA_CODES = tuple(dict.fromkeys(code for site in SITES for code in site.area_codes))
_AGE_BANDS = (
    (6, 12, 0.07),
    (13, 19, 0.08),
    (20, 34, 0.36),
    (35, 49, 0.25),
    (50, 64, 0.14),
    (65, 85, 0.1),
)


@dataclass(frozen=True, slots=True)
class Habits:
    """How a person books and comes back; None where the cadence has no such habit."""

    interval_days: float | None  # mean days between visits; None for one-timers
    interval_sigma: float  # visit-to-visit jitter (log scale)
    counter_rebook: float  # chance of booking the next visit at the counter on the way out
    online_share: float  # chance of booking online rather than by phone
    loyal: bool  # sticks to one barber
    preferred_weekday: int | None
    preferred_minute: int | None
    usual_service: str
    visits_before_leaving: int | None  # drifters only


class PeopleFactory:
    """Makes the people of one shop, each with unique contact details chain-wide."""

    def __init__(
        self,
        shop: Shop,
        rng: random.Random,
        directory: ContactDirectory,
        ids: IdSequence,
        service_codes: tuple[str, ...],
        reference_year: int,
    ) -> None:
        self._shop = shop
        self._rng = rng
        self._directory = directory
        self._ids = ids
        self._service_codes = service_codes
        self._reference_year = reference_year

    def person(self, cadence: Cadence, created: date) -> Person:
        rng = self._rng
        gender = rng.choices(list(Gender), [0.84, 0.14, 0.02])[0]
        female_name = gender is Gender.FEMALE or (gender is Gender.NONBINARY and chance(rng, 0.5))
        first = rng.choice(FEMALE_FIRST_NAMES if female_name else MALE_FIRST_NAMES)
        last = rng.choice(LAST_NAMES)
        low, high, _ = rng.choices(_AGE_BANDS, [band[2] for band in _AGE_BANDS])[0]
        # Most people carry a local number; movers and students keep the one from home.
        area_code = (
            rng.choice(_ALL_AREA_CODES) if chance(rng, 0.08) else rng.choice(self._shop.area_codes)
        )
        return Person(
            person_id=self._ids.person_id(),
            first_name=first,
            last_name=last,
            phone=self._directory.new_phone(rng, area_code),
            email=self._directory.new_email(rng, first, last) if chance(rng, 0.8) else None,
            birth_year=self._reference_year - rng.randint(low, high),
            gender=gender,
            marketing_opt_in=chance(rng, 0.45),
            home_shop_id=self._shop.shop_id,
            cadence=cadence,
            created=created,
        )

    def habits(self, person: Person) -> Habits:
        rng = self._rng
        cadence = person.cadence
        if cadence in (Cadence.REGULAR, Cadence.DRIFTER):
            interval, sigma, counter = rng.uniform(21, 38), 0.12, rng.uniform(0.3, 0.7)
        elif cadence is Cadence.OCCASIONAL:
            interval, sigma, counter = rng.uniform(56, 112), 0.25, 0.0
        else:
            interval, sigma, counter = None, 0.0, 0.0
        loyal = cadence in (Cadence.REGULAR, Cadence.DRIFTER) and chance(rng, 0.7)
        open_weekdays = [i for i, name in enumerate(WEEKDAY_NAMES) if name in self._shop.open_days]
        shop = self._shop
        return Habits(
            interval_days=interval,
            interval_sigma=sigma,
            counter_rebook=counter,
            online_share=rng.choice((0.1, 0.4, 0.7)),
            loyal=loyal,
            preferred_weekday=(
                rng.choices(open_weekdays, [weekday_weight_of(i) for i in open_weekdays])[0]
                if loyal
                else None
            ),
            preferred_minute=(
                rng.randrange(shop.opens_minute, shop.closes_minute - 60, 15) if loyal else None
            ),
            usual_service=self._usual_service(person),
            visits_before_leaving=rng.randint(3, 10) if cadence is Cadence.DRIFTER else None,
        )

    def _usual_service(self, person: Person) -> str:
        age = self._reference_year - person.birth_year
        if age <= 12:
            return "KIDS"
        if age >= 65 and "SENIOR" in self._service_codes and chance(self._rng, 0.7):
            return "SENIOR"
        return self.any_service()

    def any_service(self) -> str:
        """An adult's pick: mostly cuts and fades."""
        weights = {"CUT": 30, "FADE": 30, "CUT-BEARD": 20, "BEARD": 8, "SHAVE": 5, "COLOR": 4}
        codes = [code for code in weights if code in self._service_codes]
        return self._rng.choices(codes, [weights[code] for code in codes])[0]
