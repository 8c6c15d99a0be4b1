"""The owner snapshots as a Dagster asset: one HTML file per shop and week, mailed to the owner.

A run reports on the shops of its config (the schedule starts one run per shop at that shop's
Monday 06:00). Each shop's file is written before its mail is tried, and one shop's failure does
not stop the others. A send that still fails after its retries does not fail the run, which
would hide the files it wrote: the asset check `every_owner_got_the_snapshot` fails instead and
names the shops and the reasons. A run that fails (the warehouse busy with a long rebuild) is
retried later; a scheduled run holds one shop, so a retry mails nobody twice.
"""

import dataclasses

import dagster as dg
from pydantic import Field

from chairside.core.settings import load_settings
from chairside.presentation.analytics.catalog import NoData, load_catalog
from chairside.presentation.release.readers import current_release
from chairside.presentation.snapshot.deliver import Outcome, deliver
from orchestration.defs.release.assets import RELEASE_KEY
from orchestration.defs.resources import ClockResource, ReleasesResource

OWNER_SNAPSHOTS_KEY = dg.AssetKey(["reports", "owner_snapshots"])
SENT_CHECK = "every_owner_got_the_snapshot"
# the owner release, which holds every mart the snapshot reads (contacts included)
UPSTREAM = [RELEASE_KEY]


class SnapshotConfig(dg.Config):
    shop_ids: list[str] = Field(
        default_factory=list, description="Shops to report on; empty: every shop in dim_shop."
    )
    send_attempts: int = Field(default=3, description="SMTP attempts per owner.")
    retry_wait_seconds: float = Field(
        default=30.0, description="Wait before the second attempt; doubled for each next one."
    )


@dg.asset(
    key=OWNER_SNAPSHOTS_KEY,
    group_name="reports",
    deps=UPSTREAM,
    kinds={"python", "html"},
    retry_policy=dg.RetryPolicy(
        max_retries=3, delay=120, backoff=dg.Backoff.EXPONENTIAL, jitter=dg.Jitter.PLUS_MINUS
    ),
    description="Weekly owner snapshot per shop: last week against the forecast, the next "
    "weeks with intervals, the at-risk clients to call, the top insights. Written to "
    "CHAIRSIDE_REPORTS_DIR and mailed to dim_shop.owner_email when CHAIRSIDE_SMTP_HOST is set.",
    check_specs=[
        dg.AssetCheckSpec(
            SENT_CHECK,
            asset=OWNER_SNAPSHOTS_KEY,
            description="With SMTP set up, every reported shop's owner was mailed.",
        )
    ],
)
def owner_snapshots(
    context: dg.AssetExecutionContext,
    config: SnapshotConfig,
    releases: ReleasesResource,
    clock: ClockResource,
) -> dg.MaterializeResult:
    # one release for the whole run, so every shop's snapshot reads the same numbers
    owner = current_release("owner", releases.settings).path()
    settings = dataclasses.replace(load_settings(), duckdb_path=owner)
    catalog = load_catalog(settings.duckdb_path)
    known = list(catalog.shops["shop_id"])
    shop_ids = config.shop_ids or known
    unknown = sorted(set(shop_ids) - set(known))
    if unknown:
        raise dg.Failure(f"not in marts.dim_shop: {', '.join(unknown)}", allow_retries=False)

    outcomes: list[Outcome] = []
    skipped: dict[str, str] = {}
    for shop_id in shop_ids:
        try:
            outcome = deliver(
                settings,
                catalog,
                shop_id,
                clock.clock,
                attempts=config.send_attempts,
                first_wait=config.retry_wait_seconds,
            )
        except NoData as reason:
            skipped[shop_id] = str(reason)
            context.log.warning(f"no snapshot for {shop_id}: {reason}")
            continue
        outcomes.append(outcome)
        log = context.log.error if outcome.problem else context.log.info
        log(f"{shop_id}: {outcome.path} written; mail {outcome.mailed}: {outcome.detail}")

    problems = {o.shop_id: o.detail for o in outcomes if o.problem}
    return dg.MaterializeResult(
        metadata={
            "files": {o.shop_id: str(o.path) for o in outcomes},
            "mailed": {o.shop_id: str(o.mailed) for o in outcomes},
            "weeks": {o.shop_id: o.week.isoformat() for o in outcomes},
            "skipped": skipped,
        },
        check_results=[
            dg.AssetCheckResult(
                check_name=SENT_CHECK,
                passed=not problems,
                severity=dg.AssetCheckSeverity.ERROR,
                metadata={"not_mailed": problems},
            )
        ],
    )
