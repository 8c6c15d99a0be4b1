"""CSV downloads cannot carry a formula into the owner's spreadsheet (OWASP CSV injection)."""

import csv
import io

import pandas as pd

from chairside.presentation.analytics.safe_csv import to_csv


def test_text_cells_that_would_start_a_formula_are_quoted() -> None:
    frame = pd.DataFrame(
        {
            "name": ['=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)", "\tTab", "\rCR", "Ann"],
            "phone": ["+17095550101", None, "709 555 0101", "", "x", "y", "z"],
            "value": [-12.5, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0],
        }
    )
    read = list(csv.DictReader(io.StringIO(to_csv(frame).decode(), newline="")))
    assert [row["name"] for row in read] == [
        '\'=HYPERLINK("http://x")',
        "'+1+1",
        "'-2+3",
        "'@SUM(A1)",
        "'\tTab",
        "'\rCR",
        "Ann",
    ]
    assert [row["phone"] for row in read] == [
        "'+17095550101",
        "",
        "709 555 0101",
        "",
        "x",
        "y",
        "z",
    ]
    assert [float(row["value"]) for row in read] == [
        -12.5,
        1.0,
        2.0,
        3.0,
        4.0,
        5.0,
        6.0,
    ]  # numbers stay numbers


def test_the_frame_shown_in_the_app_is_left_as_it_is() -> None:
    frame = pd.DataFrame({"name": ["=1+1"]})
    to_csv(frame)
    assert frame.loc[0, "name"] == "=1+1"
