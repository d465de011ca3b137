"""A country's pack as DOCX: the PDF's content in one two-column table, for editing by hand.

The same parts as the PDF (:func:`briefing.core.packs.pack_parts`), one table row
per pair, English left; every run carries its language (``w:lang``) and the
shipped font. The timeline is a drawing the PDF alone carries; the DOCX lists
the same numbered activities.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from babel.dates import format_date
from docx.document import Document
from docx.shared import Pt, RGBColor
from docx.text.paragraph import Paragraph
from docx.text.run import Run

from .. import style
from ..core import markup
from ..core.labels import locales
from ..core.lang import year_span
from ..core.model import Project
from ..core.packs import Pack, pack_languages, pack_parts
from ..core.rows import Row
from .document import mark_run, new_document, text_width_twips
from .oxml import (
    deterministic_zip,
    set_cant_split,
    set_table_header,
    set_table_widths,
)

_HEADING_STYLES = {"title": "Heading 3", "subheading": "Heading 4"}

Cell = list[tuple[str, bool]]  # runs: (marked-up text, bold)


def render_pack_docx(pack: Pack, project: Project, labels: Mapping[str, Any], *,
                     draft: bool, generated: dt.date) -> bytes:
    """The pack as DOCX bytes; identical input gives identical bytes."""
    languages = pack_languages(pack)
    left, right = languages
    locale_of = locales(dict(labels), languages)
    country = {lang: project.country_name(pack.country, lang) for lang in languages}
    document = _new_document(f"{labels[left]['pack']['title']}: {country[left]} / "
                             f"{labels[right]['pack']['title']}: {country[right]}", left)
    heading = document.add_heading(level=1)
    for lang in languages:
        _add_run(heading, f"{labels[lang]['pack']['title']}: {country[lang]}"
                 + (" / " if lang == left else ""), lang)

    rows: list[tuple[str, dict[str, Cell]]] = []

    def pair(kind: str, make: Callable[..., Cell]) -> None:
        rows.append((kind, {lang: make(lang) for lang in languages}))

    pack_labels = {lang: labels[lang]["pack"] for lang in languages}
    pair("plain", lambda lang: [(f"{pack_labels[lang]['generated']} "
                                 f"{format_date(generated, 'long', locale=locale_of[lang])}",
                                 False)])
    pair("heading", lambda lang: [(pack_labels[lang]["sources"], True)])
    for sheet in pack.sheets:
        pair("plain", lambda lang, s=sheet: [(s.organisation.get(lang, ""), False),
                                             (f" (data/sheets/{s.id}.yaml)", False)])
    summary = pack.summary
    pair("heading", lambda lang: [(pack_labels[lang]["summary"], True)])
    pair("plain", lambda lang: [(f"{pack_labels[lang]['count']}: {summary.count}", False)])
    years = year_span(summary.first_year, summary.last_year) if summary.count else "–"
    pair("plain", lambda lang: [(f"{pack_labels[lang]['years']}: {years}", False)])
    pair("plain", lambda lang: [(pack_labels[lang]["organisations"] + ": " + "; ".join(
        s.organisation.get(lang, "") for s in summary.organisations), False)])
    pair("plain", lambda lang: [(pack_labels[lang]["cities"] + ": " + "; ".join(
        f"{c.names.get(lang, '')}, {project.country_name(c.country, lang)}"
        for c in summary.cities), False)])
    for part in pack_parts(pack, project, locale_of):
        pair("heading", lambda lang, p=part: [(p.sheet.organisation.get(lang, ""), True)])
        for entry in part.entries:
            pair("activity", lambda lang, e=entry: [
                (f"{e.number}. {e.when[lang]} · {e.where[lang]}\n", True),
                (e.text.get(lang) or labels[lang]["missing"], False)])
        if part.about:
            pair("title", lambda lang: [(pack_labels[lang]["about"], True)])
        for row in [r for group in part.about for r in group.rows]:
            rows.append((row.kind, {lang: _row_cell(row, lang, labels) for lang in languages}))
        if part.contacts:
            pair("title", lambda lang: [(pack_labels[lang]["contacts"], True)])
        for row in [r for group in part.contacts for r in group.rows]:
            rows.append((row.kind, {lang: _row_cell(row, lang, labels) for lang in languages}))
    _add_table(document, languages, rows)
    out = io.BytesIO()
    document.save(out)
    return deterministic_zip(out.getvalue())


def _row_cell(row: Row, lang: str, labels: Mapping[str, Any]) -> Cell:
    text = row.text(lang)
    if row.kind == "contact-plain" and text:
        return [(f"{labels[lang]['contact'][row.field]} {text}", False)]
    return [(text or labels[lang]["missing"], row.kind in _HEADING_STYLES)]


def _add_table(document: Document, languages: Sequence[str],
               rows: Sequence[tuple[str, dict[str, Cell]]]) -> None:
    table = document.add_table(rows=len(rows), cols=2)
    table.style = document.styles["Table Grid"]
    for (kind, cells), table_row in zip(rows, table.rows, strict=True):
        set_cant_split(table_row)
        if kind == "heading" and table_row is table.rows[0]:
            set_table_header(table_row)
        for cell, lang in zip(table_row.cells, languages, strict=True):
            paragraph = cell.paragraphs[0]
            if kind == "heading":
                paragraph.style = document.styles["Heading 2"]
            elif kind in _HEADING_STYLES:
                paragraph.style = document.styles[_HEADING_STYLES[kind]]
            for text, bold in cells[lang]:
                for span in markup.parse(text, lang):
                    run = _add_run(paragraph, span.text, lang)
                    run.bold = (bold or span.bold) or None
                    run.italic = span.italic or None
                    if span.superscript:
                        run.font.superscript = True
    width = text_width_twips()
    set_table_widths(table, [width // 2, width - width // 2])


def _add_run(paragraph: Paragraph, text: str, lang: str) -> Run:
    run = paragraph.add_run(text)
    mark_run(run, lang)
    return run


def _new_document(title: str, lang: str) -> Document:
    document = new_document(title=title, language=lang, author="briefing")
    document.styles["Normal"].paragraph_format.space_after = Pt(2)
    document.styles["Heading 2"].font.color.rgb = RGBColor(*style.ACCENT.rgb)
    return document
