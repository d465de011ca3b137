"""A country's pack as DOCX: the PDF's content and order, for reading and editing in Word.

The same parts as the PDF (:func:`briefing.core.packs.pack_parts`) and the same first
page (:func:`briefing.core.packs.pack_briefing`): the briefing in a two-column table
(one row per pair, first language left), then a contents field, the timeline (a
picture drawn from the PDF's layout, with its alternative text) and each
organisation's part. Every run carries its language (``w:lang``) and the shipped
font; the page and its margins are the PDF's (:mod:`briefing.style`); the header
names the pack in both languages and the footer says "page X of Y" (fields Word and
LibreOffice update). A part drawn from a sample sheet carries the sample mark
wherever it appears; a draft carries DRAFT in the header of every page.

Word cannot name the organisation at the top of each page in a header (its STYLEREF
field takes the first heading on the page, not the one in force where the page
begins), so the DOCX header names the pack only; the PDF's names the organisation.
"""

from __future__ import annotations

import copy
import datetime as dt
import functools
import io
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

from babel.dates import format_date
from docx.document import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.text.font import CT_RPr
from docx.oxml.text.run import CT_R
from docx.shared import Emu, Length, Mm, Pt, RGBColor
from docx.table import Table
from docx.text.paragraph import Paragraph
from docx.text.run import Run

from .. import style
from ..core import markup
from ..core.labels import locales
from ..core.model import Project
from ..core.packs import (
    Briefing,
    Listed,
    OrganisationPart,
    Pack,
    pack_briefing,
    pack_languages,
    pack_parts,
)
from ..core.rows import Row
from ..core.timeline import layout, organisation_colour, timeline_alt, timeline_marks
from .document import mark_field, mark_run, new_document, text_width_twips
from .oxml import (
    add_field,
    add_right_tab,
    deterministic_zip,
    language_tag,
    set_cant_split,
    set_paragraph_mark,
    set_table_widths,
)
from .timeline import timeline_png

#: Paragraph styles: the briefing's blocks, an organisation's part (one style per column,
#: so the contents lists the first language's title with the second's indented below it),
#: the blocks within a part, and the running header and footer.
BRIEF_STYLE = "Heading 2"
PART_STYLES = ("Pack Part", "Pack Part Second")
TITLE_STYLE = "Heading 3"
RUNNING_STYLE = "Running"
TOC_STYLES = ("TOC 1", "TOC 2")
_HEADING_STYLES = {"title": "Heading 3", "subheading": "Heading 4"}
#: The contents field: the parts' titles, linked, with their page numbers.
TOC_INSTRUCTION = f' TOC \\h \\z \\t "{PART_STYLES[0]},1,{PART_STYLES[1]},2" '
SAMPLE_SIZE = Pt(7)


@dataclass(frozen=True)
class Piece:
    """A run: its text (``**bold**`` and ``*italic*`` read unless ``plain``) and look."""

    text: str
    bold: bool = False
    colour: style.Colour | None = None
    size: Pt | None = None
    plain: bool = False


Para = list[Piece]


@dataclass
class PackRow:
    """A table row: the paragraphs of each language's cell, and their style."""

    kind: str
    cells: dict[str, list[Para]]
    #: A bookmark around the first cell's text: where the contents' entry links to.
    bookmark: str | None = None
    styles: dict[str, str] = field(default_factory=dict)


