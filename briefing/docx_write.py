"""The model → the sheet as DOCX: the PDF's two-column table, for people who edit by hand.

One table row per unit pair, in the PDF's order (:func:`briefing.html.sheet_rows`),
first language left. Each cell is wrapped in a bookmark named after its unit's
key, and a custom XML part keeps the texts the DOCX was made from, so that
:mod:`briefing.docx_read` can find each row's key and tell what a translator
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

import hashlib
import io
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import docx
from docx.document import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.shared import Mm, Pt, RGBColor
from lxml import etree

from . import markup
from .docx_xml import (
    BASE_NS,
    KIND_SHEET,
    PROP_BASE,
    PROP_KIND,
    PROP_SHEET,
    add_bullet_numbering,
    add_custom_properties,
    add_custom_xml_part,
    add_field,
    add_right_tab,
    bookmark_cell,
    bookmark_name,
    deterministic_zip,
    language_tag,
    mm_to_twips,
    remove_theme_fonts,
    set_cant_split,
    set_fonts,
    set_numbering,
    set_paragraph_mark,
    set_run_language,
    set_table_header,
    set_table_widths,
)
from .html import Row, language_name, sheet_rows
from .model import Sheet

FONT_FAMILY = "Noto Sans"
#: The PDF's page margins (templates/page.css.j2): top, right, bottom, left.
PAGE_MARGINS_MM = (22, 16, 20, 16)
PAGE_SIZE_MM = (210, 297)
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
#: Character style of "translation pending" placeholders; the reader ignores it.
PLACEHOLDER_STYLE = "Placeholder"
#: The zip entry python-docx's template carries: a picture of an empty page.
_TEMPLATE_THUMBNAIL = "docProps/thumbnail.jpeg"


@dataclass(frozen=True)
class BaseUnit:
    """A row as the DOCX was made: key, kind and texts, plus review fields if any."""

    key: str
    kind: str
    texts: Mapping[str, str]
    status: str = ""
    comment: str = ""


def text_width_twips() -> int:
    return mm_to_twips(PAGE_SIZE_MM[0] - PAGE_MARGINS_MM[1] - PAGE_MARGINS_MM[3])


def sheet_version(sheet: Sheet) -> str:
    """A short digest of every text of the sheet: which version a DOCX was made from."""
    digest = hashlib.sha256()
    for row in sheet_rows(sheet):
        for lang in sheet.languages:
            digest.update(f"{row.key}\0{lang}\0{row.texts.get(lang, '')}\0".encode())
    return digest.hexdigest()[:16]


def render_docx(sheet: Sheet, labels: Mapping[str, Any], *, draft: bool) -> bytes:
    """The sheet as DOCX bytes; identical input gives identical bytes."""
    left, right = sheet.languages
    document = new_document(sheet)
    bullets = add_bullet_numbering(document, FONT_FAMILY)
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
            set_paragraph_mark(paragraph, language_tag(lang), FONT_FAMILY)
            fill_cell(paragraph, row, lang, labels[lang], bullets=bullets, draft=draft)
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
        _mark_field(add_field(footer, "PAGE"), lang)
        add_plain_run(footer, f" {labels[lang]['of']} ", lang)
        _mark_field(add_field(footer, "NUMPAGES"), lang)


def _mark_field(run_element: Any, lang: str) -> None:
    rpr = run_element.get_or_add_rPr()
    set_fonts(rpr, FONT_FAMILY)
    set_run_language(run_element, language_tag(lang))


def fill_cell(paragraph: Any, row: Row, lang: str, labels: Mapping[str, Any], *,
              bullets: int, draft: bool) -> None:
    style = PARAGRAPH_STYLES.get(row.kind)
    if style:
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


def add_marked_up_runs(paragraph: Any, text: str, lang: str) -> None:
    """Bold, italic and superscript runs from the text's inline markup."""
    for span in markup.parse(text, lang):
        run = paragraph.add_run(span.text)
        run.bold = span.bold or None
        run.italic = span.italic or None
        if span.superscript:
            run.font.superscript = True
        _mark_run(run, lang)


def add_plain_run(paragraph: Any, text: str, lang: str, *, bold: bool = False) -> Any:
    run = paragraph.add_run(text)
    if bold:
        run.bold = True
    _mark_run(run, lang)
    return run


def add_placeholder(paragraph: Any, text: str, lang: str) -> None:
    run = paragraph.add_run(text, style=PLACEHOLDER_STYLE)
    _mark_run(run, lang)


def _mark_run(run: Any, lang: str) -> None:
    set_fonts(run._r.get_or_add_rPr(), FONT_FAMILY)
    set_run_language(run._r, language_tag(lang))


