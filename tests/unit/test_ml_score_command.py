"""`chairside score` on a real CSV file: a CDNOW export with a few broken rows, scored by the
code that scores the shops, with every bad row named by its CSV line and left out."""

import csv
import datetime as dt
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from chairside.cli.main import main
from ml.clv.score_command import OUTPUT_COLUMNS
from ml.clv.scores import SEGMENTS
from ml.clv.visits_file import VisitsFileError, read_visits
from tests.unit.test_ml_cdnow import cdnow_visits

AS_OF = dt.date(1998, 6, 30)
# (line in the file, row): the header is line 1, so the n-th data row is line n + 1
BROKEN = {
    3: ["00004", "1997-13-01", "29.73"],
    5: ["00018", "1997-02-30", "10.00"],
    8: ["00021", "1997-03-02", "-5.00"],
    13: ["00050", "1998-07-01", "12.00"],
    21: ["00050", "1998-01-01", "twelve"],
}


def write_export(path: Path) -> int:
    """CDNOW as a shop's CSV export, with the broken rows at their lines; returns the rows."""
    visits = cdnow_visits()
    rows = [
        [f"{key:05d}", day.isoformat(), f"{amount:.2f}"]
        for key, day, amount in zip(
            visits["customer_key"], visits["visit_date"], visits["revenue"], strict=True
        )
    ]
    for line in sorted(BROKEN):
        rows.insert(line - 2, BROKEN[line])
    with path.open("w", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(["customer_id", "visit_date", "amount"])
        writer.writerows(rows)
    return len(rows)


def test_bad_rows_are_named_by_line_and_left_out(tmp_path: Path) -> None:
    path = tmp_path / "visits.csv"
    rows = write_export(path)
    read = read_visits(path, AS_OF)
    assert read.rows_read == rows
    assert [(bad.line, bad.field) for bad in read.bad_rows] == [
        (3, "visit_date"),
        (5, "visit_date"),
        (8, "amount"),
        (13, "visit_date"),
        (21, "amount"),
    ]
    assert str(read.bad_rows[2]) == "line 8: amount '-5.00' is negative"
    assert str(read.bad_rows[3]) == "line 13: visit_date '1998-07-01' is after the as-of 1998-06-30"
    assert len(read.visits) == rows - len(BROKEN) == len(cdnow_visits())


def test_a_file_without_a_column_is_refused_naming_it(tmp_path: Path) -> None:
    path = tmp_path / "visits.csv"
    path.write_text("customer_id,date,amount\nc1,2024-01-01,30\n")
    with pytest.raises(VisitsFileError, match="no column 'visit_date'"):
        read_visits(path, AS_OF)
    result = CliRunner().invoke(
        main,
        ["score", "--visits", str(path), "--as-of", "2024-06-30", "--output", str(tmp_path / "o")],
    )
    assert result.exit_code == 1
    assert "no column 'visit_date'" in result.output
    assert not (tmp_path / "o").exists()


def test_score_writes_every_clients_scores(tmp_path: Path) -> None:
    visits, output = tmp_path / "visits.csv", tmp_path / "out" / "scores.csv"
    write_export(visits)
    args = ["score", "--visits", str(visits), "--as-of", AS_OF.isoformat(), "--output", str(output)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert "line 8: amount '-5.00' is negative" in result.output
    assert f"left out {len(BROKEN)} bad rows" in result.output
    assert "churn risk AUC 0.8" in result.output

    scores = pd.read_csv(output, dtype={"customer_id": str})
    assert tuple(scores.columns) == OUTPUT_COLUMNS
    assert scores["customer_id"].is_unique and len(scores) == 2357
    assert scores["customer_id"].str.fullmatch(r"\d{5}").all()
    assert scores["value_at_stake"].is_monotonic_decreasing
    assert set(scores["segment"]) <= set(SEGMENTS)
    for column in ("p_alive", "churn_risk"):
        assert scores[column].between(0, 1).all()
    at_stake = scores["predicted_clv_12m"] * scores["churn_risk"]
    assert (scores["value_at_stake"] - at_stake).abs().max() < 0.01
    # a client whose last visit is more than a year old is Lapsed, not on a call list
    last = cdnow_visits().groupby("customer_key")["visit_date"].max()
    gone = [f"{key:05d}" for key in last[last < AS_OF - dt.timedelta(days=365)].index]
    assert len(gone) > 1000
    assert (scores.set_index("customer_id").loc[gone, "segment"] == "Lapsed").all()
