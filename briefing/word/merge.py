"""An edited DOCX back into the YAML: compare DOCX, base and YAML; write exactly what changed.

Three versions of every text meet here: the *base* (what the DOCX was made
from, carried inside it), *ours* (the YAML now) and *theirs* (the DOCX now).
A text changed only in the DOCX is written; changed only in the YAML, kept;
changed in both to different texts, a conflict: nothing is written unless
``--theirs`` or ``--ours`` chooses. The edited YAML is validated like any data
before it replaces the file, in one atomic step.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from ..core import markup
from ..core.files import write_atomic
from ..core.load import COUNTRIES_FILE, SHEETS_DIR, display_name, load_project
from ..core.model import REVIEW_STATUSES, Sheet, Unit
from ..core.rows import sheet_rows
from ..core.yamledit import YamlEditor
from ..errors import ConflictError, DocxImportError
from .oxml import KIND_REVIEW
from .read import MAX_DOCX_BYTES, DocxContent, DocxRow, read_docx

Resolution = Literal["ask", "theirs", "ours"]
#: Characters of context shown round a change in a long text.
CONTEXT = 24


@dataclass(frozen=True)
class Change:
    """One value to write: a text (``lang``) or a review field of a unit."""

    key: str
    what: str
    old: str
    new: str

    def __str__(self) -> str:
        old, new = shorten_pair(self.old, self.new)
        return f"{self.key}.{self.what}: {old} → {new}"


@dataclass
class ImportReport:
    sheet_file: str
    changes: list[Change] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    written: bool = False


def import_docx(docx_path: Path, data_dir: Path, root: Path, *,
                resolution: Resolution = "ask", dry_run: bool = False) -> ImportReport:
    """Carry the edits of ``docx_path`` into its sheet's YAML; see the module's docstring."""
    name = display_name(docx_path, root)
    try:
        size = docx_path.stat().st_size
        if size > MAX_DOCX_BYTES:
            # Refused before reading, so a huge file never lands in memory.
            raise DocxImportError(f"{name}: file is {size} bytes, larger than the "
                                  f"{MAX_DOCX_BYTES} bytes allowed")
        content = docx_path.read_bytes()
    except OSError as error:
        raise DocxImportError(f"{name}: cannot read: {error.strerror}") from None
    docx = read_docx(content, name)
    sheet_path = data_dir / SHEETS_DIR / f"{docx.sheet_id}.yaml"
    shown = display_name(sheet_path, root)
    if not sheet_path.is_file():
        raise DocxImportError(f"{name}: made from the sheet {docx.sheet_id!r}, which is not "
                              f"in {display_name(sheet_path.parent, root)}/")
    original = sheet_path.read_bytes()
    sheet = load_project(data_dir, root, only=[docx.sheet_id]).project.sheets[docx.sheet_id]
    if tuple(sheet.languages) != docx.languages:
        raise DocxImportError(f"{name}: made for the languages {'/'.join(docx.languages)}, "
                              f"but {shown} is now in {'/'.join(sheet.languages)}")
    report = ImportReport(shown)
    conflicts: list[str] = []
    merger = _Merger(docx, sheet, resolution, report, conflicts)
    for row in docx.rows:
        merger.row(row)
    if conflicts:
        raise ConflictError(conflicts)
    if not report.changes:
        return report
    editor = YamlEditor(original.decode("utf-8"), shown)
    for change, path in merger.edits:
        if path is None:
            status, comment = merger.review_values(change.key)
            editor.set_review(docx.lang, change.key, status, comment)
        else:
            editor.set_text(path, change.what, change.new)
    new_text = editor.text().encode("utf-8")
    _validate(new_text, data_dir, sheet_path)
    if dry_run:
        return report
    if sheet_path.read_bytes() != original:
        raise DocxImportError(f"{shown} changed while importing; nothing written, try again")
    write_atomic(sheet_path, new_text)
    report.written = True
    return report


class _Merger:
    """Decides, row by row, what the DOCX changes, collecting conflicts and notes."""

    def __init__(self, docx: DocxContent, sheet: Sheet, resolution: Resolution,
                 report: ImportReport, conflicts: list[str]) -> None:
        self.docx = docx
        self.sheet = sheet
        self.resolution = resolution
        self.report = report
        self.conflicts = conflicts
        self.units: dict[str, Unit] = {unit.key: unit for unit in sheet.units()}
        self.plain_keys = {row.key for row in sheet_rows(sheet) if row.kind == "contact-plain"}
        self.edits: list[tuple[Change, tuple[str | int, ...] | None]] = []
        self.review: dict[str, tuple[str, str]] = {}

    def row(self, row: DocxRow) -> None:
        if self.docx.kind == KIND_REVIEW:
            self._review_row(row)
            return
        for cell, lang in zip(row.cells, self.docx.languages, strict=True):
            for what in cell.dropped:
                self.report.notes.append(f"{row.key}.{lang}: {what} dropped")
            self._text(row, lang, cell.markup)

    def _review_row(self, row: DocxRow) -> None:
        target = self.docx.lang
        source = next(code for code in self.docx.languages if code != target)
        base = self.docx.base_unit(row.key)
        _key_cell, source_cell, target_cell, status_cell, comment_cell = row.cells
        if source_cell.markup != _normal(base.texts.get(source, "")):
            raise DocxImportError(f"{row.where(self.docx.name)}: the source text ({source}) was "
                                  "edited; a review copy carries back only the target text, "
                                  "status and comment")
        for what in target_cell.dropped:
            self.report.notes.append(f"{row.key}.{target}: {what} dropped")
        self._text(row, target, target_cell.markup)
        status = markup.plain(status_cell.markup).strip().lower()
        if status and status not in REVIEW_STATUSES:
            raise DocxImportError(f"{row.where(self.docx.name)}: status {status!r} is not one "
                                  f"of {', '.join(REVIEW_STATUSES)}")
        comment = comment_cell.markup
        current = self.sheet.review.get(target, {}).get(row.key)
        ours_status = (current.status or "") if current else ""
        ours_comment = current.comment if current else ""
        new_status = self._decide(row, "status", base.status, ours_status, status)
        new_comment = self._decide(row, "comment", base.comment, ours_comment, comment)
        self.review[row.key] = (new_status, new_comment)
        for what, old, new in (("status", ours_status, new_status),
                               ("comment", ours_comment, new_comment)):
            if new != old:
                change = Change(row.key, f"review.{target}.{what}", old, new)
                self.report.changes.append(change)
                if not any(edit[0].key == row.key and edit[1] is None for edit in self.edits):
                    self.edits.append((change, None))

    def review_values(self, key: str) -> tuple[str, str]:
        return self.review[key]

    def _text(self, row: DocxRow, lang: str, theirs: str) -> None:
        base = _normal(self.docx.base_unit(row.key).texts.get(lang, ""))
        if theirs == base:
            return
        where = f"{row.where(self.docx.name)}"
        if row.key in self.plain_keys or self.docx.base_unit(row.key).kind == "contact-plain":
            self.report.notes.append(f"{row.key}.{lang}: the same in every language, not "
                                     f"translated; edit ignored (change it in "
                                     f"{self.report.sheet_file})")
            return
        unit = self.units.get(row.key)
        if unit is None:
            raise DocxImportError(f"{where}: this unit is no longer in {self.report.sheet_file}; "
                                  "its edit has nowhere to go")
        if not theirs:
            raise DocxImportError(f"{where}: the {lang} text was emptied; texts cannot be "
                                  f"deleted through a DOCX (edit {self.report.sheet_file})")
        ours_raw = unit.texts.get(lang, "")
        new = self._decide(row, lang, base, _normal(ours_raw), theirs)
        if new != _normal(ours_raw):
            change = Change(row.key, lang, ours_raw, new)
            self.report.changes.append(change)
            self.edits.append((change, unit.path))

    def _decide(self, row: DocxRow, what: str, base: str, ours: str, theirs: str) -> str:
        """Three-way choice of one value; records a conflict when it cannot decide."""
        if theirs in (base, ours):
            return ours
        if ours == base or self.resolution == "theirs":
            return theirs
        if self.resolution == "ours":
            self.report.notes.append(f"{row.key}.{what}: changed in both; kept the YAML's (--ours)")
            return ours
        self.conflicts.append(
            f"{row.where(self.docx.name)}: {what} changed in both: base {_quote(base)}, "
            f"YAML {_quote(ours)}, DOCX {_quote(theirs)}")
        return ours


def _normal(text: str) -> str:
    """A text as the DOCX round trip writes it back: markup re-derived from its runs."""
    return markup.to_markup(markup.parse(text)).strip()


def _quote(text: str, limit: int = 60) -> str:
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return f'"{text}"'


def shorten_pair(old: str, new: str) -> tuple[str, str]:
    """The two texts cut to the part that differs, with a little context either side."""
    prefix = 0
    while prefix < min(len(old), len(new)) and old[prefix] == new[prefix]:
        prefix += 1
    suffix = 0
    while suffix < min(len(old), len(new)) - prefix and old[-1 - suffix] == new[-1 - suffix]:
        suffix += 1
    start = max(0, prefix - CONTEXT)
    return _cut(old, start, suffix), _cut(new, start, suffix)


def _cut(text: str, start: int, suffix: int) -> str:
    end = min(len(text), len(text) - suffix + CONTEXT)
    piece = text[start:end]
    if len(piece) > 3 * CONTEXT:
        piece = piece[: int(1.5 * CONTEXT)] + " … " + piece[-int(1.5 * CONTEXT):]
    return ("…" if start > 0 else "") + piece + ("…" if end < len(text) else "") \
        if text else "(none)"


def _validate(new_text: bytes, data_dir: Path, sheet_path: Path) -> None:
    """Validate the edited sheet as a build would, in a scratch copy of the data folder."""
    with tempfile.TemporaryDirectory(prefix="briefing-import-") as scratch:
        root = Path(scratch)
        sheets = root / "data" / SHEETS_DIR
        sheets.mkdir(parents=True)
        shutil.copyfile(data_dir / COUNTRIES_FILE, root / "data" / COUNTRIES_FILE)
        (sheets / sheet_path.name).write_bytes(new_text)
        load_project(root / "data", root, only=[sheet_path.stem])


def describe(report: ImportReport, *, dry_run: bool) -> Iterator[str]:
    """What the command line prints after an import."""
    yield from (str(change) for change in report.changes)
    yield from report.notes
    if not report.changes:
        yield f"no changes for {report.sheet_file}"
    elif dry_run:
        yield f"dry run: {len(report.changes)} change(s) not written to {report.sheet_file}"
    else:
        yield f"wrote {report.sheet_file} ({len(report.changes)} change(s))"