def new_document(sheet: Sheet, title_suffix: str = "") -> Document:
    """An empty A4 document with the PDF's margins, fonts and styles, and core properties."""
    left, right = sheet.languages
    document = docx.Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(PAGE_SIZE_MM[0]), Mm(PAGE_SIZE_MM[1])
    top, right_margin, bottom, left_margin = PAGE_MARGINS_MM
    section.top_margin, section.right_margin = Mm(top), Mm(right_margin)
    section.bottom_margin, section.left_margin = Mm(bottom), Mm(left_margin)
    _set_up_styles(document)
    properties = document.core_properties
    properties.title = f"{sheet.title.get(left, '')} / {sheet.title.get(right, '')}{title_suffix}"
    properties.author = sheet.organisation.get(left, "")
    properties.language = language_tag(left)
    properties.keywords = sheet.id
    properties.comments = ""
    properties.last_modified_by = "briefing"
    properties.revision = 1
    from .pdf import FIXED_DATE

    fixed = FIXED_DATE.replace(tzinfo=None)
    properties.created = properties.modified = properties.last_printed = fixed
    return document


def _set_up_styles(document: Document) -> None:
    styles = document.styles
    remove_theme_fonts(document, FONT_FAMILY)
    normal = styles["Normal"]
    normal.font.name = FONT_FAMILY
    normal.font.size = Pt(9.5)
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.line_spacing = 1.15
    sizes = {"Heading 1": 16, "Heading 2": 11.5, "Heading 3": 10.5, "Heading 4": 9.5}
    for name, size in sizes.items():
        style = styles[name]
        style.font.size = Pt(size)
        style.font.color.rgb = RGBColor(0x1D, 0x3F, 0x6E) if name == "Heading 2" \
            else RGBColor(0x11, 0x11, 0x11)
        style.font.italic = name == "Heading 4"
        style.paragraph_format.space_before = Pt(6 if name != "Heading 4" else 3)
        style.paragraph_format.space_after = Pt(2)
    organisation = styles.add_style("Organisation", WD_STYLE_TYPE.PARAGRAPH)
    organisation.base_style = normal
    organisation.font.size = Pt(10.5)
    organisation.paragraph_format.space_after = Pt(8)
    organisation.paragraph_format.keep_with_next = True  # as the PDF glues it to what follows
    running = styles.add_style("Running", WD_STYLE_TYPE.PARAGRAPH)
    running.base_style = normal
    running.font.size = Pt(7.5)
    running.font.color.rgb = RGBColor(0x55, 0x55, 0x55)
    placeholder = styles.add_style(PLACEHOLDER_STYLE, WD_STYLE_TYPE.CHARACTER)
    placeholder.font.italic = True
    placeholder.font.color.rgb = RGBColor(0xB0, 0x00, 0x20)
    for style in styles:
        element = style.element.find(
            "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}rPr")
        if element is not None:
            set_fonts(element, FONT_FAMILY)


def base_part(kind: str, sheet: Sheet, units: Iterable[BaseUnit],
              placeholders: Mapping[str, str], lang: str = "") -> bytes:
    """The custom XML part with the texts (and review fields) the DOCX was made from."""
    root = etree.Element(f"{{{BASE_NS}}}briefing", nsmap={None: BASE_NS})  # type: ignore[dict-item]
    root.set("kind", kind)
    root.set("sheet", sheet.id)
    root.set("version", sheet_version(sheet))
    root.set("languages", " ".join(sheet.languages))
    if lang:
        root.set("lang", lang)
    for code, text in placeholders.items():
        etree.SubElement(root, f"{{{BASE_NS}}}placeholder", lang=code).text = text
    for unit in units:
        element = etree.SubElement(root, f"{{{BASE_NS}}}unit", key=unit.key, kind=unit.kind)
        for code, text in unit.texts.items():
            etree.SubElement(element, f"{{{BASE_NS}}}text", lang=code).text = text
        if unit.status or unit.comment:
            element.set("status", unit.status)
            etree.SubElement(element, f"{{{BASE_NS}}}comment").text = unit.comment
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8"))


def finish(document: Document, properties: Mapping[str, str], base: bytes) -> bytes:
    add_custom_properties(document, properties)
    add_custom_xml_part(document, base)
    _drop_thumbnail(document)
    out = io.BytesIO()
    document.save(out)
    return deterministic_zip(out.getvalue())


def _drop_thumbnail(document: Document) -> None:
    package = document.part.package
    for rel_id, rel in list(package.rels.items()):
        if not rel.is_external and str(rel.target_part.partname) == f"/{_TEMPLATE_THUMBNAIL}":
            package.rels.pop(rel_id)
