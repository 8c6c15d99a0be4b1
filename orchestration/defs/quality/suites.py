"""The expectation suites in `expectations/`: one GE 1.x ExpectationSuite JSON file per table.

Suites are read when a check runs, never at import, so an edited suite applies from the next run
on. Each expectation is built on its own first: `gx.ExpectationSuite(...)` logs and drops one it
cannot build (a misspelt type, an unknown severity), and a suite that silently checks less is
worse than a check that fails to start.

A suite may use `{"$PARAMETER": "current_year"}` as a bound; `suite_parameters` gives its value.
"""

import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import great_expectations as gx
from great_expectations.exceptions import GreatExpectationsError
from great_expectations.expectations import Expectation
from great_expectations.expectations.expectation_configuration import ExpectationConfiguration

from chairside.core.clock import Clock

SUITES_DIR = Path(__file__).resolve().parents[3] / "expectations"

# Keyword arguments of the expectations in use that name one column each.
_COLUMN_KWARGS = ("column", "column_A", "column_B")


class SuiteError(ValueError):
    """A suite file that is not a valid suite; the message names the file and the expectation."""


def load_suite(name: str, directory: Path = SUITES_DIR) -> gx.ExpectationSuite:
    """The suite in `<directory>/<name>.json`; SuiteError if any of its expectations is invalid."""
    path = directory / f"{name}.json"
    document = json.loads(path.read_text())
    if document.get("name") != name:
        raise SuiteError(f"{path.name}: the suite is named {document.get('name')!r}, not {name!r}")
    expectations = [
        _expectation(path, number, config)
        for number, config in enumerate(document.get("expectations", []), start=1)
    ]
    return gx.ExpectationSuite(**{**document, "expectations": expectations})


# The first zone to reach a new day: a bound taken there is never stricter than in any shop.
EARLIEST_ZONE = "Etc/GMT-14"


def suite_parameters(clock: Clock) -> dict[str, object]:
    """The `$PARAMETER` values of a run: the current year bounds plausible birth years."""
    return {"current_year": clock.today(EARLIEST_ZONE).year}


def _expectation(path: Path, number: int, config: Mapping[str, Any]) -> Expectation:
    try:
        return ExpectationConfiguration(**config).to_domain_obj()
    except (GreatExpectationsError, TypeError, ValueError) as error:
        raise SuiteError(
            f"{path.name}: expectation {number} ({config.get('type')}) is not valid: {error}"
        ) from error


def required_columns(suite: gx.ExpectationSuite) -> list[str]:
    """Every column the suite's expectations and their row conditions read, in first-use order,
    so a check reads only those from the warehouse."""
    columns: dict[str, None] = {}
    for expectation in suite.expectations:
        kwargs = expectation.configuration.kwargs
        for name in _COLUMN_KWARGS:
            if kwargs.get(name):
                columns[kwargs[name]] = None
        columns.update(dict.fromkeys(kwargs.get("column_list") or []))
        columns.update(dict.fromkeys(_condition_columns(kwargs.get("row_condition"))))
    return list(columns)


def _condition_columns(condition: object) -> Iterable[str]:
    """Columns of a row condition in its serialised form: `{"column": {"name": ...}}` nested
    under `and` / `or` groups, as an expectation's configuration holds it."""
    if not isinstance(condition, Mapping):
        return
    column = condition.get("column")
    if isinstance(column, Mapping) and "name" in column:
        yield column["name"]
    for part in condition.get("conditions") or []:
        yield from _condition_columns(part)
