"""One shop's history, simulated as a queue of timed actions in shop-local time.

Every action (a client booking, a cancellation, a checkout, a question) runs at its moment and
sees the appointment book as it is then. That ordering is what keeps the data honest: a
booking made at the counter really precedes the visit it is for, a cancelled slot can be
taken by someone who books after the cancellation, and the phone goes unanswered when the
barbers are busy at that very minute. Each client has at most one pending action at a time.
"""

from __future__ import annotations

import heapq
import itertools
from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime, time, timedelta
from functools import partial

from chairside.demo.agenda import Agenda
from chairside.demo.campaigns import (
    BOOK_WITHIN_DAYS,
    RULE,
    TRUE_LIFT,
    campaign_days,
    played_id,
)
from chairside.demo.catalogue import PriceBook
from chairside.demo.clients import Client
from chairside.demo.config import DemoConfig
from chairside.demo.contacts import ContactDirectory
from chairside.demo.demand import (
    ONLINE_HOURS,
    PHONE_HOURS,
    SeasonalClock,
    choose_hour,
    growth,
    season,
    weekday_weight_of,
)
from chairside.demo.front_desk import FrontDesk
from chairside.demo.ids import IdSequence
from chairside.demo.ledger import Ledger
from chairside.demo.lifecycle import FateKind, checkout, plan_fate
from chairside.demo.model import (
    Appointment,
    Cadence,
    CallIntent,
    CallOutcome,
    Cancellation,
    Channel,
    Completion,
    Person,
    PlayedCampaign,
    Reschedule,
    Shop,
    ShopHistory,
    StaffMember,
)
from chairside.demo.phone_desk import record_call, ring
from chairside.demo.population import ARRIVAL_MIX, PeopleFactory
from chairside.demo.profiles import ProfileDesk
from chairside.demo.randomness import chance, poisson, rng_for
from chairside.demo.slots import find_advance_slot, find_walk_in_slot
from chairside.presentation.campaigns.split import split

Progress = Callable[[str], None]

# Demand is sized from capacity, so a shop of any size is busy but not full: Saturdays and
# Decembers fill up and lose demand, early weeks have room.
_TARGET_UTILIZATION = 0.7
_AVERAGE_SERVICE_MIN = 40
_EXISTING_CLIENTS = {  # clients per daily visit of capacity: visit share x mean interval
    Cadence.REGULAR: 0.6 * 29,
    Cadence.OCCASIONAL: 0.12 * 84,
    Cadence.DRIFTER: 0.12 * 29,
}
_LAPSED_SHARE = 0.2  # of the old POS's list: clients who never came back
_NEW_CLIENTS_PER_VISIT = 0.05  # newcomers a day per daily visit of capacity
_QUESTIONS_PER_VISIT = 0.07
_ROBOCALLS_PER_DAY = 0.25
_ASK_FIRST_SHARE = 0.25  # newcomers who ask a question before booking
_WALK_IN_SHARE_OF_NEWCOMERS = 0.3
_CALL_WHEN_OPEN_SHARE = 0.8  # callers who know the hours and wait for the shop to open
_LEADS = {  # days between booking ahead and the visit
    Cadence.REGULAR: (0, 1, 1, 2, 2, 3, 4, 5, 7, 10),
    Cadence.DRIFTER: (0, 1, 1, 2, 2, 3, 4, 5, 7, 10),
    Cadence.OCCASIONAL: (0, 1, 2, 3, 5, 7, 10, 14),
    Cadence.ONE_TIMER: (0, 0, 1, 1, 2, 3, 5, 7),
}
_MISSED_CALL_RETRIES = 3
_LOST_DEMAND_RETRIES = 2


