"""Validating a pandas DataFrame against a suite with Great Expectations 1.x.

GE's SQL datasource loses results on DuckDB, so a check validates the table's rows as a pandas
DataFrame: an ephemeral context (in memory, analytics and progress bars off, nothing written or
sent anywhere), a pandas data source, a dataframe asset and a whole-dataframe batch.

The outcome keeps, for each unsuccessful expectation, what a person needs to act on it: the rule,
its severity and why it matters (the suite's notes), how many rows broke it, a few of their
values and the ids of those rows.
"""

import math
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import great_expectations as gx
import numpy as np
import pandas as pd
from great_expectations.core import ExpectationSuiteValidationResult
from great_expectations.core.expectation_validation_result import ExpectationValidationResult
from great_expectations.data_context.types.base import (
    DataContextConfig,
    InMemoryStoreBackendDefaults,
    ProgressBarsConfig,
)
from great_expectations.expectations.metadata_types import FailureSeverity
from great_expectations.expectations.row_conditions import deserialize_row_condition

EXAMPLES = 5  # failing values and row ids shown per expectation
# Keyword arguments that place an expectation (or that GE adds at run time) rather than state
# its rule.
_NOT_RULE_KWARGS = {"column", "column_A", "column_B", "column_list", "row_condition", "batch_id"}


@dataclass(frozen=True)
class Failure:
    """One unsuccessful expectation. Counts are None for expectations about a whole column or
    table (they have an `observed_value` instead); `error` is set when GE could not evaluate it."""

    expectation: str
    columns: tuple[str, ...]
    rule: dict[str, Any]
    row_condition: str | None
    severity: str
    notes: str | list[str] | None
    unexpected_count: int | None
    unexpected_percent: float | None
    observed_value: Any
    examples: list[Any]
    example_rows: list[Any]
    error: str | None

    @property
    def blocking(self) -> bool:
        return self.severity == FailureSeverity.CRITICAL.value

    def summary(self) -> str:
        """`expect_column_values_to_not_be_null(data.outcome) where ...: 6 rows`, one line."""
        where = f" where {self.row_condition}" if self.row_condition else ""
        if self.error:
            found = f"error: {self.error}"
        elif self.unexpected_count is not None:
            found = f"{self.unexpected_count} row{'' if self.unexpected_count == 1 else 's'}"
        else:
            found = f"observed {self.observed_value}"
        return f"{self.expectation}({', '.join(self.columns)}){where}: {found}"

    def as_metadata(self) -> dict[str, Any]:
        return {name: value for name, value in vars(self).items() if value not in (None, [], {})}


@dataclass(frozen=True)
class SuiteOutcome:
    suite: str
    rows: int
    evaluated: int
    failures: tuple[Failure, ...]
    seconds: float

    @property
    def passed(self) -> bool:
        return not self.failures

    @property
    def blocking(self) -> bool:
        """A critical expectation failed: what depends on the table must not run on it."""
        return any(failure.blocking for failure in self.failures)


def validate_frame(
    frame: pd.DataFrame,
    suite: gx.ExpectationSuite,
    *,
    row_id: Sequence[str],
    parameters: Mapping[str, Any],
) -> SuiteOutcome:
    """Validate `frame` against `suite`. `row_id` are the columns that name a failing row;
    `parameters` fill the suite's `$PARAMETER` values."""
    context = gx.get_context(
        mode="ephemeral",
        project_config=DataContextConfig(
            store_backend_defaults=InMemoryStoreBackendDefaults(),
            analytics_enabled=False,
            progress_bars=ProgressBarsConfig(globally=False),
        ),
    )
    batch = (
        context.data_sources.add_pandas("warehouse")
        .add_dataframe_asset(suite.name)
        .add_batch_definition_whole_dataframe("whole table")
        .get_batch(batch_parameters={"dataframe": frame})
    )
    started = time.perf_counter()
    result: ExpectationSuiteValidationResult = batch.validate(
        suite,
        result_format={
            "result_format": "SUMMARY",
            "partial_unexpected_count": EXAMPLES,
            "unexpected_index_column_names": list(row_id),
        },
        expectation_parameters=dict(parameters),
    )
    seconds = time.perf_counter() - started
    return SuiteOutcome(
        suite=suite.name,
        rows=len(frame),
        evaluated=len(result.results),
        failures=tuple(_failure(r, row_id) for r in result.results if not r.success),
        seconds=seconds,
    )


def _failure(result: ExpectationValidationResult, row_id: Sequence[str]) -> Failure:
    config = result.expectation_config
    kwargs = config.kwargs
    details = result.result or {}
    condition = deserialize_row_condition(kwargs.get("row_condition"))
    return Failure(
        expectation=config.type,
        columns=tuple(
            kwargs.get("column_list")
            or [kwargs[name] for name in ("column", "column_A", "column_B") if kwargs.get(name)]
        ),
        rule=_plain({k: v for k, v in kwargs.items() if k not in _NOT_RULE_KWARGS}),
        row_condition=repr(condition) if condition else None,
        severity=FailureSeverity(config.severity).value,
        notes=config.notes,
        unexpected_count=details.get("unexpected_count"),
        unexpected_percent=details.get("unexpected_percent"),
        observed_value=_plain(details.get("observed_value")),
        examples=_examples(details.get("partial_unexpected_list") or []),
        example_rows=_example_rows(details.get("partial_unexpected_index_list") or [], row_id),
        error=_error_message(result.exception_info),
    )


def _examples(values: list[Any]) -> list[Any]:
    """A few failing values; nulls say nothing more than the expectation's name does."""
    return [value for value in _plain(values) if value is not None]


def _example_rows(index_list: list[Any], row_id: Sequence[str]) -> list[Any]:
    """The ids of a few failing rows: `{"event_id": ...}` (GE lists the checked column too)."""
    return _plain(
        [{name: value for name, value in entry.items() if name in row_id} for entry in index_list]
    )


def _error_message(info: Mapping[str, Any] | None) -> str | None:
    """GE reports an exception either flat or per metric it could not compute."""
    if not info:
        return None
    if info.get("raised_exception"):
        return info.get("exception_message")
    messages = {
        value["exception_message"]
        for value in info.values()
        if isinstance(value, Mapping) and value.get("raised_exception")
    }
    return "; ".join(sorted(messages)) or None


def _plain(value: Any) -> Any:
    """A JSON-safe copy of a GE result value: NaN, NaT and NA as None, exotic values as text."""
    if isinstance(value, Mapping):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if isinstance(value, np.generic):
        value = value.item()
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return None if math.isnan(value) else value if math.isfinite(value) else str(value)
    if value is pd.NA or value is pd.NaT:
        return None
    return str(value)
