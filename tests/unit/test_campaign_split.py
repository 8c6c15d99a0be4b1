"""The campaign's control: a seeded 10% of the eligible clients, drawn the same way every time."""

from chairside.presentation.campaigns.split import seed_of, split

KEYS = [f"client-{n:03d}" for n in range(200)]


def test_ten_percent_is_held_back_and_everyone_is_in_exactly_one_arm() -> None:
    drawn = split("water-st:at_risk:2026-09-01", KEYS)
    assert len(drawn.control) == 20 and len(drawn.treated) == 180
    assert set(drawn.control) | set(drawn.treated) == set(KEYS)
    assert not set(drawn.control) & set(drawn.treated)


def test_the_same_campaign_draws_the_same_control_whatever_the_order_of_its_clients() -> None:
    first = split("water-st:at_risk:2026-09-01", KEYS)
    again = split("water-st:at_risk:2026-09-01", list(reversed(KEYS)))
    assert first == again
    assert first.seed == seed_of("water-st:at_risk:2026-09-01") < 2**63


def test_another_campaign_draws_another_control() -> None:
    assert (
        split("water-st:at_risk:2026-09-01", KEYS).control
        != split("water-st:at_risk:2026-09-02", KEYS).control
    )


def test_a_small_audience_still_holds_one_back_and_a_tiny_one_none() -> None:
    assert len(split("c", KEYS[:10]).control) == 1
    assert len(split("c", KEYS[:4]).control) == 0
