"""`chairside score`: score anyone's visit history with the code that scores the shops.

The file goes through the same `run_scoring` as `marts.fct_customer_scores` (holdout check, churn
classifier, value models, segments), so a shop, an analyst or a reviewer can see what the scores
would say about their own clients, and how well the model did on their last 90 days, without a
warehouse. A file has no shops, so a one-visit client's usual interval is the median of all
returning clients'. Imports stay light until the command runs, so `chairside --help` is instant.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    import pandas as pd

    from ml.clv.pipeline import ScoringResult

OUTPUT_COLUMNS = (
    "customer_id",
    "p_alive",
    "churn_risk",
    "expected_visits_90d",
    "predicted_clv_12m",
    "value_at_stake",
    "segment",
)
BAD_ROWS_LISTED = 20


def score_table(result: ScoringResult) -> pd.DataFrame:
    """The scores file: one row per client, the most value at stake first."""
    scores = result.scores.rename_axis("customer_id").reset_index()
    scores = scores.sort_values(["value_at_stake", "customer_id"], ascending=[False, True])
    return scores[list(OUTPUT_COLUMNS)]


@click.command("score")
@click.option(
    "--visits",
    "visits_path",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    required=True,
    help="CSV with columns customer_id, visit_date (YYYY-MM-DD), amount; one row per visit.",
)
@click.option(
    "--as-of",
    type=click.DateTime(["%Y-%m-%d"]),
    required=True,
    help="Score as of the end of this day; needs 180 days of visits before it.",
)
@click.option(
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="CSV to write: " + ", ".join(OUTPUT_COLUMNS) + ".",
)
def score_command(visits_path: Path, as_of: dt.datetime, output: Path) -> None:
    """Score every client of a visit history: p_alive, churn risk (no visit in the next 90
    days), expected visits, 12-month value, value at stake and segment. Rows that cannot be a
    visit before the as-of date are listed by CSV line and left out."""
    import pandas as pd

    from ml.clv.models import ModelNotIdentified
    from ml.clv.pipeline import ScoringSettings, run_scoring
    from ml.clv.visits_file import VisitsFileError, read_visits

    day = as_of.date()
    try:
        read = read_visits(visits_path, day)
    except VisitsFileError as error:
        raise click.ClickException(str(error)) from error
    for bad in read.bad_rows[:BAD_ROWS_LISTED]:
        click.echo(f"{visits_path}: {bad}", err=True)
    if len(read.bad_rows) > BAD_ROWS_LISTED:
        click.echo(f"... and {len(read.bad_rows) - BAD_ROWS_LISTED} more", err=True)
    left_out = len({bad.line for bad in read.bad_rows})
    click.echo(
        f"Read {read.rows_read} rows; left out {left_out} bad rows; "
        f"{len(read.visits)} visits of {read.visits['customer_key'].nunique()} clients."
    )
    try:
        result = run_scoring(read.visits, pd.Series(dtype=object), day, ScoringSettings())
    except (ValueError, ModelNotIdentified) as error:
        raise click.ClickException(str(error)) from error

    table = score_table(result)
    output.parent.mkdir(parents=True, exist_ok=True)
    table.to_csv(output, index=False)
    holdout = result.holdout
    gap = holdout.max_decile_gap * 100
    click.echo(
        f"Checked on what {holdout.clients} clients did in the 90 days to {day}, unseen by "
        f"the models: churn risk AUC {holdout.churn_auc:.3f} "
        f"(overdue ratio {holdout.overdue_ratio_auc:.3f}), deciles within {gap:.1f} points "
        "of what happened."
    )
    for problem in holdout.problems():
        click.echo(f"Warning: {problem}", err=True)
    counts = table["segment"].value_counts()
    segments = ", ".join(f"{name} {count}" for name, count in counts.items())
    click.echo(f"Wrote {len(table)} clients to {output}: {segments}.")
