"""The base every DOCX of this project starts from: page, fonts, core properties, runs.

Page size and margins, the font and the colours come from :mod:`briefing.style`,
so a DOCX and the PDF of the same document share them. Every run carries its
language (``w:lang``, so Word spell-checks each column in its own language) and
the shipped font; output is deterministic (fixed dates, fixed zip entries).
Every package is valid Office Open XML (transitional) by the rules Word applies
(the tests check it with ``openxml-audit``): on/off properties as Word writes
them, no stale ``stylesWithEffects.xml``, custom XML items with their properties.
"""

from __future__ import annotations

import copy
import io
from collections.abc import Mapping
from typing import cast

import docx
from docx.document import Document
from docx.enum.section import WD_ORIENT
from docx.oxml import OxmlElement
from docx.oxml.text.font import CT_RPr
from docx.oxml.text.run import CT_R
from docx.shared import Mm, Pt
from docx.text.paragraph import Paragraph
from docx.text.run import Run

from .. import style
from ..core import markup
from ..core.files import FIXED_DATE
from .oxml import (
    PLACEHOLDER_STYLE,
    add_custom_properties,
    add_custom_xml_part,
    deterministic_zip,
    drop_styles_with_effects,
    language_tag,
    mm_to_twips,
    remove_theme_fonts,
    set_fonts,
    set_run_language,
)

#: The zip entry python-docx's template carries: a picture of an empty page.
_TEMPLATE_THUMBNAIL = "docProps/thumbnail.jpeg"


def new_document(*, title: str, language: str, author: str = "", keywords: str = "",
                 landscape: bool = False) -> Document:
    """An empty A4 document with the house page, font and core properties."""
    document = docx.Document()
    section = document.sections[0]
    width, height = style.PAGE_SIZE_MM
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        width, height = height, width
    section.page_width, section.page_height = Mm(width), Mm(height)
    margins = style.PAGE_MARGINS_MM
    section.top_margin, section.right_margin = Mm(margins.top), Mm(margins.right)
    section.bottom_margin, section.left_margin = Mm(margins.bottom), Mm(margins.left)
    drop_styles_with_effects(document)
    remove_theme_fonts(document, style.FONT_FAMILY)
    normal = document.styles["Normal"]
    normal.font.name = style.FONT_FAMILY
    normal.font.size = Pt(style.BODY_SIZE_PT)
    properties = document.core_properties
    properties.title = title
    properties.author = author
    properties.language = language_tag(language)
    properties.keywords = keywords
    properties.comments = ""
    properties.last_modified_by = "briefing"
    properties.revision = 1
    fixed = FIXED_DATE.replace(tzinfo=None)
    properties.created = properties.modified = properties.last_printed = fixed
    return document


def text_width_twips(landscape: bool = False) -> int:
    """The width between the side margins."""
    width = style.PAGE_SIZE_MM[1 if landscape else 0]
    return mm_to_twips(width - style.PAGE_MARGINS_MM.left - style.PAGE_MARGINS_MM.right)


def add_marked_up_runs(paragraph: Paragraph, text: str, lang: str) -> None:
    """Bold, italic and superscript runs from the text's inline markup."""
    for span in markup.parse(text, lang):
        run = paragraph.add_run(span.text)
        run.bold = span.bold or None
        run.italic = span.italic or None
        if span.superscript:
            run.font.superscript = True
        mark_run(run, lang)


def add_plain_run(paragraph: Paragraph, text: str, lang: str, *, bold: bool = False) -> Run:
    run = paragraph.add_run(text)
    if bold:
        run.bold = True
    mark_run(run, lang)
    return run


def add_placeholder(paragraph: Paragraph, text: str, lang: str) -> None:
    run = paragraph.add_run(text, style=PLACEHOLDER_STYLE)
    mark_run(run, lang)


def mark_run(run: Run, lang: str) -> None:
    """The run's fonts and language; a run without properties yet gets a copy of the ones
    made for the first run of ``lang`` (the same XML, made once: a pack has thousands)."""
    if run._r.rPr is None:
        if lang not in _MARKS:
            model = cast(CT_R, OxmlElement("w:r"))
            set_fonts(model.get_or_add_rPr(), style.FONT_FAMILY)
            set_run_language(model, language_tag(lang))
            _MARKS[lang] = model.get_or_add_rPr()
        run._r.insert(0, copy.deepcopy(_MARKS[lang]))
        return
    set_fonts(run._r.get_or_add_rPr(), style.FONT_FAMILY)
    set_run_language(run._r, language_tag(lang))


#: A run's properties as :func:`mark_run` makes them, per language.
_MARKS: dict[str, CT_RPr] = {}


def mark_field(run_element: CT_R, lang: str) -> None:
    rpr = run_element.get_or_add_rPr()
    set_fonts(rpr, style.FONT_FAMILY)
    set_run_language(run_element, language_tag(lang))


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
