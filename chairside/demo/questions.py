"""What people ask the front desk, by the intent a phone system would file the call under."""

from __future__ import annotations

import random

from chairside.demo.model import CallIntent

_QUESTIONS: dict[CallIntent, tuple[str, ...]] = {
    CallIntent.PRICE: (
        "How much for a skin fade?",
        "Price for a cut and beard trim?",
        "Do you have a student price?",
        "How much is a kids cut?",
        "What do you charge for a hot towel shave?",
        "Price for grey blending?",
        "Combien pour une coupe?",
    ),
    CallIntent.HOURS: (
        "Are you open Sunday?",
        "What time do you close on Saturday?",
        "Open on the holiday Monday?",
        "Do you take walk-ins after 5?",
        "Open Boxing Day?",
        "Êtes-vous ouverts samedi?",
    ),
    CallIntent.OTHER: (
        "Do you sell gift cards?",
        "Looking for someone who does curly hair",
        "Can I book a group for a wedding party?",
        "Is there parking nearby?",
        "Do you carry beard oil?",
        "Are you hiring barbers?",
        "Left my scarf there yesterday",
        "Do you do designs / hair tattoos?",
    ),
}
_INTENT_WEIGHTS = {CallIntent.PRICE: 0.35, CallIntent.HOURS: 0.25, CallIntent.OTHER: 0.4}


def ask(rng: random.Random) -> tuple[CallIntent, str]:
    intent = rng.choices(list(_INTENT_WEIGHTS), list(_INTENT_WEIGHTS.values()))[0]
    return intent, rng.choice(_QUESTIONS[intent])
