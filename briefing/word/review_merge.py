"""A review copy back into the YAML: the target texts, and each unit's status and comment.

A review copy carries back only what its editable columns hold: the target text,
the status and the comment (a Word comment anchored in the row joins the
comment). Its source column and its rows are fixed: an edited source text, an
added or a deleted row is refused.
"""

from __future__ import annotations

from ..core import markup
from ..core.model import REVIEW_STATUSES, Sheet, Unit, source_hash
from ..core.yamledit import YamlEditor
from .read import DocxContent, DocxRow
from .texts import Change, Decider, Edits, edit_text, normal


def merge_review(docx: DocxContent, sheet: Sheet, decider: Decider,
                 editor: YamlEditor) -> Edits:
    edits = Edits([], [], [])
    units = {unit.key: unit for unit in sheet.units()}
    comments: dict[int, list[str]] = {}
    for comment in docx.comments:
        comments.setdefault(comment.row, []).append(comment.text)
    for row in docx.rows:
        if row.key is None:
            edits.refused.append(f"{row.where(docx.name)}: a row was added; a review copy "
                                 "carries back texts, statuses and comments, not rows")
            continue
        _review_row(docx, row, units.get(row.key), sheet, decider, editor, edits,
                    " / ".join(comments.get(row.number, [])))
    for unit in docx.deleted:
        edits.refused.append(f"{docx.name}: the row of {unit.key} was deleted; a review copy "
                             "keeps every row (leave the target empty instead)")
    edits.notes += decider.notes
    return edits


def _review_row(docx: DocxContent, row: DocxRow, unit: Unit | None, sheet: Sheet,
                decider: Decider, editor: YamlEditor, edits: Edits, word_comment: str) -> None:
    key = row.key or ""
    where = row.where(docx.name)
    target = docx.lang
    source = next(code for code in docx.languages if code != target)
    base = docx.base_unit(key)
    _key_cell, source_cell, target_cell, status_cell, comment_cell = row.cells
    if unit is None:
        edits.refused.append(f"{where}: this unit is no longer in the sheet; its edit has "
                             "nowhere to go")
        return
    if source_cell.markup != normal(base.texts.get(source, "")):
        edits.refused.append(f"{where}: the source text ({source}) was edited; a review copy "
                             "carries back only the target text, status and comment")
        return
    written = markup.plain(status_cell.markup).strip()
    status = written.lower()
    if status and status not in REVIEW_STATUSES:
        edits.refused.append(f"{where}: status {written!r} is not a review status; write "
                             f"{', '.join(REVIEW_STATUSES[:-1])} or {REVIEW_STATUSES[-1]} "
                             "(capitals or not), or leave it empty")
        return
    for what in target_cell.dropped:
        edits.notes.append(f"{key}.{target}: {what} dropped")
    theirs = target_cell.markup
    if theirs != normal(base.texts.get(target, "")):
        if not theirs:
            edits.refused.append(f"{where}: the {target} text was emptied; a review copy cannot "
                                 "delete a translation")
        else:
            change = edit_text(decider, editor, unit, target, normal(base.texts.get(target, "")),
                               theirs, where)
            if change is not None:
                edits.changes.append(change)
    comment = comment_cell.markup
    if word_comment and comment == base.comment:
        comment = word_comment if not comment else f"{comment} / {word_comment}"
    # A verdict on a source text changed since counts as its fallback (the copy shows that);
    # a verdict written now records the source text the reviewer saw.
    verdict = sheet.verdict(target, unit)
    ours_status = verdict.status if verdict else ""
    ours_comment = verdict.comment if verdict else ""
    new_status = decider.decide(where, key, "status", base.status, ours_status, status)
    new_comment = decider.decide(where, key, "comment", base.comment, ours_comment, comment)
    # A stale verdict left as shown is written as its fallback (recorded → fallback);
    # marked again, it is renewed (fallback → the new status).
    old_status = ours_status if new_status != ours_status or verdict is None else \
        verdict.recorded
    changed = False
    for what, old, new in (("status", old_status, new_status),
                           ("comment", ours_comment, new_comment)):
        if new != old:
            edits.changes.append(Change(key, f"review.{target}.{what}", old, new))
            changed = True
    if changed:
        editor.set_review(target, key, new_status, new_comment,
                          source_hash(base.texts.get(source)))
