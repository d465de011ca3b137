"""The timeline drawing: one mark per activity, placed by date."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from briefing.core.load import load_project
from briefing.core.packs import country_pack
from briefing.paged.pack import pack_html
from briefing.paged.render import Renderer
from briefing.paged.timeline import MARGIN, WIDTH, Mark, timeline_svg
from tests.conftest import REPO

NS = {"svg": "http://www.w3.org/2000/svg"}


def marks_of(svg: ET.Element) -> list[ET.Element]:
    return svg.findall("svg:g[@class='activity']", NS)


def position(group: ET.Element) -> float:
    shape = group.find("svg:circle", NS)
    if shape is not None:
        return float(shape.get("cx", "nan"))
    bar = group.find("svg:rect", NS)
    assert bar is not None
    return float(bar.get("x", "nan")) + 6


def test_one_mark_per_activity_placed_by_date() -> None:
    marks = [Mark(1, "a.first", dt.date(2010, 1, 1), dt.date(2010, 1, 1)),
             Mark(2, "a.middle", dt.date(2011, 1, 1), dt.date(2011, 1, 1)),
             Mark(3, "a.last", dt.date(2012, 12, 31), dt.date(2012, 12, 31))]
    svg = ET.fromstring(timeline_svg(marks))
    groups = marks_of(svg)
    assert [g.get("data-key") for g in groups] == ["a.first", "a.middle", "a.last"]
    first, middle, last = (position(g) for g in groups)
    assert first == MARGIN
    # 2010 has 365 of the 1096 days from 1 January 2010 to 1 January 2013.
    assert middle == pytest.approx(MARGIN + 365 / 1096 * (WIDTH - 2 * MARGIN), abs=0.01)
    assert last == pytest.approx(WIDTH - MARGIN, abs=1)
    years = [t.text for t in svg.findall("svg:text", NS)]
    assert years == ["2010", "2011", "2012"]


def test_a_stay_of_several_days_is_a_bar_and_close_marks_take_another_lane() -> None:
    marks = [Mark(1, "a.week", dt.date(2014, 6, 1), dt.date(2014, 8, 30)),
             Mark(2, "a.same-week", dt.date(2014, 6, 2), dt.date(2014, 6, 2))]
    groups = marks_of(ET.fromstring(timeline_svg(marks)))
    bar = groups[0].find("svg:rect", NS)
    dot = groups[1].find("svg:circle", NS)
    assert bar is not None
    assert dot is not None
    assert float(dot.get("cy", "0")) < float(bar.get("y", "0"))
    assert [g.find("svg:text", NS).text for g in groups] == ["1", "2"]  # type: ignore[union-attr]


def test_no_activities_draws_only_the_axis() -> None:
    svg = ET.fromstring(timeline_svg([]))
    assert marks_of(svg) == []
    assert svg.find("svg:line", NS) is not None


def test_the_pack_draws_one_mark_per_activity_of_the_country(tmp_path: Path) -> None:
    project = load_project(REPO / "data", REPO).project
    for country in ("KG", "TM"):
        pack = country_pack(project, country)
        html = pack_html(Renderer(REPO / "templates"), pack, project, draft=False,
                         fonts_url="fonts", generated=dt.date(2026, 1, 2))
        start = html.index("<svg")
        svg = ET.fromstring(html[start:html.index("</svg>") + len("</svg>")])
        assert [g.get("data-key") for g in marks_of(svg)] == [a.key for a in pack.activities]


def test_the_title_says_what_it_shows_first_and_is_the_only_top_level_one() -> None:
    marks = [Mark(1, "a.first", dt.date(2010, 1, 1), dt.date(2010, 1, 1))]
    svg = ET.fromstring(timeline_svg(marks, title="Timeline of 1 activity, 2010 & <more>"))
    assert svg[0].tag == f"{{{NS['svg']}}}title"  # WeasyPrint's alternative text
    assert [t.text for t in svg.findall("svg:title", NS)] == [
        "Timeline of 1 activity, 2010 & <more>"]
    assert ET.fromstring(timeline_svg(marks)).find("svg:title", NS) is None
