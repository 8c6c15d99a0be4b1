"""Every app table offers its rows as a CSV download, and what the browser receives cannot carry
a formula into the owner's spreadsheet (CSV injection, issue #13)."""

import base64
import csv
import io
import json
from html.parser import HTMLParser

import pandas as pd

from chairside.presentation.analytics import ui

HOSTILE = pd.DataFrame(
    {
        "client": ['=HYPERLINK("http://x","click")', "+cmd|' /C calc'!A0", "@SUM(A1)", "Ann"],
        "phone": ["+17095550101", "-1", "709 555 0101", None],
        "revenue": [-12.5, 40.0, 0.0, 1234.5],
    }
)


class Downloads(HTMLParser):
    """The download buttons in an element's HTML, as the frontend reads their attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[dict[str, object]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "marimo-download":
            self.found.append(
                {
                    k[len("data-") :]: json.loads(v or "null")
                    for k, v in attrs
                    if k.startswith("data-")
                }
            )


def offered(html: str) -> list[tuple[str, str, bytes]]:
    """(file name, mime type, bytes) of every download button in `html`."""
    parser = Downloads()
    parser.feed(html)
    files = []
    for button in parser.found:
        header, encoded = str(button["data"]).split(",", 1)
        assert header.startswith("data:") and header.endswith(";base64"), header
        kind = header[len("data:") : -len(";base64")]
        files.append((str(button["filename"]), kind, base64.b64decode(encoded)))
    return files


def test_a_table_offers_its_rows_with_formula_prefixes_neutralised() -> None:
    ((name, kind, content),) = offered(ui.table(HOSTILE, filename="clients-at-risk.csv").text)

    assert (name, kind) == ("clients-at-risk.csv", "text/csv")
    rows = list(csv.DictReader(io.StringIO(content.decode(), newline="")))
    assert list(rows[0]) == ["Client", "Phone", "Revenue"]  # the headings the table shows
    assert [row["Client"] for row in rows] == [
        '\'=HYPERLINK("http://x","click")',
        "'+cmd|' /C calc'!A0",
        "'@SUM(A1)",
        "Ann",
    ]
    assert [row["Phone"] for row in rows] == ["'+17095550101", "'-1", "709 555 0101", ""]
    assert [float(row["Revenue"]) for row in rows] == [-12.5, 40.0, 0.0, 1234.5]


def test_marimos_raw_download_button_is_off() -> None:
    html = ui.table(HOSTILE).text
    assert "data-show-download='false'" in html
    assert [name for name, _, _ in offered(html)] == ["chairside-table.csv"]
