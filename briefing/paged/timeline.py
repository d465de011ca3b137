"""A country's activities on a time line, as an SVG drawing.

Where each mark stands is :mod:`briefing.core.timeline`'s (the DOCX draws the same
layout as a picture); this module only writes it as SVG, with ElementTree, so every
text is escaped. A filled mark is an activity its organisation organised, a hollow one
an activity it took part in; the colour is the organisation's.
"""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from collections.abc import Sequence

from .. import style
from ..core.timeline import (
    MARGIN,
    MARK_RADIUS,
    NUMBER_SIZE,
    STROKE,
    WIDTH,
    YEAR_SIZE,
    Layout,
    Mark,
    PlacedMark,
    layout,
)

__all__ = ["MARGIN", "WIDTH", "Mark", "layout_svg", "timeline_svg"]

SVG_NS = "http://www.w3.org/2000/svg"


def timeline_svg(marks: Sequence[Mark], title: str = "", *, today: dt.date | None = None) -> str:
    """The SVG element (as text) for ``marks``; an empty line when there are none.

    ``title`` says what the drawing shows: its first ``<title>``, which is not
    drawn, is the figure's alternative text in the tagged PDF.
    """
    return layout_svg(layout(marks, today=today), title)


def layout_svg(placed: Layout, title: str = "") -> str:
    svg = ET.Element("svg", {
        "xmlns": SVG_NS, "class": "timeline", "viewBox": f"0 0 {placed.width} {placed.height}",
        "width": "100%", "font-family": style.FONT_FAMILY, "role": "img",
    })
    if title:
        ET.SubElement(svg, "title").text = title
    _axis(svg, placed)
    for mark in placed.marks:
        _mark(svg, mark)
    return ET.tostring(svg, encoding="unicode")


def _mark(svg: ET.Element, placed: PlacedMark) -> None:
    mark = placed.mark
    group = ET.SubElement(svg, "g", {
        "class": "activity", "data-key": mark.key,
        "data-role": "organised" if mark.organised else "participated",
    })
    ET.SubElement(group, "title").text = f"{mark.number}. {mark.key}"
    colour = placed.colour.css
    # Filled: organised. Hollow (white inside, outlined): took part.
    paint = {"fill": colour} if mark.organised else {
        "fill": "#fff", "stroke": colour, "stroke-width": str(STROKE)}
    inset = 0 if mark.organised else STROKE / 2  # the outline stays within the mark
    radius = MARK_RADIUS - inset
    if placed.bar:
        ET.SubElement(group, "rect", {
            "x": str(round(placed.start_x - radius, 2)), "y": str(round(placed.y - radius, 2)),
            "width": str(round(placed.end_x - placed.start_x + 2 * radius, 2)),
            "height": str(round(2 * radius, 2)), "rx": str(round(radius, 2)), **paint,
        })
    else:
        ET.SubElement(group, "circle", {
            "cx": str(placed.start_x), "cy": str(placed.y), "r": str(round(radius, 2)),
            **paint,
        })
    ET.SubElement(group, "text", {
        "x": str(round(placed.label_x, 2)), "y": str(round(placed.label_y, 2)),
        "font-size": str(NUMBER_SIZE), "fill": style.LABEL.css,
    }).text = str(mark.number)


def _axis(svg: ET.Element, placed: Layout) -> None:
    axis_y = placed.axis_y
    ET.SubElement(svg, "line", {
        "x1": str(MARGIN), "x2": str(WIDTH - MARGIN), "y1": str(axis_y), "y2": str(axis_y),
        "stroke": style.MUTED.css, "stroke-width": "1.5",
    })
    for x in [year.x for year in placed.years] + [placed.end_x]:
        ET.SubElement(svg, "line", {
            "x1": str(x), "x2": str(x), "y1": str(axis_y - 4), "y2": str(axis_y + 4),
            "stroke": style.MUTED.css,
        })
    for year in placed.years:
        ET.SubElement(svg, "text", {
            "x": str(year.middle), "y": str(placed.year_label_y), "font-size": str(YEAR_SIZE),
            "text-anchor": "middle", "fill": style.LABEL.css,
        }).text = str(year.year)
