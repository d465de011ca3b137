"""The timeline drawing: one mark per activity, placed by date, numbered as the list, in its
organisation's colour, filled where the organisation organised it and hollow where it took
part; the legend says so in each language."""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET

import pytest

from briefing import style
from briefing.core.model import Project
from briefing.core.packs import country_pack, pack_parts
from briefing.core.timeline import organisation_colour
from briefing.paged.pack import pack_layout
from briefing.paged.render import Renderer
from briefing.paged.timeline import MARGIN, WIDTH, Mark, timeline_svg
from tests.conftest import REPO

NS = {"svg": "http://www.w3.org/2000/svg"}
LOCALES = {"en": "en_150", "ru": "ru"}


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


def test_the_pack_draws_one_mark_per_activity_of_the_country(with_sample: Project) -> None:
    project = with_sample
    for country in ("KG", "TM"):
        pack = country_pack(project, country)
        html = pack_page(project, country, dt.date(2026, 1, 2))
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


def test_organised_is_filled_and_taking_part_is_hollow_in_the_organisations_colour() -> None:
    marks = [Mark(1, "a.organised", dt.date(2010, 1, 1), dt.date(2010, 1, 1), 0, True),
             Mark(2, "a.took-part", dt.date(2011, 6, 1), dt.date(2011, 6, 1), 1, False),
             Mark(3, "a.week", dt.date(2012, 3, 1), dt.date(2012, 5, 30), 1, False)]
    organised, took_part, week = marks_of(ET.fromstring(timeline_svg(marks)))
    dot = organised.find("svg:circle", NS)
    assert dot is not None
    assert dot.get("fill") == style.ORGANISATION_COLOURS[0].css
    assert dot.get("stroke") is None
    ring = took_part.find("svg:circle", NS)
    assert ring is not None
    assert (ring.get("fill"), ring.get("stroke")) == ("#fff", style.ORGANISATION_COLOURS[1].css)
    bar = week.find("svg:rect", NS)
    assert bar is not None
    assert (bar.get("fill"), bar.get("stroke")) == ("#fff", style.ORGANISATION_COLOURS[1].css)
    assert [g.get("data-role") for g in (organised, took_part, week)] == [
        "organised", "participated", "participated"]


def test_organisations_have_distinct_colours_repeating_after_the_last() -> None:
    colours = style.ORGANISATION_COLOURS
    assert len(set(colours)) == len(colours) >= 4
    assert style.SAMPLE not in colours
    assert style.ALERT not in colours
    assert organisation_colour(len(colours)) == colours[0]


def pack_page(project: Project, country: str, generated: dt.date = dt.date(2026, 3, 1)) -> str:
    """The pack's HTML: its front (with the timeline), then each organisation's part."""
    layout = pack_layout(Renderer(REPO / "templates"), country_pack(project, country), project,
                         draft=False, fonts_url="fonts", generated=generated)
    front = layout.front_html([3] * len(layout.parts))
    return front + "".join(layout.part_html(part) for part in layout.parts)


def test_the_timeline_shows_the_numbers_of_the_list(with_sample: Project) -> None:
    html = pack_page(with_sample, "KG")
    svg = ET.fromstring(html[html.index("<svg"):html.index("</svg>") + len("</svg>")])
    drawn = {g.get("data-key"): g.find("svg:text", NS).text  # type: ignore[union-attr]
             for g in marks_of(svg)}
    listed = dict(re.findall(r'<tr class="row-activity" data-key="([^"]+)"[^>]*>\s*'
                             r'<td lang="en"><p class="when"><span class="number[^"]*">(\d+)<',
                             html))
    assert len(listed) == 20
    assert drawn == listed
    assert sorted(map(int, listed.values())) == list(range(1, 21))
    colours = {g.get("data-key"): (g[1].get("fill"), g[1].get("stroke")) for g in marks_of(svg)}
    parts = pack_parts(country_pack(with_sample, "KG"), with_sample, LOCALES)
    for part in parts:
        for entry in part.entries:
            fill, stroke = colours[entry.activity.key]
            colour = organisation_colour(part.index).css
            assert (stroke if entry.activity.role == "participated" else fill) == colour


def test_the_legend_names_each_organisation_and_both_marks_in_each_language(
        with_sample: Project) -> None:
    html = pack_page(with_sample, "KG")
    row = html[html.index('<tr class="timeline-note">'):]
    row = row[:row.index("</tr>")]
    english, russian = row.split('<td lang="ru">')
    labels = Renderer(REPO / "templates").labels
    for cell, lang in ((english, "en"), (russian, "ru")):
        for key in ("legend_organised", "legend_participated"):
            assert labels[lang]["pack"][key] in cell
        for sheet in country_pack(with_sample, "KG").sheets:
            assert sheet.organisation[lang] in cell
        assert labels[lang]["pack"]["sample_tag"] in cell  # the sample's entry is marked
    assert 'class="swatch org-0"' in english
    assert 'class="swatch org-1"' in english
    assert 'class="swatch hollow"' in english
