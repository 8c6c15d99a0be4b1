"""The simulator's pacer: event n is due n / rate seconds after the start."""

import threading

import pytest

from chairside.demo.simulator.pacing import Pacer


def test_pacer_releases_on_schedule_and_stops_when_asked() -> None:
    # The start, then each look already at its due time: the pacer never has to wait.
    ticks = iter([0.0, 0.0, 0.25, 0.5, 0.75])
    stop = threading.Event()
    pacer = Pacer(rate=4.0, stop=stop, clock=lambda: next(ticks))
    assert [pacer.wait_turn(), pacer.wait_turn(), pacer.wait_turn()] == [True, True, True]
    stop.set()
    assert pacer.wait_turn() is False
    assert pacer.released == 3


def test_pacer_refuses_a_rate_of_zero() -> None:
    with pytest.raises(ValueError, match="above zero"):
        Pacer(rate=0.0, stop=threading.Event())


def test_pacer_waits_for_the_next_slot() -> None:
    stop = threading.Event()
    pacer = Pacer(rate=20.0, stop=stop)
    released = sum(pacer.wait_turn() for _ in range(6))
    # Six events at 20/s: the sixth is due 0.25 s after the start.
    assert released == 6
    assert pacer.elapsed() >= 0.25
