"""The asset check results of one run, read back from the Dagster instance: what a release's
manifest records, and what a refused build failed."""

from __future__ import annotations

import dagster as dg

from chairside.presentation.release.manifest import CheckResult


def check_results(instance: dg.DagsterInstance, run_id: str) -> list[CheckResult]:
    records = instance.get_records_for_run(
        run_id, of_type=dg.DagsterEventType.ASSET_CHECK_EVALUATION
    ).records
    results = []
    for record in records:
        evaluation = record.event_log_entry.dagster_event.event_specific_data
        results.append(
            CheckResult(
                name=f"{evaluation.asset_key.to_user_string()}/{evaluation.check_name}",
                passed=evaluation.passed,
                severity=evaluation.severity.value,
                description=evaluation.description or "",
            )
        )
    return sorted(results, key=lambda result: result.name)


def failed_steps(instance: dg.DagsterInstance, run_id: str) -> list[str]:
    records = instance.get_records_for_run(run_id, of_type=dg.DagsterEventType.STEP_FAILURE).records
    return sorted({record.event_log_entry.step_key or "" for record in records} - {""})
