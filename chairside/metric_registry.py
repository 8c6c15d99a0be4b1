"""The weekly metrics registry: each metric of docs/metrics.md defined once, for SQL and Python.

The registry is the `weekly_metrics` var of `dbt_project/dbt_project.yml`. dbt computes each rate
and growth of `fct_weekly_shop_metrics` from it (`macros/weekly_metric.sql`); the apps, the owner
snapshot and the insight rules read the same entries here, so a rate's numerator and denominator,
its label and whether a rise is good news cannot drift apart between the warehouse and a page.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import Any

import yaml

DBT_PROJECT_FILE = Path(__file__).resolve().parents[1] / "dbt_project" / "dbt_project.yml"


class Kind(StrEnum):
    COUNT = "count"  # adds up over shops and weeks
    MONEY = "money"  # adds up over shops and weeks
    RATE = "rate"  # numerator / denominator, NULL on a zero denominator
    MEAN = "mean"  # computed from its parts by the query that reads it
    GROWTH = "growth"  # change on the previous complete week of `of`


@dataclass(frozen=True)
class MetricDefinition:
    name: str  # the docs/metrics.md name, a column of fct_weekly_shop_metrics
    label: str
    family: str
    kind: Kind
    unit: str  # count, rate, money, seconds or days: how a value is shown
    numerator: str | None = None  # rates: the mart columns they divide
    denominator: str | None = None
    weight: str | None = None  # means kept per week: the column that weighs each week's mean
    of: str | None = None  # growths: the metric that grows
    known_after_days: int | None = None  # rates NULL until this long after the week's last day
    higher_is_better: bool | None = True  # None: neither direction is good news by itself


class RegistryError(ValueError):
    """An entry of the registry that cannot be read; the message names the metric and field."""


def _unit(kind: Kind, entry: dict[str, Any]) -> str:
    if "unit" in entry:
        return str(entry["unit"])
    return {Kind.COUNT: "count", Kind.MONEY: "money"}.get(kind, "rate")


def _definition(name: str, entry: dict[str, Any]) -> MetricDefinition:
    try:
        kind = Kind(entry["kind"])
        definition = MetricDefinition(
            name=name,
            label=entry["label"],
            family=entry["family"],
            kind=kind,
            unit=_unit(kind, entry),
            numerator=entry.get("numerator"),
            denominator=entry.get("denominator"),
            weight=entry.get("weight"),
            of=entry.get("of"),
            known_after_days=entry.get("known_after_days"),
            higher_is_better=entry.get("higher_is_better", True),
        )
    except (KeyError, ValueError) as error:
        raise RegistryError(f"{DBT_PROJECT_FILE.name}: weekly_metrics.{name}: {error!r}") from error
    if kind is Kind.RATE and not (definition.numerator and definition.denominator):
        raise RegistryError(f"weekly_metrics.{name}: a rate needs a numerator and a denominator")
    if kind is Kind.GROWTH and not definition.of:
        raise RegistryError(f"weekly_metrics.{name}: a growth needs `of`")
    return definition


@cache
def weekly_metrics(path: Path = DBT_PROJECT_FILE) -> dict[str, MetricDefinition]:
    """Every weekly metric by name, in the registry's (docs/metrics.md's) order."""
    entries = yaml.safe_load(path.read_text())["vars"]["weekly_metrics"]
    return {name: _definition(name, entry) for name, entry in entries.items()}


def weekly_metric(name: str) -> MetricDefinition:
    try:
        return weekly_metrics()[name]
    except KeyError:
        raise RegistryError(f"no weekly metric {name!r} in {DBT_PROJECT_FILE}") from None
