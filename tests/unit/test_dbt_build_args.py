import datetime as dt

from chairside.core.clock import Clock
from orchestration.defs.dbt.build_args import DbtBuildConfig, dbt_build_args
from orchestration.defs.dbt.built_as_of import NEVER_RECORDED, BuildClock

NOV_2 = dt.date(2026, 11, 2)


def test_an_unpinned_run_on_an_unpinned_warehouse_is_a_plain_incremental_build() -> None:
    assert dbt_build_args(DbtBuildConfig(), Clock(), NEVER_RECORDED) == ["build"]


def test_a_pinned_run_passes_its_date_and_rebuilds_a_warehouse_built_on_another() -> None:
    args = dbt_build_args(DbtBuildConfig(), Clock(NOV_2), NEVER_RECORDED)
    assert args == ["build", "--full-refresh", "--vars", '{"as_of_date": "2026-11-02"}']


def test_a_second_run_on_the_same_pinned_date_stays_incremental() -> None:
    args = dbt_build_args(DbtBuildConfig(), Clock(NOV_2), BuildClock(NOV_2, settled=True))
    assert args == ["build", "--vars", '{"as_of_date": "2026-11-02"}']


def test_the_first_unpinned_run_after_a_pinned_one_rebuilds_from_scratch() -> None:
    args = dbt_build_args(DbtBuildConfig(), Clock(), BuildClock(NOV_2, settled=True))
    assert args == ["build", "--full-refresh"]


def test_a_rebuild_that_died_halfway_is_done_again_from_scratch() -> None:
    args = dbt_build_args(DbtBuildConfig(), Clock(), BuildClock(None, settled=False))
    assert args == ["build", "--full-refresh"]


def test_an_operator_can_ask_for_a_full_refresh() -> None:
    args = dbt_build_args(DbtBuildConfig(full_refresh=True), Clock(), NEVER_RECORDED)
    assert args == ["build", "--full-refresh"]


def test_the_event_build_leaves_unit_tests_to_the_nightly_build() -> None:
    args = dbt_build_args(DbtBuildConfig(unit_tests=False), Clock(), NEVER_RECORDED)
    assert args == ["build", "--exclude-resource-type", "unit_test"]
