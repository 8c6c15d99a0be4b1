"""The audience rules a campaign can be drawn by, kept apart from their queries so the command
line can list them (and answer for the missing one) without loading the warehouse libraries."""

RULES = ("at_risk", "lapsed_vip", "service_pair")

NO_BIRTHDAY = (
    "There is no birthday-month audience: the sources record a client's birth year, not their "
    "birth date (docs/contracts.md), so nobody's birthday month is known."
)
