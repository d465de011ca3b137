"""The model → the sheet as DOCX: the PDF's two-column table, for people who edit by hand.

One table row per unit pair, in the PDF's order (:func:`briefing.core.rows.sheet_rows`),
first language left. Each cell is wrapped in a bookmark named after its unit's
key, and a custom XML part keeps the texts the DOCX was made from, so that
:mod:`briefing.word.read` can find each row's key and tell what a translator
changed after Word or LibreOffice re-saved the file.

What survives LibreOffice 7.4's DOCX → DOCX re-save was measured before this
design was chosen (see also the project's platform notes): bookmarks 120 of
120, custom properties (as text; integers turn into reals), and a custom XML
part related from the document (its content byte-identical, only renamed from
``customXml/item2.xml`` to another number). A data part of our own related from
the package is dropped, document variables are dropped, and content controls
lose their tags; none of those is used.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from docx.document import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor
from docx.text.paragraph import Paragraph

from .. import style
from ..core.lang import language_name
from ..core.model import Sheet
from ..core.rows import Row, sheet_rows
from .base import BaseUnit, base_part, sheet_version
from .document import (
    add_marked_up_runs,
    add_placeholder,
    add_plain_run,
    finish,
    mark_field,
    new_document,
    text_width_twips,
)
from .oxml import (
    KIND_SHEET,
    PLACEHOLDER_STYLE,
    PROP_BASE,
    PROP_KIND,
    PROP_SHEET,
    add_bullet_numbering,
    add_field,
    add_right_tab,
    bookmark_cell,
    bookmark_name,
    language_tag,
    set_cant_split,
    set_fonts,
    set_numbering,
    set_paragraph_mark,
    set_table_header,
    set_table_widths,
)

#: Paragraph style per row kind; Word's heading styles feed the navigation pane.
PARAGRAPH_STYLES = {
    "document-title": "Heading 1",
    "heading": "Heading 2",
    "title": "Heading 3",
    "subheading": "Heading 4",
    "organisation": "Organisation",
    "list-item": "List Paragraph",
    "activity": "List Paragraph",
}
BULLET_KINDS = frozenset({"list-item", "activity"})
#: The boxed note on how to edit the DOCX, and the small gap after each language's box.
NOTE_STYLE = "Editing Note"
NOTE_GAP_STYLE = "Editing Note Gap"


def render_docx(sheet: Sheet, labels: Mapping[str, Any], *, draft: bool) -> bytes:
    """The sheet as DOCX bytes; identical input gives identical bytes."""
    left, right = sheet.languages
    document = sheet_document(sheet)
    bullets = add_bullet_numbering(document, style.FONT_FAMILY)
    add_note(document, sheet.languages, labels)
    if sheet.sample:
        paragraph = document.add_paragraph()
        add_plain_run(paragraph, labels[left]["sample"], left, bold=True)
        add_plain_run(paragraph, " / ", left)
        add_plain_run(paragraph, labels[right]["sample"], right, bold=True)
    if draft:
        paragraph = document.add_paragraph()
        add_plain_run(paragraph, labels[left]["draft"], left, bold=True)
        add_plain_run(paragraph, " / ", left, bold=True)
        add_plain_run(paragraph, labels[right]["draft"], right, bold=True)
    running_header_and_footer(document, sheet, labels)
    rows = sheet_rows(sheet)
    # Each looked up once: python-docx looks a style up by name anew on every assignment,
    # scanning every style (most of this writer's time, before).
    style_ids = {name: document.styles[name].style_id for name in PARAGRAPH_STYLES.values()}
    table = document.add_table(rows=1 + len(rows), cols=2)
    table.style = document.styles["Table Grid"]
    header = table.rows[0]
    set_table_header(header)
    for cell, lang in zip(header.cells, sheet.languages, strict=True):
        add_plain_run(cell.paragraphs[0], language_name(lang), lang, bold=True)
    bookmark_id = 1
    for row, table_row in zip(rows, table.rows[1:], strict=True):
        set_cant_split(table_row)
        for column, (cell, lang) in enumerate(zip(table_row.cells, sheet.languages,
                                                  strict=True)):
            paragraph = cell.paragraphs[0]
            set_paragraph_mark(paragraph, language_tag(lang), style.FONT_FAMILY)
            fill_cell(paragraph, row, lang, labels[lang], bullets=bullets, draft=draft,
                      style_ids=style_ids)
            bookmark_cell(cell, bookmark_name(row.key, column), bookmark_id)
            bookmark_id += 1
    half = text_width_twips() // 2
    set_table_widths(table, [half, text_width_twips() - half])
    base = [BaseUnit(row.key, row.kind, {lang: shown_text(row, lang, labels[lang]) or ""
                                         for lang in sheet.languages if row.text(lang)})
            for row in rows]
    return finish(document, {PROP_KIND: KIND_SHEET, PROP_SHEET: sheet.id,
                             PROP_BASE: sheet_version(sheet)},
                  base_part(KIND_SHEET, sheet, base,
                            {lang: labels[lang]["missing"] for lang in sheet.languages}))


def add_note(document: Document, languages: Sequence[str], labels: Mapping[str, Any]) -> None:
    """How to edit the DOCX, one boxed note per language (``docx_note`` in labels.yaml).

    Paragraphs before the table, never a row of it: the reader reads the first table
    only, so the note is not imported.
    """
    note_id = document.styles[NOTE_STYLE].style_id
    gap_id = document.styles[NOTE_GAP_STYLE].style_id
    for lang in languages:
        note = labels[lang].get("docx_note")
        if not note:
            continue
        title = styled_paragraph(document, note_id)
        add_plain_run(title, str(note["title"]), lang, bold=True)
        for line in note.get("lines", ()):
            add_plain_run(styled_paragraph(document, note_id), str(line), lang)
        gap = styled_paragraph(document, gap_id)
        set_paragraph_mark(gap, language_tag(lang), style.FONT_FAMILY)


def styled_paragraph(document: Document, style_id: str) -> Paragraph:
    """A new paragraph at the end of the body in the style ``style_id`` (not the default
    style: python-docx would name none), as ``add_paragraph(style=name)`` makes it."""
    paragraph = document.add_paragraph()
    paragraph._p.style = style_id
    return paragraph


def running_header_and_footer(document: Document, sheet: Sheet,
                              labels: Mapping[str, Any]) -> None:
    """As in the PDF: title · organisation above, "page X of Y" below, in both languages."""
    section = document.sections[0]
    width = text_width_twips()
    header = section.header.paragraphs[0]
    footer = section.footer.paragraphs[0]
    for paragraph in (header, footer):
        add_right_tab(paragraph, width)
        paragraph.style = "Running"
    for index, lang in enumerate(sheet.languages):
        if index:
            add_plain_run(header, "\t", lang)
            add_plain_run(footer, "\t", lang)
        add_plain_run(header, f"{sheet.title.get(lang, '')} · {sheet.organisation.get(lang, '')}",
                      lang)
        add_plain_run(footer, f"{labels[lang]['page']} ", lang)
        mark_field(add_field(footer, "PAGE"), lang)
        add_plain_run(footer, f" {labels[lang]['of']} ", lang)
        mark_field(add_field(footer, "NUMPAGES"), lang)


def fill_cell(paragraph: Paragraph, row: Row, lang: str, labels: Mapping[str, Any], *,
              bullets: int, draft: bool, style_ids: Mapping[str, str] | None = None) -> None:
    """A cell's text, in its row kind's paragraph style (``style_ids``: the id of each
    style by name, if looked up already)."""
    style = PARAGRAPH_STYLES.get(row.kind)
    if style and style_ids is not None:
        paragraph._p.style = style_ids[style]
    elif style:
        paragraph.style = style
    if row.kind in BULLET_KINDS:
        set_numbering(paragraph, bullets)
    text = shown_text(row, lang, labels)
    if row.kind == "contact-plain":
        add_plain_run(paragraph, text or "", lang)
    elif text:
        add_marked_up_runs(paragraph, text, lang)
    else:
        add_placeholder(paragraph, labels["missing"], lang)


def shown_text(row: Row, lang: str, labels: Mapping[str, Any]) -> str | None:
    """The text a cell shows; a contact's plain field (telephone …) gets its label."""
    text = row.text(lang)
    if row.kind == "contact-plain" and text:
        return f"{labels['contact'][row.field]} {text}"
    return text