def render_pack_docx(pack: Pack, project: Project, labels: Mapping[str, Any], *,
                     draft: bool, generated: dt.date, fonts_dir: Path | None = None) -> bytes:
    """The pack as DOCX bytes; identical input gives identical bytes. ``fonts_dir`` holds
    the house font for the timeline's numbers (else Pillow's own)."""
    languages = pack_languages(pack)
    left, right = languages
    locale_of = locales(dict(labels), languages)
    country = {lang: project.country_name(pack.country, lang) for lang in languages}
    titles = {lang: f"{labels[lang]['pack']['title']}: {country[lang]}" for lang in languages}
    document = new_document(title=f"{titles[left]} / {titles[right]}", language=left,
                            author="briefing", keywords=pack.country)
    _set_up_styles(document)
    _header_and_footer(document, languages, titles, labels, draft=draft)
    parts = pack_parts(pack, project, locale_of)
    words = _Words(labels, languages)
    dates = {lang: format_date(generated, "long", locale=locale_of[lang]) for lang in languages}
    briefing = pack_briefing(pack, parts, locale_of, generated)

    _add_table(document, languages, _front_rows(words, country, dates, briefing))
    contents = document.add_paragraph(style=BRIEF_STYLE)
    contents.paragraph_format.keep_with_next = True
    for lang in languages:
        _add_piece(contents, Piece(labels[lang]["pack"]["contents"]
                                   + (" / " if lang == left else ""), plain=True), lang)
    _add_contents(document, parts, words)

    timeline = _timeline_rows(words, parts)
    body = [*timeline, *(row for part in parts for row in _part_rows(words, part))]
    table = _add_table(document, languages, body, picture_after=len(timeline))
    picture = timeline_png(layout(timeline_marks(parts), today=generated),
                           _font_file(fonts_dir))
    _add_picture(table, len(timeline), picture, timeline_alt(pack, labels, locale_of), left)
    out = io.BytesIO()
    document.save(out)
    return deterministic_zip(out.getvalue())


class _Words:
    """The labels of both languages, and the pieces every part of the pack repeats."""

    def __init__(self, labels: Mapping[str, Any], languages: tuple[str, str]) -> None:
        self.labels = labels
        self.languages = languages

    def pack(self, key: str) -> dict[str, str]:
        return {lang: str(self.labels[lang]["pack"][key]) for lang in self.languages}

    def organisation(self, part: OrganisationPart, lang: str, *, bold: bool = False) -> Para:
        """The organisation's name, with the sample mark if its sheet is a sample."""
        name = [Piece(part.sheet.organisation.get(lang) or self.labels[lang]["missing"],
                      bold=bold)]
        return name + self.sample_tag(part, lang)

    def sample_tag(self, part: OrganisationPart, lang: str) -> Para:
        if not part.sample:
            return []
        return [Piece(" " + self.labels[lang]["pack"]["sample_tag"].upper(), bold=True,
                      colour=style.SAMPLE, size=SAMPLE_SIZE, plain=True)]

    def number(self, part: OrganisationPart, number: int) -> Piece:
        return Piece(f"{number}.", bold=True, colour=organisation_colour(part.index),
                     plain=True)


def _front_rows(words: _Words, country: Mapping[str, str], dates: Mapping[str, str],
                briefing: Briefing) -> list[PackRow]:
    """Page one, as the PDF's: the country, the figures, the latest and next activities,
    whom to call."""
    pack = words.pack
    labels = words.labels
    rows = [
        PackRow("country", {lang: [[Piece(pack("title")[lang], plain=True)],
                                   [Piece(country[lang], plain=True)],
                                   [Piece(f"{pack('generated')[lang]} {dates[lang]}",
                                          plain=True)]]
                            for lang in words.languages}),
        _heading("brief", pack("at_a_glance")),
        PackRow("plain", {lang: [[Piece(f"{pack('period')[lang]}: ", plain=True),
                                  Piece(briefing.period.get(lang, "–"), bold=True, plain=True)]]
                          for lang in words.languages}),
        PackRow("plain", {lang: [[Piece(f"{pack('count')[lang]}: ", plain=True),
                                  Piece(str(briefing.count), bold=True, plain=True)],
                                 *([Piece("● ", colour=organisation_colour(part.index),
                                          plain=True),
                                    *words.organisation(part, lang),
                                    Piece(f": {count}", plain=True)]
                                   for part, count in briefing.by_organisation)]
                          for lang in words.languages}),
        PackRow("plain", {lang: [[Piece(f"{pack(key)[lang]}: {value}", plain=True)]
                                 for key, value in (("organised", briefing.organised),
                                                    ("participated", briefing.participated),
                                                    ("held", briefing.held_in_country))]
                          for lang in words.languages}),
        _heading("brief", pack("recent")),
        *(_listed_row(words, item) for item in briefing.recent),
        _heading("brief", pack("planned")),
        *(_listed_row(words, item) for item in briefing.planned),
    ]
    if not briefing.planned:
        rows.append(PackRow("plain", {
            lang: [[Piece(pack("none_planned")[lang].format(date=dates[lang]),
                          colour=style.MUTED, plain=True)]] for lang in words.languages}))
    rows.append(_heading("brief", pack("contacts")))
    for line in briefing.contacts:
        rows.append(PackRow("plain", {lang: [
            [Piece("● ", colour=organisation_colour(line.part.index), plain=True),
             *words.organisation(line.part, lang, bold=True),
             *([Piece(f": {line.details[lang]}")] if line.details.get(lang) else [])],
            [Piece(" · ".join(f"{labels[lang]['contact'][name]} {value}"
                              for name, value in line.fields), plain=True)],
        ] for lang in words.languages}))
    return rows


