from orchestration.defs.dbt.build_args import DbtBuildConfig, dbt_build_args


def test_default_run_is_a_plain_build() -> None:
    assert dbt_build_args(DbtBuildConfig()) == ["build"]


def test_full_refresh_and_as_of_date_become_dbt_flags() -> None:
    args = dbt_build_args(DbtBuildConfig(full_refresh=True, as_of_date="2026-03-30"))
    assert args == ["build", "--full-refresh", "--vars", '{"as_of_date": "2026-03-30"}']