def sheet_document(sheet: Sheet, title_suffix: str = "", *, landscape: bool = False) -> Document:
    """An empty document for ``sheet`` with the sheet's paragraph styles."""
    left, right = sheet.languages
    document = new_document(
        title=f"{sheet.title.get(left, '')} / {sheet.title.get(right, '')}{title_suffix}",
        language=left, author=sheet.organisation.get(left, ""), keywords=sheet.id,
        landscape=landscape)
    _set_up_styles(document)
    return document


def _set_up_styles(document: Document) -> None:
    styles = document.styles
    normal = styles["Normal"]
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.line_spacing = 1.15
    sizes = {"Heading 1": 16, "Heading 2": 11.5, "Heading 3": 10.5, "Heading 4": 9.5}
    for name, size in sizes.items():
        heading = styles[name]
        heading.font.size = Pt(size)
        heading.font.color.rgb = RGBColor(*(style.ACCENT if name == "Heading 2"
                                            else style.TEXT).rgb)
        heading.font.italic = name == "Heading 4"
        heading.paragraph_format.space_before = Pt(6 if name != "Heading 4" else 3)
        heading.paragraph_format.space_after = Pt(2)
    organisation = styles.add_style("Organisation", WD_STYLE_TYPE.PARAGRAPH)
    organisation.base_style = normal
    organisation.font.size = Pt(10.5)
    organisation.paragraph_format.space_after = Pt(8)
    organisation.paragraph_format.keep_with_next = True  # as the PDF glues it to what follows
    running = styles.add_style("Running", WD_STYLE_TYPE.PARAGRAPH)
    running.base_style = normal
    running.font.size = Pt(style.RUNNING_SIZE_PT)
    running.font.color.rgb = RGBColor(*style.MUTED.rgb)
    _add_note_styles(styles, normal)
    placeholder = styles.add_style(PLACEHOLDER_STYLE, WD_STYLE_TYPE.CHARACTER)
    placeholder.font.italic = True
    placeholder.font.color.rgb = RGBColor(*style.ALERT.rgb)
    for element in styles.element.iterchildren(qn("w:style")):  # as `for each in styles`
        rpr = element.find(qn("w:rPr"))
        if rpr is not None:
            set_fonts(rpr, style.FONT_FAMILY)