def _listed_row(words: _Words, item: Listed) -> PackRow:
    entry = item.entry
    return PackRow("plain", {lang: [
        [words.number(item.part, entry.number),
         Piece(f" {entry.when[lang]}", bold=True, plain=True),
         Piece(f" · {entry.where[lang]} · ", plain=True), *words.organisation(item.part, lang)],
        [Piece(entry.text.get(lang) or words.labels[lang]["missing"])],
    ] for lang in words.languages})


def _timeline_rows(words: _Words, parts: Sequence[OrganisationPart]) -> list[PackRow]:
    """The timeline's heading, note and legend; the picture follows in a row of its own."""
    rows = [_heading("part", words.pack("timeline"), bookmark="pack_timeline"),
            PackRow("plain", {lang: [[Piece(words.pack("timeline_note")[lang],
                                            colour=style.MUTED, plain=True)]]
                              for lang in words.languages})]
    if parts:
        rows.append(PackRow("plain", {lang: [
            *([Piece("● ", colour=organisation_colour(part.index), plain=True),
               *words.organisation(part, lang)] for part in parts),
            [Piece("● ", plain=True), Piece(words.pack("legend_organised")[lang], plain=True)],
            [Piece("○ ", plain=True),
             Piece(words.pack("legend_participated")[lang], plain=True)],
        ] for lang in words.languages}))
    return rows


def _part_rows(words: _Words, part: OrganisationPart) -> list[PackRow]:
    labels = words.labels
    rows = [PackRow("part", {lang: [[Piece(part.sheet.organisation.get(lang)
                                           or labels[lang]["missing"])]]
                             for lang in words.languages},
                    bookmark=_part_bookmark(part))]
    if part.sample:
        rows.append(PackRow("plain", {lang: [[Piece(labels[lang]["sample"], bold=True,
                                                    colour=style.SAMPLE, plain=True)]]
                                      for lang in words.languages}))
    for entry in part.entries:
        rows.append(PackRow("activity", {lang: [
            [words.number(part, entry.number),
             Piece(f" {entry.when[lang]} · {entry.where[lang]}", bold=True, plain=True,
                   colour=style.ACCENT)],
            [Piece(entry.text.get(lang) or labels[lang]["missing"])],
        ] for lang in words.languages}))
    for key, groups in (("about", part.about), ("contacts", part.contacts)):
        if not groups:
            continue
        rows.append(PackRow("title", {lang: [[Piece(labels[lang]["pack"][key]),
                                              *words.sample_tag(part, lang)]]
                                      for lang in words.languages}))
        for row in [r for group in groups for r in group.rows]:
            rows.append(PackRow(row.kind, {lang: [_row_cell(row, lang, labels)]
                                           for lang in words.languages}))
    return rows


def _heading(kind: str, texts: Mapping[str, str], *, bookmark: str | None = None) -> PackRow:
    return PackRow(kind, {lang: [[Piece(text, plain=True)]] for lang, text in texts.items()},
                   bookmark=bookmark)


def _part_bookmark(part: OrganisationPart) -> str:
    return f"pack_org_{part.index + 1}"


def _row_cell(row: Row, lang: str, labels: Mapping[str, Any]) -> Para:
    text = row.text(lang)
    if row.kind == "contact-plain" and text:
        return [Piece(f"{labels[lang]['contact'][row.field]} {text}", plain=True)]
    return [Piece(text or labels[lang]["missing"], bold=row.kind in _HEADING_STYLES)]


