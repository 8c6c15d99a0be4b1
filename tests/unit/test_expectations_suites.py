"""The suites in `expectations/` load as GE 1.x suites, one per checked table, each check on an
asset the code location defines; a broken suite file fails loudly instead of checking less."""

import json
from pathlib import Path

import pytest

from orchestration.definitions import defs
from orchestration.defs.quality import QUALITY_CHECKS
from orchestration.defs.quality.reading import select_sql
from orchestration.defs.quality.suites import SUITES_DIR, SuiteError, load_suite, required_columns
from orchestration.defs.quality.tables import CHECKED_TABLES


@pytest.mark.parametrize("relation", [table.relation for table in CHECKED_TABLES])
def test_each_suite_file_loads_with_every_expectation(relation: str) -> None:
    document = json.loads((SUITES_DIR / f"{relation}.json").read_text())

    suite = load_suite(relation)

    assert suite.name == relation
    assert len(suite.expectations) == len(document["expectations"]) > 0
    assert {e.severity.value for e in suite.expectations} <= {"critical", "warning"}
    assert all(e.notes for e in suite.expectations), "every expectation says why it matters"


def test_every_suite_file_belongs_to_a_checked_table() -> None:
    files = {path.name.removesuffix(".json") for path in SUITES_DIR.glob("*.json")}
    assert files == {table.relation for table in CHECKED_TABLES}


def test_every_check_is_a_blocking_check_on_an_asset_of_the_code_location() -> None:
    asset_keys = defs.resolve_asset_graph().get_all_asset_keys()
    specs = [spec for check in QUALITY_CHECKS for spec in check.check_specs]

    assert {spec.asset_key for spec in specs} == {table.asset_key for table in CHECKED_TABLES}
    assert {spec.asset_key for spec in specs} <= asset_keys
    assert all(spec.blocking for spec in specs)


def write_suite(directory: Path, name: str, expectations: list[dict]) -> None:
    document = {"name": name, "expectations": expectations}
    (directory / f"{name}.json").write_text(json.dumps(document))


NOT_NULL_ID = {"type": "expect_column_values_to_not_be_null", "kwargs": {"column": "id"}}


@pytest.mark.parametrize(
    "broken",
    [
        {"type": "expect_column_values_to_be_uniq", "kwargs": {"column": "id"}},
        {**NOT_NULL_ID, "severity": "fatal"},
        {"type": "expect_column_values_to_be_between", "kwargs": {"column": "id", "mostly": 2}},
    ],
    ids=["misspelt type", "unknown severity", "invalid kwarg"],
)
def test_a_broken_expectation_fails_loading_and_names_itself(tmp_path: Path, broken: dict) -> None:
    write_suite(tmp_path, "marts.t", [NOT_NULL_ID, broken])

    with pytest.raises(SuiteError, match=rf"marts\.t\.json: expectation 2 \({broken['type']}\)"):
        load_suite("marts.t", tmp_path)


def test_a_suite_named_other_than_its_file_fails_loading(tmp_path: Path) -> None:
    write_suite(tmp_path, "marts.t", [NOT_NULL_ID])
    (tmp_path / "marts.t.json").rename(tmp_path / "marts.u.json")

    with pytest.raises(SuiteError, match=r"named 'marts\.t', not 'marts\.u'"):
        load_suite("marts.u", tmp_path)


def test_required_columns_cover_pairs_lists_and_row_conditions(tmp_path: Path) -> None:
    status_is_completed = {
        "type": "comparison",
        "column": {"name": "status"},
        "operator": "==",
        "parameter": "completed",
    }
    tip_is_set = {"type": "nullity", "column": {"name": "tip"}, "is_null": False}
    completed_with_tip = {"type": "and", "conditions": [status_is_completed, tip_is_set]}
    write_suite(
        tmp_path,
        "marts.t",
        [
            NOT_NULL_ID,
            {
                "type": "expect_column_pair_values_a_to_be_greater_than_b",
                "kwargs": {"column_A": "closes_at", "column_B": "opens_at"},
            },
            {
                "type": "expect_compound_columns_to_be_unique",
                "kwargs": {"column_list": ["a", "id"]},
            },
            {
                "type": "expect_column_values_to_not_be_null",
                "kwargs": {
                    "column": "revenue",
                    "row_condition": completed_with_tip,
                },
            },
        ],
    )

    columns = required_columns(load_suite("marts.t", tmp_path))

    assert columns == ["id", "closes_at", "opens_at", "a", "revenue", "status", "tip"]


def test_a_dotted_column_is_read_as_a_field_of_the_json_column() -> None:
    sql = select_sql("raw_kafka.calls", ["event_id", "data.outcome"], {"event_id", "data"})

    assert sql == (
        'select "event_id", "data" ->> \'$.outcome\' as "data.outcome" from "raw_kafka"."calls"'
    )
