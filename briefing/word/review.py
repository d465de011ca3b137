"""The translator's review copy: one row per unit with key, source, target, status, comment.

The industry's bilingual review table, on A4 landscape. The key and source
columns are shaded grey and the source's header says it is read-only: the
document is protected (read-only, no password) with the target, status and
comment cells marked editable, which Word enforces and LibreOffice keeps
through a re-save. As protection without a password can be lifted, an edited
source text is also refused on import. Missing translations are empty target
cells shaded yellow, whose paragraph mark already carries the target language
so that typed text is spell-checked in it. Keys travel as in
the sheet DOCX: a bookmark round the key cell and round the target cell, and a
custom XML part with the texts, statuses and comments the copy was made from.
"""

from __future__ import annotations

from docx.document import Document
from docx.shared import Mm

from .. import style
from ..core.lang import language_name
from ..core.model import REVIEW_STATUSES, Sheet
from ..errors import UsageError
from .base import BaseUnit, base_part, sheet_version
from .document import (
    add_marked_up_runs,
    add_plain_run,
    finish,
    mark_field,
)
from .oxml import (
    KIND_REVIEW,
    PROP_BASE,
    PROP_KIND,
    PROP_LANG,
    PROP_SHEET,
    add_field,
    allow_editing,
    bookmark_cell,
    bookmark_name,
    language_tag,
    mm_to_twips,
    protect_read_only,
    set_cant_split,
    set_paragraph_mark,
    set_table_header,
    set_table_widths,
    shade_cell,
)
from .sheet import sheet_document

#: Column widths in millimetres on A4 landscape: key, source, target, status, comment.
COLUMN_WIDTHS_MM = (38, 85, 85, 22, 35)
READ_ONLY_FILL = "E7E6E6"
MISSING_FILL = "FFF2CC"
HEADER_FILL = "D9E2F3"


def instructions(source: str, lang: str) -> str:
    """What the review copy says before its table: what to edit, and the status values."""
    *first, last = REVIEW_STATUSES
    return (f"Edit the {language_name(lang)} ({lang}) text, the status and the comment; the "
            f"grey columns are read-only and an edit there is refused on import. Status: "
            f"{', '.join(first)} or {last} (capitals or not), or leave it empty; anything "
            f"else is refused on import. A reviewed or final status whose {source} text "
            "has changed since shows as translated: review it again.")


def _running_lines(document: Document, sheet: Sheet, source: str, lang: str) -> None:
    """Which sheet and language pair above every page; "page X of Y" below."""
    section = document.sections[0]
    header, footer = section.header.paragraphs[0], section.footer.paragraphs[0]
    header.style = footer.style = "Running"
    add_plain_run(header, f"Review copy · {sheet.id} · {sheet.organisation.get(source, '')} · "
                          f"{language_name(source)} ({source}) → {language_name(lang)} ({lang})",
                  "en")
    add_plain_run(footer, "page ", "en")
    mark_field(add_field(footer, "PAGE"), "en")
    add_plain_run(footer, " of ", "en")
    mark_field(add_field(footer, "NUMPAGES"), "en")


def render_review(sheet: Sheet, lang: str) -> bytes:
    """The review copy of ``sheet`` for the target language ``lang`` as DOCX bytes."""
    if lang not in sheet.languages:
        raise UsageError(f"{lang!r} is not a language of the sheet {sheet.id} "
                         f"({', '.join(sheet.languages)})")
    source = next(code for code in sheet.languages if code != lang)
    document = sheet_document(sheet, f" – review {lang}", landscape=True)
    section = document.sections[0]
    # A wide table with no running header: the side margin all round.
    margin = Mm(style.PAGE_MARGINS_MM.left)
    section.top_margin = section.bottom_margin = margin
    section.left_margin = section.right_margin = margin
    _running_lines(document, sheet, source, lang)
    units = list(sheet.units())
    add_plain_run(document.add_paragraph(), instructions(source, lang), "en")
    table = document.add_table(rows=1 + len(units), cols=5)
    table.style = document.styles["Table Grid"]
    header = table.rows[0]
    set_table_header(header)
    titles = ("Key", f"{language_name(source)} ({source}) – read-only",
              f"{language_name(lang)} ({lang})", f"Status ({', '.join(REVIEW_STATUSES)})",
              "Comment")
    for cell, title in zip(header.cells, titles, strict=True):
        add_plain_run(cell.paragraphs[0], title, "en", bold=True)
        shade_cell(cell, HEADER_FILL)
    base: list[BaseUnit] = []
    bookmark_id = 1
    for unit, row in zip(units, table.rows[1:], strict=True):
        set_cant_split(row)
        key_cell, source_cell, target_cell, status_cell, comment_cell = row.cells
        add_plain_run(key_cell.paragraphs[0], unit.key, "en")
        shade_cell(key_cell, READ_ONLY_FILL)
        source_text = unit.text(source)
        if source_text:
            add_marked_up_runs(source_cell.paragraphs[0], source_text, source)
        shade_cell(source_cell, READ_ONLY_FILL)
        target_text = unit.text(lang)
        if target_text:
            add_marked_up_runs(target_cell.paragraphs[0], target_text, lang)
        else:
            shade_cell(target_cell, MISSING_FILL)
        verdict = sheet.verdict(lang, unit)  # stale verdicts show their fallback
        status = verdict.status if verdict else ""
        comment = verdict.comment if verdict else ""
        if status:
            add_plain_run(status_cell.paragraphs[0], status, "en")
        if comment:
            add_plain_run(comment_cell.paragraphs[0], comment, lang)
        for column, cell in ((0, key_cell), (2, target_cell)):
            bookmark_cell(cell, bookmark_name(unit.key, column), bookmark_id)
            bookmark_id += 1
        for cell, cell_lang in ((target_cell, lang), (status_cell, "en"), (comment_cell, lang)):
            set_paragraph_mark(cell.paragraphs[0], language_tag(cell_lang), style.FONT_FAMILY)
            allow_editing(cell, bookmark_id)
            bookmark_id += 1
        texts = {code: text for code in (source, lang) if (text := unit.text(code))}
        base.append(BaseUnit(unit.key, unit.kind, texts, status, comment))
    set_table_widths(table, [mm_to_twips(width) for width in COLUMN_WIDTHS_MM])
    protect_read_only(document)
    return finish(document, {PROP_KIND: KIND_REVIEW, PROP_SHEET: sheet.id,
                             PROP_BASE: sheet_version(sheet), PROP_LANG: lang},
                  base_part(KIND_REVIEW, sheet, base, {}, lang))
