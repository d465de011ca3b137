"""The pack DOCX's own pieces: the timeline picture drawn from the PDF's layout, and the
marks a draft and a sample carry."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from typing import Any

from lxml import etree
from PIL import Image

from briefing import style
from briefing.core.model import Project
from briefing.core.packs import country_pack
from briefing.core.timeline import Mark, layout
from briefing.paged.render import Renderer
from briefing.word.pack import render_pack_docx
from briefing.word.timeline import SCALE, timeline_png
from tests.conftest import REPO

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"

MARKS = [Mark(1, "a.organised", dt.date(2010, 3, 1), dt.date(2010, 3, 1), 0, True),
         Mark(2, "a.took-part", dt.date(2011, 9, 1), dt.date(2011, 9, 1), 1, False)]


def test_the_picture_is_the_pdfs_layout_in_pixels() -> None:
    placed = layout(MARKS)
    image = Image.open(io.BytesIO(timeline_png(placed)))
    assert image.format == "PNG"
    assert image.size == (placed.width * SCALE, placed.height * SCALE)
    organised, took_part = placed.marks
    # A filled mark is its organisation's colour in the middle; a hollow one white inside
    # and its organisation's colour on its outline.
    middle = (round(organised.start_x * SCALE), round(organised.y * SCALE))
    assert image.getpixel(middle) == style.ORGANISATION_COLOURS[0].rgb
    inside = (round(took_part.start_x * SCALE), round(took_part.y * SCALE))
    assert image.getpixel(inside) == (255, 255, 255)
    edge = (round(took_part.start_x * SCALE), round((took_part.y - 5) * SCALE))
    assert image.getpixel(edge) == style.ORGANISATION_COLOURS[1].rgb


def test_the_same_layout_gives_the_same_bytes() -> None:
    font = REPO / "fonts" / "NotoSans-Regular.ttf"
    assert timeline_png(layout(MARKS), font) == timeline_png(layout(MARKS), font)
    assert timeline_png(layout(MARKS)) != timeline_png(layout(MARKS), font)


def parts(content: bytes) -> dict[str, Any]:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return {name: etree.fromstring(archive.read(name)) for name in archive.namelist()
                if name.startswith("word/") and name.endswith(".xml")}


def text(element: Any) -> str:
    return "".join(t.text or "" for t in element.iter(f"{W}t"))


def test_a_draft_says_draft_on_every_page_and_a_final_pack_does_not(
        with_sample: Project) -> None:
    pack = country_pack(with_sample, "TM")
    labels = Renderer(REPO / "templates").labels
    built = {draft: parts(render_pack_docx(pack, with_sample, labels, draft=draft,
                                           generated=dt.date(2026, 3, 1)))
             for draft in (False, True)}
    headers = {draft: [text(xml) for name, xml in found.items()
                       if name.startswith("word/header")] for draft, found in built.items()}
    assert len(headers[True]) == 2  # page one's and the others'
    assert all("DRAFT / ЧЕРНОВИК" in header for header in headers[True])
    assert not any("DRAFT" in header for header in headers[False])


def test_the_sample_mark_is_on_the_parts_drawn_from_a_sample(with_sample: Project) -> None:
    pack = country_pack(with_sample, "TM")
    labels = Renderer(REPO / "templates").labels
    body = parts(render_pack_docx(pack, with_sample, labels, draft=False,
                                  generated=dt.date(2026, 3, 1)))["word/document.xml"]
    marks = [run for run in body.iter(f"{W}r") if text(run).strip() in ("SAMPLE DATA",
                                                                       "ПРИМЕР ДАННЫХ")]
    assert marks
    for run in marks:
        colour = run.find(f"{W}rPr/{W}color")
        assert colour is not None
        assert colour.get(f"{W}val") == style.SAMPLE.hex6
    banner = [p for p in body.iter(f"{W}p")
              if text(p) in ("Sample data: a fictional organisation",
                             "Пример данных: вымышленная организация")]
    assert len(banner) == 2  # under the sample organisation's heading, in both columns
