"""Data quality: Great Expectations suites on raw tables and marts, run as Dagster asset checks.

Wire `QUALITY_CHECKS` into `orchestration.definitions` (`asset_checks=`); the checks need the
`warehouse` resource that is already there.
"""

from orchestration.defs.quality.checks import QUALITY_CHECKS

__all__ = ["QUALITY_CHECKS"]