def _add_note_styles(styles: Any, normal: Any) -> None:
    """A small paragraph in a thin box: consecutive paragraphs of the style share one box."""
    note = styles.add_style(NOTE_STYLE, WD_STYLE_TYPE.PARAGRAPH)
    note.base_style = normal
    note.font.size = Pt(8)
    note.font.color.rgb = RGBColor(*style.LABEL.rgb)
    note.paragraph_format.keep_with_next = True
    borders = OxmlElement("w:pBdr")
    for side in ("top", "left", "bottom", "right"):
        border = OxmlElement(f"w:{side}")
        border.set(qn("w:val"), "single")
        border.set(qn("w:sz"), "4")
        border.set(qn("w:space"), "3")
        border.set(qn("w:color"), style.RULE.hex6)
        borders.append(border)
    ppr = note.element.get_or_add_pPr()
    ppr.insert_element_before(borders, *_AFTER_PBDR)
    gap = styles.add_style(NOTE_GAP_STYLE, WD_STYLE_TYPE.PARAGRAPH)
    gap.base_style = normal
    gap.font.size = Pt(4)
    gap.paragraph_format.keep_with_next = True


#: What follows ``w:pBdr`` in ``w:pPr`` (ECMA-376 order), for inserting it in place.
_AFTER_PBDR = (
    "w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct",
    "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd",
    "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents",
    "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment", "w:textboxTightWrap",
    "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange",
)
