"""The snapshot's inline SVG chart: well-formed, self-contained, and drawn where the data says."""

import datetime as dt
import xml.etree.ElementTree as ET

import pytest

from chairside.snapshot.svg import HEIGHT, TOP, Interval, Point, forecast_svg, nice_ticks

SVG = "{http://www.w3.org/2000/svg}"
MONDAYS = [dt.date(2026, 9, 7) + dt.timedelta(weeks=n) for n in range(8)]


@pytest.mark.parametrize(
    ("top", "ticks"),
    [
        (950, [0, 250, 500, 750, 1000]),
        (201.6, [0, 100, 200, 300]),
        (8.4, [0, 2.5, 5, 7.5, 10]),
        (0, [0, 1]),
    ],
)
def test_axis_ticks_are_round_and_cover_the_top(top: float, ticks: list[float]) -> None:
    assert nice_ticks(top) == pytest.approx(ticks)


def chart() -> ET.Element:
    actuals = [Point(week, 100 + 10 * n) for n, week in enumerate(MONDAYS[:5])]
    forecast = [Interval(week, 150, 120, 180) for week in MONDAYS[5:]]
    markup = forecast_svg(actuals, forecast, label="Visits & more", value_format=str)
    return ET.fromstring(markup)


def test_the_chart_is_well_formed_svg_with_no_script_or_link() -> None:
    root = chart()
    assert root.tag == f"{SVG}svg"
    assert root.find(f"{SVG}title").text == "Visits & more"
    tags = {element.tag for element in root.iter()}
    assert f"{SVG}script" not in tags and f"{SVG}image" not in tags
    assert not any("href" in key for element in root.iter() for key in element.attrib)


def test_actuals_are_a_line_with_a_dot_per_week_and_the_forecast_a_band() -> None:
    root = chart()
    dots = root.findall(f"{SVG}circle")
    assert len(dots) == 5
    (band,) = root.findall(f"{SVG}polygon")
    assert len(band.get("points").split()) == 2 * 3  # upper edge out, lower edge back
    lines = root.findall(f"{SVG}polyline")
    assert [line.get("stroke-dasharray") for line in lines] == ["5 3", None]
    # the y axis runs from 0 at the bottom: a larger value sits higher (smaller y)
    heights = [float(dot.get("cy")) for dot in dots]
    assert heights == sorted(heights, reverse=True)
    assert all(TOP <= y <= HEIGHT for y in heights)


def test_nothing_to_draw_is_an_error() -> None:
    with pytest.raises(ValueError, match="nothing to draw"):
        forecast_svg([], [], label="empty", value_format=str)