class ShopSimulation:
    def __init__(
        self,
        shop: Shop,
        roster: tuple[StaffMember, ...],
        prices: PriceBook,
        config: DemoConfig,
        directory: ContactDirectory,
        ids: IdSequence,
    ) -> None:
        self._shop = shop
        self._roster = roster
        self._prices = prices
        self._config = config
        self._ids = ids
        self._rng = rng_for(config.seed, "simulation", shop.shop_id)
        self._ledger = Ledger()
        self._agenda = Agenda(shop, roster)
        self._factory = PeopleFactory(
            shop, self._rng, directory, ids, prices.codes(shop.shop_id), config.end_date.year
        )
        self._profiles = ProfileDesk(shop.shop_id, self._rng, ids, directory, self._ledger.profiles)
        self._desk = FrontDesk(
            shop,
            self._rng,
            self._agenda,
            self._factory,
            directory,
            self._ledger,
            config.crm_start,
        )
        # Intervals reach at most a few months past the end; two spare years is plenty.
        self._clock = SeasonalClock(config.start_date, config.period_days + 730)
        self._queue: list[tuple[datetime, int, Callable[[], None]]] = []
        self._order = itertools.count()  # breaks ties between actions at the same moment
        self._now = shop.at(config.start_date, 0)
        self._end = shop.at(config.end_date + timedelta(days=1), 0)
        self._client_of: dict[str, Client] = {}  # appointment id -> client
        self._revision: dict[str, int] = {}  # bumps when a pending checkout becomes stale
        self._clients: list[Client] = []  # everyone who ever booked or came in, for campaigns

    def run(self, progress: Progress | None = None) -> ShopHistory:
        """Everything up to midnight after the end date; later actions never happen, so
        bookings for after the end stay booked."""
        self._seed_existing_clients()
        self._schedule_daily_arrivals()
        for day in campaign_days(self._config.start_date, self._config.end_date):
            self._push(self._shop.at(day, 6 * 60), partial(self._campaign, day))
        quarter: tuple[int, int] | None = None
        while self._queue and self._queue[0][0] < self._end:
            self._now, _, action = heapq.heappop(self._queue)
            current = (self._now.year, (self._now.month - 1) // 3 + 1)
            if progress and current != quarter:
                progress(f"{self._shop.shop_id}: simulating {current[0]} Q{current[1]}")
            quarter = current
            action()
        return self._ledger.history(self._shop)

    # -- who comes ----------------------------------------------------------------------

    def _push(self, at: datetime, action: Callable[[], None]) -> None:
        heapq.heappush(self._queue, (at, next(self._order), action))

    def _visits_per_day(self) -> float:
        """Visits a calendar day the shop takes at the target utilization."""
        staff = sum(1 for member in self._roster if member.end_date is None)
        day_minutes = self._shop.closes_minute - self._shop.opens_minute
        per_open_day = staff * day_minutes / _AVERAGE_SERVICE_MIN
        return _TARGET_UTILIZATION * per_open_day * len(self._shop.open_days) / 7

    def _seed_existing_clients(self) -> None:
        """The old POS's clients: each is due back within one interval of the go-live. Those
        who had already booked in the old system are imported on the morning of the go-live,
        so the first weeks are as busy as any other."""
        rng, start = self._rng, self._config.start_date
        import_at, go_live = self._shop.at(start, 6 * 60), self._shop.at(start, 7 * 60)
        visits = self._visits_per_day()
        for cadence, clients_per_visit in _EXISTING_CLIENTS.items():
            for _ in range(round(visits * clients_per_visit)):
                client = self._new_client(cadence, start - timedelta(days=rng.randint(30, 2500)))
                interval = client.habits.interval_days or 0.0
                due = start + timedelta(days=rng.uniform(0, interval))
                lead = rng.choice(_LEADS[cadence])
                if chance(rng, client.habits.counter_rebook) or due - timedelta(days=lead) < start:
                    import_at += timedelta(seconds=rng.randint(1, 5))
                    self._push(import_at, partial(self._import_booking, client, due))
                else:
                    self._plan_booking(client, go_live, due)
        existing = len(self._ledger.people)
        for _ in range(round(existing * _LAPSED_SHARE / (1 - _LAPSED_SHARE))):
            created = start - timedelta(days=rng.randint(200, 2500))
            self._ledger.people.append(self._factory.person(Cadence.LAPSED, created))

    def _schedule_daily_arrivals(self) -> None:
        """Newcomers, questions and robocalls: Poisson a day, shaped by season and growth."""
        rng, start = self._rng, self._config.start_date
        visits = self._visits_per_day()
        for offset in range(self._config.period_days):
            day = start + timedelta(days=offset)
            newcomers = visits * _NEW_CLIENTS_PER_VISIT * season(day) * growth(day, start)
            questions = (
                visits * _QUESTIONS_PER_VISIT * season(day) * weekday_weight_of(day.weekday())
            )
            for _ in range(poisson(rng, newcomers)):
                self._push(self._shop.at(day, 6 * 60), self._arrive)
            for _ in range(poisson(rng, questions)):
                self._push(self._moment(day, PHONE_HOURS), partial(self._question, None))
            for _ in range(poisson(rng, _ROBOCALLS_PER_DAY)):
                self._push(self._moment(day, PHONE_HOURS), self._robocall)

    def _moment(self, day: date, hours: dict[int, int]) -> datetime:
        rng = self._rng
        clock = time(choose_hour(rng, hours), rng.randrange(60), rng.randrange(60))
        return datetime.combine(day, clock, tzinfo=self._shop.zone)

    def _new_client(self, cadence: Cadence, created: date) -> Client:
        person = self._factory.person(cadence, created)
        self._ledger.people.append(person)
        client = Client(person, self._factory.habits(person))
        self._clients.append(client)
        return client

    def _campaign(self, day: date) -> None:
        """A win-back of the clients who stopped coming (chairside/demo/campaigns.py), opted in,
        split by the product's own draw; each contacted one books online with probability
        TRUE_LIFT, the control is left alone."""
        lapsed = {
            client.profile.customer_id: client
            for client in self._clients
            if client.visits
            and not client.returns
            and client.profile is not None
            and client.person.marketing_opt_in
        }
        key = played_id(self._shop.shop_id, day)
        drawn = split(key, lapsed)
        rng = rng_for(self._config.seed, "campaign", key)
        for customer_id in drawn.treated:
            if chance(rng, TRUE_LIFT):
                desired = day + timedelta(days=rng.randint(1, BOOK_WITHIN_DAYS))
                self._plan_booking(lapsed[customer_id], self._now, desired, Channel.ONLINE)
        self._ledger.campaigns.append(
            PlayedCampaign(
                key,
                self._shop.shop_id,
                RULE,
                day,
                drawn.seed,
                drawn.treated,
                drawn.control,
                TRUE_LIFT,
            )
        )

    def _arrive(self) -> None:
        """A newcomer: some ask a question first, some walk in, the rest book ahead."""
        rng, today, after = self._rng, self._now.date(), self._now
        cadence = rng.choices(list(ARRIVAL_MIX), list(ARRIVAL_MIX.values()))[0]
        client = self._new_client(cadence, today)
        if chance(rng, _ASK_FIRST_SHARE):
            after = self._moment(today, PHONE_HOURS)
            self._push(after, partial(self._question, client.person))
            today += timedelta(days=rng.randint(1, 10))
        if chance(rng, _WALK_IN_SHARE_OF_NEWCOMERS):
            self._plan_walk_in(client, today + timedelta(days=rng.randint(0, 6)))
        else:
            self._plan_booking(client, after, today + timedelta(days=rng.choice(_LEADS[cadence])))

    def _question(self, asker: Person | None) -> None:
        self._desk.question(self._now, asker, self._profiles.known)

    def _robocall(self) -> None:
        self._desk.robocall(self._now)

    # -- when they book -----------------------------------------------------------------

    def _plan_booking(
        self,
        client: Client,
        after: datetime,
        desired: date,
        channel: Channel | None = None,
        attempt: int = 0,
    ) -> None:
        """Book ahead for `desired`, by phone or online, a few lead days before it."""
        rng = self._rng
        if channel is None:
            channel = Channel.ONLINE if chance(rng, client.habits.online_share) else Channel.PHONE
        longest_lead = max((desired - after.date()).days, 0)
        lead = min(rng.choice(_LEADS[client.person.cadence]), longest_lead)
        hours = ONLINE_HOURS if channel is Channel.ONLINE else PHONE_HOURS
        at = self._moment(desired - timedelta(days=lead), hours)
        if at <= after:
            at = after + timedelta(minutes=rng.randint(10, 120), seconds=rng.randrange(60))
        if (
            channel is Channel.PHONE
            and not self._shop.is_open_at(at)
            and chance(rng, _CALL_WHEN_OPEN_SHARE)
        ):
            at = self._next_opening(at) + timedelta(minutes=rng.randint(0, 180))
        self._push(at, partial(self._book, client, max(desired, at.date()), channel, attempt))

    def _plan_walk_in(self, client: Client, day: date) -> None:
        """Come in on the first open day from `day`, some time the door is open."""
        shop = self._shop
        while True:
            if shop.is_open_on(day):
                minute = self._rng.randrange(shop.opens_minute, shop.closes_minute - 45)
                at = shop.at(day, minute) + timedelta(seconds=self._rng.randrange(60))
                if at > self._now:
                    self._push(at, partial(self._walk_in, client))
                    return
            day += timedelta(days=1)

    def _plan_return(self, client: Client, after: datetime, last_day: date) -> None:
        if client.returns:
            self._plan_booking(client, after, self._next_visit_day(client, last_day))

    def _next_visit_day(self, client: Client, last_day: date) -> date:
        """One interval on in seasonal time, with the person's own jitter."""
        interval = client.habits.interval_days or 0.0
        interval *= self._rng.lognormvariate(0, client.habits.interval_sigma)
        return max(self._clock.after(last_day, interval), last_day + timedelta(days=7))

    def _next_opening(self, after: datetime) -> datetime:
        shop, day = self._shop, after.date()
        while not shop.is_open_on(day) or shop.at(day, shop.opens_minute) <= after:
            day += timedelta(days=1)
        return shop.at(day, shop.opens_minute) + timedelta(seconds=self._rng.randrange(60))

    # -- booking ------------------------------------------------------------------------

    def _book(self, client: Client, desired: date, channel: Channel, attempt: int) -> None:
        """A booking made now for a day ahead: by phone, online, or at the counter (walk_in)."""
        rng, now, person = self._rng, self._now, client.person
        if channel is Channel.PHONE:
            outcome = ring(rng, self._shop, now, self._agenda.busy_share(now))
            if outcome is not CallOutcome.ANSWERED:
                self._ledger.calls.append(
                    record_call(
                        rng, self._shop, person, person.phone, now, outcome, CallIntent.BOOK
                    )
                )
                self._after_missed_call(client, desired, attempt)
                return
        service = self._service_for(client)
        duration = self._duration(service, desired)
        slot = find_advance_slot(rng, self._shop, self._agenda, client, desired, duration, now)
        appointment_id = self._ids.appointment_id() if slot else None
        booked_at, call_id = now, None
        if channel is Channel.PHONE:
            call = record_call(
                rng,
                self._shop,
                person,
                person.phone,
                now,
                CallOutcome.ANSWERED,
                CallIntent.BOOK,
                appointment_id,
            )
            self._ledger.calls.append(call)
            booked_at = now + timedelta(seconds=call.duration_sec - rng.randint(5, 20))
            call_id = call.call_id if appointment_id else None
        if slot is None or appointment_id is None:
            self._lost(client, desired, channel, attempt)
            return
        day, staff_id, minute = slot
        start = self._shop.at(day, minute)
        self._create(client, appointment_id, channel, call_id, booked_at, service, staff_id, start)

    def _import_booking(self, client: Client, desired: date) -> None:
        """A booking carried over from the old system: no call behind it, booked at the import."""
        channel = Channel.ONLINE if chance(self._rng, client.habits.online_share) else Channel.PHONE
        service = self._service_for(client)
        duration = self._duration(service, desired)
        now = self._now
        slot = find_advance_slot(
            self._rng, self._shop, self._agenda, client, desired, duration, now
        )
        if slot is None:
            self._lost(client, desired, channel, attempt=0)
            return
        day, staff_id, minute = slot
        start = self._shop.at(day, minute)
        appointment_id = self._ids.appointment_id()
        self._create(client, appointment_id, channel, None, now, service, staff_id, start)

    def _walk_in(self, client: Client) -> None:
        """In through the door: served within the wait they accept by whoever is free, or gone."""
        now = self._now
        service = self._service_for(client)
        slot = find_walk_in_slot(
            self._rng, self._agenda, client, self._duration(service, now.date()), now
        )
        if slot is None:
            self._lost(client, now.date(), Channel.WALK_IN, attempt=1)
            return
        staff_id, minute = slot
        start = self._shop.at(now.date(), minute)
        appointment_id = self._ids.appointment_id()
        self._create(client, appointment_id, Channel.WALK_IN, None, now, service, staff_id, start)

    def _after_missed_call(self, client: Client, desired: date, attempt: int) -> None:
        """Call back later, go online instead, or give up on this visit."""
        rng, now = self._rng, self._now
        roll = rng.random()
        if roll < 0.55 and attempt < _MISSED_CALL_RETRIES:
            at = now + timedelta(minutes=rng.randint(15, 120))
            if not self._shop.is_open_at(at):
                at = self._next_opening(now) + timedelta(minutes=rng.randint(0, 120))
            retry = partial(self._book, client, max(desired, at.date()), Channel.PHONE, attempt + 1)
            self._push(at, retry)
        elif roll < 0.85:
            at = now + timedelta(minutes=rng.randint(2, 30))
            self._push(at, partial(self._book, client, max(desired, at.date()), Channel.ONLINE, 0))
        else:
            self._lost(client, desired, Channel.PHONE, attempt=_LOST_DEMAND_RETRIES)

    def _lost(self, client: Client, desired: date, channel: Channel, attempt: int) -> None:
        """Demand the shop could not take: try a few days later, or wait for the next visit."""
        rng = self._rng
        if attempt < _LOST_DEMAND_RETRIES and chance(rng, 0.7):
            later = desired + timedelta(days=rng.randint(2, 7))
            retry_channel = None if channel is Channel.WALK_IN else channel
            self._plan_booking(client, self._now, later, retry_channel, attempt + 1)
        elif client.visits:
            self._plan_return(client, self._now, desired)

    def _service_for(self, client: Client) -> str:
        if chance(self._rng, 0.85):
            return client.habits.usual_service
        return self._factory.any_service()

    def _duration(self, service: str, day: date) -> int:
        return self._prices.in_force(self._shop.shop_id, service, day).duration_min

    def _create(
        self,
        client: Client,
        appointment_id: str,
        channel: Channel,
        call_id: str | None,
        booked_at: datetime,
        service: str,
        staff_id: str,
        start: datetime,
    ) -> None:
        listing = self._prices.in_force(self._shop.shop_id, service, start.date())
        appointment = Appointment(
            appointment_id=appointment_id,
            shop_id=self._shop.shop_id,
            customer_id=self._profiles.customer_id_for(client, channel, booked_at),
            person_id=client.person.person_id,
            service_code=service,
            duration_min=listing.duration_min,
            quoted_price=listing.price,
            channel=channel,
            call_id=call_id,
            booked_at=booked_at,
            staff_id=staff_id,
            scheduled_start=start,
        )
        self._ledger.appointments[appointment_id] = appointment
        self._client_of[appointment_id] = client
        self._revision[appointment_id] = 0
        self._reserve(appointment)
        fate = plan_fate(self._rng, booked_at, start)
        if fate.kind is FateKind.RESCHEDULE and fate.at:
            self._push(fate.at, partial(self._reschedule, appointment_id))
        elif fate.kind is FateKind.CANCEL and fate.at and fate.by:
            self._push(fate.at, partial(self._cancel, appointment_id, fate.by, fate.reason))
        self._schedule_checkout(appointment)

    def _reserve(self, appointment: Appointment) -> None:
        start = appointment.scheduled_start
        minute = start.hour * 60 + start.minute
        self._agenda.reserve(appointment.staff_id, start.date(), minute, appointment.duration_min)

    def _release(self, appointment: Appointment) -> None:
        start = appointment.scheduled_start
        minute = start.hour * 60 + start.minute
        self._agenda.release(appointment.staff_id, start.date(), minute, appointment.duration_min)

    def _schedule_checkout(self, appointment: Appointment) -> None:
        running_over = self._rng.randint(0, 6)
        end = appointment.scheduled_start + timedelta(
            minutes=appointment.duration_min + running_over
        )
        revision = self._revision[appointment.appointment_id]
        self._push(end, partial(self._check_out, appointment.appointment_id, revision))

    # -- what becomes of a booking ------------------------------------------------------

    def _reschedule(self, appointment_id: str) -> None:
        rng, now = self._rng, self._now
        appointment = self._ledger.appointments[appointment_id]
        client = self._client_of[appointment_id]
        self._release(appointment)
        old_day = appointment.scheduled_start.date()
        desired = max(
            old_day + timedelta(days=rng.choice((-2, -1, 1, 2, 3, 4, 5, 7))),
            now.date() + timedelta(days=1),
        )
        slot = find_advance_slot(
            rng, self._shop, self._agenda, client, desired, appointment.duration_min, now, old_day
        )
        if slot is None:
            self._reserve(appointment)  # nothing on offer: the appointment stays
            return
        day, staff_id, minute = slot
        at = self._customer_contact(client, CallIntent.RESCHEDULE)
        moved = replace(
            appointment,
            staff_id=staff_id,
            scheduled_start=self._shop.at(day, minute),
            reschedule=Reschedule(at, appointment.scheduled_start, appointment.staff_id),
        )
        self._ledger.appointments[appointment_id] = moved
        self._reserve(moved)
        self._revision[appointment_id] += 1
        self._schedule_checkout(moved)

    def _cancel(self, appointment_id: str, by: str, reason: str | None) -> None:
        rng = self._rng
        appointment = self._ledger.appointments[appointment_id]
        client = self._client_of[appointment_id]
        self._release(appointment)
        at = self._customer_contact(client, CallIntent.CANCEL) if by == "customer" else self._now
        self._ledger.appointments[appointment_id] = replace(
            appointment, cancellation=Cancellation(at, by, reason)
        )
        self._revision[appointment_id] += 1
        old_day = appointment.scheduled_start.date()
        if by == "shop" or chance(rng, 0.5):
            self._plan_booking(client, at, old_day + timedelta(days=rng.randint(2, 10)))
        else:
            self._plan_return(client, at, old_day)

    def _customer_contact(self, client: Client, intent: CallIntent) -> datetime:
        """When a customer's change reaches the system: by phone when the shop is open (about
        half the time), otherwise online at once."""
        if not (self._shop.is_open_at(self._now) and chance(self._rng, 0.5)):
            return self._now
        person = client.person
        call = record_call(
            self._rng, self._shop, person, person.phone, self._now, CallOutcome.ANSWERED, intent
        )
        self._ledger.calls.append(call)
        return self._now + timedelta(seconds=max(call.duration_sec - 10, 0))

    def _check_out(self, appointment_id: str, revision: int) -> None:
        """The end of the slot: a visit paid for, or a no-show."""
        if self._revision[appointment_id] != revision:
            return
        rng, now = self._rng, self._now
        appointment = self._ledger.appointments[appointment_id]
        client = self._client_of[appointment_id]
        start = appointment.scheduled_start
        if chance(rng, 0.035 if client.visits else 0.09):  # strangers stand you up more
            self._no_show(appointment, client)
            return
        listing = self._prices.in_force(self._shop.shop_id, appointment.service_code, start.date())
        is_first_visit = client.visits == 0 and client.person.created >= self._config.start_date
        paid = checkout(rng, listing.price, is_first_visit)
        completion = Completion(
            now,
            listing.price,
            paid.discount_pct,
            paid.service_revenue,
            paid.product_revenue,
            paid.tip,
            paid.payment_method,
        )
        self._ledger.appointments[appointment_id] = replace(appointment, completion=completion)
        client.visits += 1
        if client.habits.loyal and not self._works_on(client.preferred_staff, start.date()):
            client.preferred_staff = appointment.staff_id  # a first barber, or a new one
        self._profiles.maybe_edit(client, now + timedelta(seconds=rng.randint(20, 90)))
        if not client.returns:
            return
        desired = self._next_visit_day(client, start.date())
        if chance(rng, client.habits.counter_rebook):
            at = now + timedelta(minutes=rng.randint(1, 4), seconds=rng.randrange(60))
            self._push(at, partial(self._book, client, desired, Channel.WALK_IN, 0))
        else:
            self._plan_booking(client, now, desired)

    def _no_show(self, appointment: Appointment, client: Client) -> None:
        rng, start = self._rng, appointment.scheduled_start
        no_show_at = start + timedelta(minutes=rng.randint(15, 30), seconds=rng.randrange(60))
        self._ledger.appointments[appointment.appointment_id] = replace(
            appointment, no_show_at=no_show_at
        )
        after = max(self._now, no_show_at)
        if (client.visits == 0 or client.returns) and chance(rng, 0.55):
            self._plan_booking(client, after, after.date() + timedelta(days=rng.randint(2, 10)))
        else:
            self._plan_return(client, after, start.date())

    def _works_on(self, staff_id: str | None, day: date) -> bool:
        return any(member.staff_id == staff_id and member.works_on(day) for member in self._roster)


def simulate_shop(
    shop: Shop,
    roster: tuple[StaffMember, ...],
    prices: PriceBook,
    config: DemoConfig,
    directory: ContactDirectory,
    ids: IdSequence,
    progress: Progress | None = None,
) -> ShopHistory:
    return ShopSimulation(shop, roster, prices, config, directory, ids).run(progress)
