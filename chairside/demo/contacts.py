"""Phone numbers, emails and names: unique canonical values, and the many ways people type them.

Identity resolution downstream matches on normalised phone and email, so the canonical values
must be unique per person, and every source must write them differently enough to need that
normalisation.
"""

from __future__ import annotations

import random
import unicodedata
from collections.abc import Sequence

# 555 numbers are almost all unassigned in North America, so the demo prints nobody's real
# number; other exchanges are used only once an area code's 555 block gets crowded.
_FICTIONAL_EXCHANGE = "555"
_FICTIONAL_ATTEMPTS = 12

_PHONE_STYLES = (
    "({area}) {exchange}-{line}",
    "{area}-{exchange}-{line}",
    "+1 {area} {exchange} {line}",
    "{area}{exchange}{line}",
    "1-{area}-{exchange}-{line}",
    "{area}.{exchange}.{line}",
    "+1{area}{exchange}{line}",
    "{area} {exchange} {line}",
)

_EMAIL_DOMAINS = (
    "gmail.com",
    "gmail.com",
    "gmail.com",
    "gmail.com",
    "hotmail.com",
    "hotmail.com",
    "outlook.com",
    "yahoo.ca",
    "icloud.com",
    "live.ca",
    "bell.net",
    "rogers.com",
    "eastlink.ca",
    "shaw.ca",
)


class ContactDirectory:
    """Hands out phone numbers and emails nobody else in the chain has."""

    def __init__(self) -> None:
        self._phones: set[str] = set()
        self._emails: set[str] = set()

    def new_phone(self, rng: random.Random, area_code: str) -> str:
        """A valid Canadian number in E.164 that no other person has."""
        attempt = 0
        while True:
            exchange = (
                _FICTIONAL_EXCHANGE if attempt < _FICTIONAL_ATTEMPTS else _random_exchange(rng)
            )
            number = f"+1{area_code}{exchange}{rng.randrange(10_000):04d}"
            if number not in self._phones:
                self._phones.add(number)
                return number
            attempt += 1

    def new_email(self, rng: random.Random, first_name: str, last_name: str) -> str:
        first, last = _ascii_handle(first_name), _ascii_handle(last_name)
        local = rng.choice(
            (
                f"{first}.{last}",
                f"{first}{last}",
                f"{first[0]}{last}",
                f"{first}_{last}",
                f"{first}.{last}{rng.randrange(1, 100)}",
                f"{first}{rng.randrange(70, 100)}",
                f"{last}.{first}",
            )
        )
        domain = rng.choice(_EMAIL_DOMAINS)
        email, suffix = f"{local}@{domain}", 1
        while email in self._emails:
            suffix += 1
            email = f"{local}{suffix}@{domain}"
        self._emails.add(email)
        return email


def _random_exchange(rng: random.Random) -> str:
    """An NXX exchange: first digit 2-9 and not an N11 service code."""
    while True:
        exchange = f"{rng.randrange(2, 10)}{rng.randrange(100):02d}"
        if exchange[1:] != "11":
            return exchange


def _ascii_handle(name: str) -> str:
    """`Zoë Beaulieu-Pelletier` → `zoe`, `beaulieu-pelletier`: how people pick email handles."""
    decomposed = unicodedata.normalize("NFKD", name)
    ascii_only = "".join(c for c in decomposed if not unicodedata.combining(c))
    return "".join(c for c in ascii_only.lower() if c.isalnum() or c == "-")


def write_phone(rng: random.Random, e164: str, styles: Sequence[str] = _PHONE_STYLES) -> str:
    """The same number as a person, a receptionist or a phone system would write it."""
    digits = e164.removeprefix("+1")
    return rng.choice(styles).format(area=digits[:3], exchange=digits[3:6], line=digits[6:])


def write_email(rng: random.Random, email: str) -> str:
    """Mostly as is; sometimes capitalised or with stray whitespace (`Jane.Doe@Gmail.com `)."""
    roll = rng.random()
    if roll < 0.7:
        return email
    local, domain = email.split("@")
    if roll < 0.8:
        return f"{_capitalise_parts(local)}@{domain.capitalize()}"
    if roll < 0.87:
        return email.upper()
    if roll < 0.95:
        return f"{_capitalise_parts(local)}@{domain.capitalize()} "
    return f" {email}"


def _capitalise_parts(local: str) -> str:
    return ".".join(part.capitalize() for part in local.split("."))


def write_name(rng: random.Random, first_name: str, last_name: str) -> str:
    """A full name as typed at a front desk: casing, order and completeness vary."""
    roll = rng.random()
    if roll < 0.6:
        return f"{first_name} {last_name}"
    if roll < 0.68:
        return f"{first_name} {last_name}".lower()
    if roll < 0.76:
        return f"{first_name} {last_name}".upper()
    if roll < 0.86:
        return f"{last_name}, {first_name}"
    if roll < 0.93:
        return f"{first_name} {last_name[0]}."
    return first_name