def _add_table(document: Document, languages: Sequence[str], rows: Sequence[PackRow], *,
               picture_after: int | None = None) -> Table:
    """The rows as a two-column table; with ``picture_after``, a row spanning both columns
    is left empty after that many rows (for the timeline)."""
    count = len(rows) + (picture_after is not None)
    table = document.add_table(rows=count, cols=2)
    table.style = document.styles["Table Grid"]
    table_rows = list(table.rows)
    if picture_after is not None:
        spanning = table_rows.pop(picture_after)
        set_cant_split(spanning)
        spanning.cells[0].merge(spanning.cells[1])
    style_ids: dict[str, str] = {}  # python-docx looks a style up anew on every assignment
    for bookmark_id, (row, table_row) in enumerate(zip(rows, table_rows, strict=True),
                                                   start=1):
        set_cant_split(table_row)
        for column, (cell, lang) in enumerate(zip(table_row.cells, languages, strict=True)):
            paragraphs = row.cells[lang]
            for index, pieces in enumerate(paragraphs):
                paragraph = cell.paragraphs[0] if index == 0 else cell.add_paragraph()
                set_paragraph_mark(paragraph, language_tag(lang), style.FONT_FAMILY)
                name = _paragraph_style(row.kind, column, index)
                if name != "Normal":
                    if name not in style_ids:
                        style_ids[name] = document.styles[name].style_id
                    paragraph._p.style = style_ids[name]
                for piece in pieces:
                    _add_piece(paragraph, piece, lang)
            if row.bookmark and column == 0:
                _bookmark(cell.paragraphs[0], row.bookmark, bookmark_id)
    width = text_width_twips()
    set_table_widths(table, [width // 2, width - width // 2])
    return table  # type: ignore[no-any-return]  # python-docx's add_table is untyped here


def _paragraph_style(kind: str, column: int, index: int) -> str:
    if kind == "brief":
        return BRIEF_STYLE
    if kind == "part":
        return PART_STYLES[min(column, 1)]
    if kind == "country":
        return ("Pack Kind", "Heading 1", "Normal")[min(index, 2)]
    return _HEADING_STYLES.get(kind, "Normal")


def _add_piece(paragraph: Paragraph, piece: Piece, lang: str) -> None:
    spans = [markup.Span(piece.text)] if piece.plain else markup.parse(piece.text, lang)
    for span in spans:
        if _PLAIN_TEXT.fullmatch(span.text):  # what add_run would make of it, made directly
            run_element = paragraph._p.add_r()
            run_element.add_t(span.text)
        else:  # tabs and breaks become their elements
            run_element = paragraph.add_run(span.text)._r
        run_element.insert(0, copy.deepcopy(_run_properties(
            lang, bool(piece.bold or span.bold), bool(span.italic), bool(span.superscript),
            piece.colour, piece.size)))


#: Text python-docx's run writer keeps as one ``w:t`` (no tab, break or carriage return).
_PLAIN_TEXT = re.compile(r"[^\t\n\r\f\v]+")


@functools.lru_cache(maxsize=512)
def _run_properties(lang: str, bold: bool, italic: bool, superscript: bool,
                    colour: style.Colour | None, size: Length | None) -> CT_RPr:
    """A run's properties, made once for each combination: a pack's DOCX has thousands of
    runs, and python-docx takes a while to set each property (each copy is the same XML)."""
    run = Run(cast(CT_R, OxmlElement("w:r")), cast(Any, None))
    mark_run(run, lang)
    run.bold = bold or None
    run.italic = italic or None
    if superscript:
        run.font.superscript = True
    if colour is not None:
        run.font.color.rgb = RGBColor(*colour.rgb)
    if size is not None:
        run.font.size = size
    return run._r.get_or_add_rPr()


def _add_contents(document: Document, parts: Sequence[OrganisationPart], words: _Words) -> None:
    """A TOC field listing the timeline and each organisation's part in both languages,
    marked dirty so that Word fills in the page numbers when it opens the file; until
    then (and in LibreOffice) its entries are links without page numbers."""
    entries: list[tuple[str, dict[str, str], OrganisationPart | None]] = [
        ("pack_timeline", words.pack("timeline"), None)]
    entries += [(_part_bookmark(part), {lang: part.sheet.organisation.get(lang, "")
                                        for lang in words.languages}, part)
                for part in parts]
    lines = [(bookmark, texts[lang], lang, level, part)
             for bookmark, texts, part in entries
             for level, lang in enumerate(words.languages)]
    for index, (bookmark, text, lang, level, part) in enumerate(lines):
        paragraph = document.add_paragraph(style=TOC_STYLES[level])
        paragraph.paragraph_format.keep_with_next = index < len(lines) - 1
        set_paragraph_mark(paragraph, language_tag(lang), style.FONT_FAMILY)
        if index == 0:
            _field_char(paragraph, "begin", lang, dirty=True)
            _instruction(paragraph, TOC_INSTRUCTION, lang)
            _field_char(paragraph, "separate", lang)
        link = OxmlElement("w:hyperlink")
        link.set(qn("w:anchor"), bookmark)
        link.set(qn("w:history"), "1")
        paragraph._p.append(link)
        run = Run(OxmlElement("w:r"), paragraph)  # type: ignore[arg-type]
        link.append(run._r)
        run.text = text
        mark_run(run, lang)
        tag: Para = words.sample_tag(part, lang) if part is not None else []
        for piece in tag:
            _add_piece(paragraph, piece, lang)
        if index == len(lines) - 1:
            _field_char(paragraph, "end", lang)


def _field_char(paragraph: Paragraph, kind: str, lang: str, *, dirty: bool = False) -> None:
    run = OxmlElement("w:r")
    char = OxmlElement("w:fldChar")
    char.set(qn("w:fldCharType"), kind)
    if dirty:
        char.set(qn("w:dirty"), "true")
    run.append(char)
    paragraph._p.append(run)
    mark_field(run, lang)  # type: ignore[arg-type]  # an OxmlElement("w:r") is a CT_R


def _instruction(paragraph: Paragraph, text: str, lang: str) -> None:
    run = OxmlElement("w:r")
    instruction = OxmlElement("w:instrText")
    instruction.set(qn("xml:space"), "preserve")
    instruction.text = text
    run.append(instruction)
    paragraph._p.append(run)
    mark_field(run, lang)  # type: ignore[arg-type]  # an OxmlElement("w:r") is a CT_R


def _bookmark(paragraph: Paragraph, name: str, bookmark_id: int) -> None:
    start = OxmlElement("w:bookmarkStart")
    start.set(qn("w:id"), str(bookmark_id))
    start.set(qn("w:name"), name)
    end = OxmlElement("w:bookmarkEnd")
    end.set(qn("w:id"), str(bookmark_id))
    properties = paragraph._p.find(qn("w:pPr"))
    if properties is not None:
        properties.addnext(start)
    else:
        paragraph._p.insert(0, start)
    paragraph._p.append(end)


def _add_picture(table: Table, row_index: int, png: bytes, description: str,
                 lang: str) -> None:
    """The timeline in the row spanning both columns, as wide as the text, described."""
    cell = table.rows[row_index].cells[0]
    paragraph = cell.paragraphs[0]
    set_paragraph_mark(paragraph, language_tag(lang), style.FONT_FAMILY)
    run = paragraph.add_run()
    mark_run(run, lang)
    width = Emu(Mm(style.PAGE_SIZE_MM[0] - style.PAGE_MARGINS_MM.left
                   - style.PAGE_MARGINS_MM.right - 4))
    shape = run.add_picture(io.BytesIO(png), width=width)
    properties = shape._inline.docPr
    properties.set("name", "Timeline")
    properties.set("descr", description)


def _font_file(fonts_dir: Path | None) -> Path | None:
    if fonts_dir is None:
        return None
    regular = next((name for weight, slant, name in style.FONT_FACES
                    if (weight, slant) == ("normal", "normal")), None)
    path = fonts_dir / regular if regular else None
    return path if path is not None and path.is_file() else None


def _header_and_footer(document: Document, languages: Sequence[str],
                       titles: Mapping[str, str], labels: Mapping[str, Any], *,
                       draft: bool) -> None:
    """As in the PDF: the pack's title above (none on page one but DRAFT), "page X of Y"
    below, in both languages; a draft says DRAFT on every page."""
    section = document.sections[0]
    section.different_first_page_header_footer = True
    width = text_width_twips()
    for index, (header, footer) in enumerate(((section.header, section.footer),
                                              (section.first_page_header,
                                               section.first_page_footer))):
        top = header.paragraphs[0]
        bottom = footer.paragraphs[0]
        for paragraph in (top, bottom):
            paragraph.style = document.styles[RUNNING_STYLE]
            add_right_tab(paragraph, width)
            set_paragraph_mark(paragraph, language_tag(languages[0]), style.FONT_FAMILY)
        for column, lang in enumerate(languages):
            if column:
                _add_piece(bottom, Piece("\t", plain=True), lang)
            _add_piece(bottom, Piece(f"{labels[lang]['page']} ", plain=True), lang)
            mark_field(add_field(bottom, "PAGE"), lang)
            _add_piece(bottom, Piece(f" {labels[lang]['of']} ", plain=True), lang)
            mark_field(add_field(bottom, "NUMPAGES"), lang)
            if index == 0:  # page one is the briefing: no running header
                if column:
                    _add_piece(top, Piece("\t", plain=True), lang)
                _add_piece(top, Piece(titles[lang], plain=True), lang)
        if draft:
            mark = top if index == 1 else header.add_paragraph(style=RUNNING_STYLE)
            set_paragraph_mark(mark, language_tag(languages[0]), style.FONT_FAMILY)
            for column, lang in enumerate(languages):
                _add_piece(mark, Piece((" / " if column else "") + labels[lang]["draft"],
                                       bold=True, colour=style.ALERT, plain=True), lang)


def _set_up_styles(document: Document) -> None:
    styles = document.styles
    normal = styles["Normal"]
    normal.paragraph_format.space_after = Pt(1)
    normal.paragraph_format.line_spacing = 1.1
    heading_one = styles["Heading 1"]
    heading_one.font.size = Pt(20)
    heading_one.font.color.rgb = RGBColor(*style.TEXT.rgb)
    heading_one.paragraph_format.space_before = Pt(0)
    for name, size in (("Heading 2", 10.5), ("Heading 3", 10.5), ("Heading 4", 9.5)):
        heading = styles[name]
        heading.font.size = Pt(size)
        heading.font.color.rgb = RGBColor(*(style.ACCENT if name == "Heading 2"
                                            else style.TEXT).rgb)
        heading.paragraph_format.space_before = Pt(6)
        heading.paragraph_format.space_after = Pt(2)
    for name in PART_STYLES:
        part = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        part.base_style = styles["Heading 2"]
        part.font.size = Pt(11.5)
        part.next_paragraph_style = normal
    kind = styles.add_style("Pack Kind", WD_STYLE_TYPE.PARAGRAPH)
    kind.base_style = normal
    kind.font.size = Pt(10)
    kind.font.color.rgb = RGBColor(*style.MUTED.rgb)
    for level, name in enumerate(TOC_STYLES):
        toc = styles[name] if name in [s.name for s in styles] else styles.add_style(
            name, WD_STYLE_TYPE.PARAGRAPH)
        toc.base_style = normal
        toc.paragraph_format.left_indent = Mm(5 * level)
        toc.paragraph_format.space_after = Pt(0 if level == 0 else 3)
        if level:
            toc.font.color.rgb = RGBColor(*style.MUTED.rgb)
    running = styles.add_style(RUNNING_STYLE, WD_STYLE_TYPE.PARAGRAPH)
    running.base_style = normal
    running.font.size = Pt(style.RUNNING_SIZE_PT)
    running.font.color.rgb = RGBColor(*style.MUTED.rgb)
    document.sections[0].header_distance = Emu(Mm(style.PAGE_MARGINS_MM.top / 2))
    document.sections[0].footer_distance = Emu(Mm(style.PAGE_MARGINS_MM.bottom / 2))
