"""The apps' shop and date-range filter: whole ISO weeks, half-open, passed as $1..$3."""

import datetime as dt

import duckdb
import pytest

from chairside.presentation.analytics.filters import SHOPS, Filters, in_range, monday


def test_a_range_widens_to_the_weeks_that_contain_its_dates() -> None:
    # Wednesday 2026-11-04 .. Tuesday 2026-11-10: the weeks of Mon 2 Nov and Mon 9 Nov
    filters = Filters.from_inputs(
        ["water-st", "queen-west", "water-st"], dt.date(2026, 11, 4), dt.date(2026, 11, 10)
    )
    assert filters.shop_ids == ("queen-west", "water-st")
    assert (filters.first_week, filters.last_week) == (dt.date(2026, 11, 2), dt.date(2026, 11, 9))
    assert filters.end == dt.date(2026, 11, 16)
    assert filters.weeks == 2
    assert filters.mondays() == [dt.date(2026, 11, 2), dt.date(2026, 11, 9)]


def test_monday_of_a_sunday_is_the_monday_before() -> None:
    assert monday(dt.date(2026, 11, 15)) == dt.date(2026, 11, 9)
    assert monday(dt.date(2026, 11, 9)) == dt.date(2026, 11, 9)


@pytest.mark.parametrize(
    ("shops", "first", "last", "message"),
    [
        ((), dt.date(2026, 11, 2), dt.date(2026, 11, 9), "at least one shop"),
        (("a",), dt.date(2026, 11, 3), dt.date(2026, 11, 9), "Monday"),
        (("a",), dt.date(2026, 11, 9), dt.date(2026, 11, 2), "before it starts"),
    ],
)
def test_filters_refuse_what_no_query_could_answer(shops, first, last, message) -> None:
    with pytest.raises(ValueError, match=message):
        Filters(shops, first, last)


def test_derived_ranges_keep_the_shops() -> None:
    filters = Filters(("a", "b"), dt.date(2026, 1, 5), dt.date(2026, 3, 30))
    assert filters.through(dt.date(2026, 2, 2)) == Filters(
        ("a", "b"), dt.date(2026, 1, 5), dt.date(2026, 2, 2)
    )
    assert filters.ending(dt.date(2026, 3, 30), 3) == Filters(
        ("a", "b"), dt.date(2026, 3, 16), dt.date(2026, 3, 30)
    )


def test_the_sql_fragments_select_the_shops_and_the_half_open_weeks() -> None:
    """The fragments run against DuckDB as every query uses them: $1 shops, $2/$3 the window,
    extra parameters after them."""
    filters = Filters(("a", "c"), dt.date(2026, 11, 2), dt.date(2026, 11, 9))
    with duckdb.connect() as con:
        con.execute(
            "create table t as select * from (values "
            "('a', date '2026-11-01'), ('a', date '2026-11-02'), ('a', date '2026-11-15'), "
            "('a', date '2026-11-16'), ('b', date '2026-11-10'), ('c', date '2026-11-09')"
            ") v(shop_id, day)"
        )
        rows = con.execute(
            f"select shop_id, day, $4 as extra from t where {SHOPS} and {in_range('day')} "
            "order by all",
            filters.params("x"),
        ).fetchall()
    assert rows == [
        ("a", dt.date(2026, 11, 2), "x"),
        ("a", dt.date(2026, 11, 15), "x"),
        ("c", dt.date(2026, 11, 9), "x"),
    ]
