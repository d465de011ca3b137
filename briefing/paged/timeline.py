"""A country's activities on a time line, as an SVG drawing.

One mark per activity, placed by date along a line with a tick per year; an
activity of several days is a bar from its first to its last day. Marks that
would overlap move to a lane above, and each carries the activity's number in
the pack. The drawing is built with ElementTree, so every text is escaped.
"""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from .. import style

SVG_NS = "http://www.w3.org/2000/svg"
WIDTH = 1000
MARGIN = 30
LANE_HEIGHT = 26
MARK_RADIUS = 6
AXIS_SPACE = 34


@dataclass(frozen=True)
class Mark:
    """One activity on the line: its number in the pack, key and dates."""

    number: int
    key: str
    start: dt.date
    end: dt.date


def timeline_svg(marks: Sequence[Mark], title: str = "") -> str:
    """The SVG element (as text) for ``marks``; an empty line when there are none.

    ``title`` says what the drawing shows: its first ``<title>``, which is not
    drawn, is the figure's alternative text in the tagged PDF.
    """
    first_year = min((m.start.year for m in marks), default=dt.date.today().year)
    last_year = max((m.end.year for m in marks), default=first_year)
    origin = dt.date(first_year, 1, 1)
    days = (dt.date(last_year + 1, 1, 1) - origin).days

    def x_of(day: dt.date) -> float:
        return round(MARGIN + (day - origin).days / days * (WIDTH - 2 * MARGIN), 2)

    placed = _lanes([(x_of(m.start), x_of(m.end), m) for m in marks])
    lanes = max((lane for _, _, _, lane in placed), default=0) + 1
    height = lanes * LANE_HEIGHT + AXIS_SPACE + 8
    axis_y = height - AXIS_SPACE
    svg = ET.Element("svg", {
        "xmlns": SVG_NS, "class": "timeline", "viewBox": f"0 0 {WIDTH} {height}",
        "width": "100%", "font-family": style.FONT_FAMILY, "role": "img",
    })
    if title:
        ET.SubElement(svg, "title").text = title
    _axis(svg, first_year, last_year, axis_y, x_of)
    for start_x, end_x, mark, lane in placed:
        y = axis_y - 12 - lane * LANE_HEIGHT
        group = ET.SubElement(svg, "g", {"class": "activity", "data-key": mark.key})
        ET.SubElement(group, "title").text = f"{mark.number}. {mark.key}"
        if end_x - start_x > MARK_RADIUS:
            ET.SubElement(group, "rect", {
                "x": str(start_x - MARK_RADIUS), "y": str(y - MARK_RADIUS),
                "width": str(round(end_x - start_x + 2 * MARK_RADIUS, 2)),
                "height": str(2 * MARK_RADIUS), "rx": str(MARK_RADIUS), "fill": style.ACCENT.css,
            })
        else:
            ET.SubElement(group, "circle", {
                "cx": str(start_x), "cy": str(y), "r": str(MARK_RADIUS), "fill": style.ACCENT.css,
            })
        ET.SubElement(group, "text", {
            "x": str(start_x + MARK_RADIUS + 2), "y": str(y - MARK_RADIUS),
            "font-size": "11", "fill": style.LABEL.css,
        }).text = str(mark.number)
    return ET.tostring(svg, encoding="unicode")


def _axis(svg: ET.Element, first_year: int, last_year: int, axis_y: float,
          x_of: Callable[[dt.date], float]) -> None:
    ET.SubElement(svg, "line", {
        "x1": str(MARGIN), "x2": str(WIDTH - MARGIN), "y1": str(axis_y), "y2": str(axis_y),
        "stroke": style.MUTED.css, "stroke-width": "1.5",
    })
    for year in range(first_year, last_year + 2):
        x = x_of(dt.date(year, 1, 1))
        ET.SubElement(svg, "line", {
            "x1": str(x), "x2": str(x), "y1": str(axis_y - 4), "y2": str(axis_y + 4),
            "stroke": style.MUTED.css,
        })
        if year <= last_year:
            middle = (x + x_of(dt.date(year + 1, 1, 1))) / 2
            ET.SubElement(svg, "text", {
                "x": str(round(middle, 2)), "y": str(axis_y + 20), "font-size": "13",
                "text-anchor": "middle", "fill": style.LABEL.css,
            }).text = str(year)


def _lanes(spans: Sequence[tuple[float, float, Mark]]) -> list[tuple[float, float, Mark, int]]:
    """Put each mark in the lowest lane where it clears the marks already there."""
    lane_ends: list[float] = []
    placed = []
    clearance = 2 * MARK_RADIUS + 16  # room for the number beside the mark
    for start_x, end_x, mark in sorted(spans, key=lambda s: (s[0], s[2].number)):
        lane = next((i for i, end in enumerate(lane_ends) if start_x - end >= clearance),
                    len(lane_ends))
        if lane == len(lane_ends):
            lane_ends.append(end_x)
        else:
            lane_ends[lane] = end_x
        placed.append((start_x, end_x, mark, lane))
    return placed
