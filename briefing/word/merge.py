"""An edited DOCX back into the YAML: compare DOCX, base and YAML; write exactly what changed.

Three versions of every text meet here: the *base* (what the DOCX was made
from, carried inside it), *ours* (the YAML now) and *theirs* (the DOCX now).
A text changed only in the DOCX is written; changed only in the YAML, kept;
changed in both to different texts, a conflict: nothing is written unless
``--theirs`` or ``--ours`` chooses (for all units, or the keys named).

Rows added in Word become new units where they stand (:mod:`briefing.word.rows`),
a new activity with its dates, city and countries read from its texts; deleted
rows are removed only with ``--allow-delete``; moved rows reorder their list.
Every edit that cannot come back is refused on its own line; by default nothing
is then written, with ``--partial`` the rest is. The edited YAML is validated
like any data before it replaces the file, in one atomic step.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from ..core.files import FileRefusedError, read_bounded, write_atomic
from ..core.labels import labels_for, load_labels
from ..core.load import COUNTRIES_FILE, SHEETS_DIR, display_name, load_project
from ..core.yamledit import YamlEditor
from ..errors import ConflictError, DocxImportError, RefusedEditsError
from .oxml import KIND_REVIEW
from .read import MAX_DOCX_BYTES, read_docx
from .review_merge import merge_review
from .sheet_merge import SheetMerge
from .texts import Change, Decider

Side = Literal["theirs", "ours"]


@dataclass(frozen=True)
class Resolution:
    """How conflicts are settled: ``--theirs``/``--ours`` alone for every unit, or with keys
    (``activities.2011-06-nevsehir`` or ``activities.2011-06-nevsehir.ru``) for those."""

    everything: Side | None = None
    keys: Mapping[str, Side] = field(default_factory=dict)

    def side(self, key: str, what: str) -> Side | None:
        return self.keys.get(f"{key}.{what}") or self.keys.get(key) or self.everything


@dataclass(frozen=True)
class ImportOptions:
    resolution: Resolution = Resolution()
    dry_run: bool = False
    allow_delete: bool = False
    partial: bool = False


@dataclass
class ImportReport:
    sheet_file: str
    changes: list[Change] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    written: bool = False


def import_docx(docx_path: Path, data_dir: Path, root: Path,
                options: ImportOptions = ImportOptions()) -> ImportReport:
    """Carry the edits of ``docx_path`` into its sheet's YAML; see the module's docstring."""
    name = display_name(docx_path, root)
    content = _read_file(docx_path, name)
    docx = read_docx(content, name)
    sheet_path = data_dir / SHEETS_DIR / f"{docx.sheet_id}.yaml"
    shown = display_name(sheet_path, root)
    if not sheet_path.is_file():
        raise DocxImportError(f"{name}: made from the sheet {docx.sheet_id!r}, which is not "
                              f"in {display_name(sheet_path.parent, root)}/")
    if docx.revisions:
        rows = ", ".join(str(number) for number in docx.revisions)
        raise DocxImportError(f"{name}: row(s) {rows} hold tracked changes; accept or reject "
                              "the tracked changes first (Review → Accept or Reject), save, "
                              "then import again")
    # Loaded first: it refuses a sheet file that is a link out of data/sheets/ or no regular
    # file, before anything reads it whole.
    loaded = load_project(data_dir, root, only=[docx.sheet_id])
    original = sheet_path.read_bytes()
    sheet = loaded.project.sheets[docx.sheet_id]
    if tuple(sheet.languages) != docx.languages:
        raise DocxImportError(f"{name}: made for the languages {'/'.join(docx.languages)}, "
                              f"but {shown} is now in {'/'.join(sheet.languages)}")
    report = ImportReport(shown)
    decider = Decider(docx.name, options.resolution.side)
    editor = YamlEditor(original.decode("utf-8"), shown)
    if docx.kind == KIND_REVIEW:
        edits = merge_review(docx, sheet, decider, editor)
    else:
        labels = labels_for(load_labels(root / "templates"), sheet.languages)
        edits = SheetMerge(docx, sheet, loaded.project.countries, decider, editor,
                           allow_delete=options.allow_delete, sheet_file=shown,
                           labels=labels).run()
    report.changes, report.notes, report.refused = edits.changes, edits.notes, edits.refused
    if decider.conflicts and not options.partial:
        raise ConflictError(decider.conflicts)
    if report.refused and not options.partial:
        raise RefusedEditsError(report.refused)
    report.refused += decider.conflicts
    if not report.changes:
        return report
    new_text = editor.text().encode("utf-8")
    _validate(new_text, data_dir, sheet_path)
    if options.dry_run:
        return report
    if sheet_path.read_bytes() != original:
        raise DocxImportError(f"{shown} changed while importing; nothing written, try again")
    write_atomic(sheet_path, new_text)
    report.written = True
    return report


def _read_file(docx_path: Path, name: str) -> bytes:
    """The DOCX's bytes: a regular file only (a link to /dev/zero or a pipe is refused
    before it is read), never more than the cap, whatever its size claims."""
    try:
        return read_bounded(docx_path, MAX_DOCX_BYTES)
    except FileRefusedError as error:
        raise DocxImportError(f"{name}: {error.strerror}") from None
    except OSError as error:
        raise DocxImportError(f"{name}: cannot read: {error.strerror}") from None


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
    yield from (f"refused: {line}" for line in report.refused)
    if not report.changes:
        yield f"no changes for {report.sheet_file}"
    elif dry_run:
        yield f"dry run: {len(report.changes)} change(s) not written to {report.sheet_file}"
    else:
        yield f"wrote {report.sheet_file} ({len(report.changes)} change(s))"

