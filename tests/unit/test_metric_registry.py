"""The weekly metrics registry names real columns of the mart it defines, and what a rate is."""

from pathlib import Path

import pytest
import yaml

from chairside.metric_registry import DBT_PROJECT_FILE, Kind, RegistryError, weekly_metrics

MART_YML = DBT_PROJECT_FILE.parent / "models/marts/metrics/fct_weekly_shop_metrics.yml"


def mart_columns() -> set[str]:
    (model,) = yaml.safe_load(MART_YML.read_text())["models"]
    return {column["name"] for column in model["columns"]}


def test_every_metric_and_every_part_of_it_is_a_column_of_the_weekly_mart() -> None:
    columns = mart_columns()
    for metric in weekly_metrics().values():
        parts = [metric.name, metric.numerator, metric.denominator, metric.weight, metric.of]
        assert {part for part in parts if part} <= columns, metric.name


def test_rates_are_the_docs_fractions() -> None:
    metrics = weekly_metrics()
    assert (metrics["no_show_rate"].numerator, metrics["no_show_rate"].denominator) == (
        "appointments_no_show",
        "appointments_scheduled",
    )
    assert metrics["new_client_retention_90d"].known_after_days == 90
    assert metrics["revenue_wow_growth"].kind is Kind.GROWTH
    assert metrics["calls_missed"].higher_is_better is False
    assert metrics["calls_after_hours"].higher_is_better is None


def test_a_rate_without_a_denominator_is_refused_by_name(tmp_path: Path) -> None:
    project = tmp_path / "dbt_project.yml"
    project.write_text(
        "vars:\n  weekly_metrics:\n"
        "    odd_rate: {label: Odd, family: Calls, kind: rate, numerator: calls_total}\n"
    )
    with pytest.raises(RegistryError, match="odd_rate"):
        weekly_metrics(project)
