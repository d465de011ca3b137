"""``new``: a new organisation's sheet, as YAML to keep and a DOCX to fill in.

The YAML comes from ``templates/new-sheet.yaml`` (:mod:`briefing.core.newsheet`);
it is validated as any sheet is, then drawn as the sheet DOCX with draft
placeholders, which the organisation fills in with Word and ``import-docx``
brings back. Nothing is left behind when a step fails: the YAML is removed again.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..core.files import write_atomic
from ..core.labels import labels_for, load_labels
from ..core.load import SHEETS_DIR, display_name, load_project
from ..core.newsheet import check_name, check_sheet_id, new_sheet_text, read_template
from ..word.sheet import render_docx
from .options import ProjectPaths


@dataclass(frozen=True)
class NewSheet:
    yaml: Path
    docx: Path


def start_sheet(paths: ProjectPaths, sheet_id: str, organisation_en: str,
                organisation_ru: str | None, output_dir: Path) -> NewSheet:
    """Write ``data/sheets/<sheet_id>.yaml`` and ``<output_dir>/<sheet_id>.docx``."""
    sheets_dir = paths.data / SHEETS_DIR
    check_sheet_id(sheet_id, sheets_dir, display_name(sheets_dir, paths.root))
    english = check_name(organisation_en, "--organisation")
    russian = check_name(organisation_ru, "--organisation-ru") \
        if organisation_ru is not None else None
    text = new_sheet_text(read_template(paths.templates), sheet_id, english, russian)
    sheet_file = sheets_dir / f"{sheet_id}.yaml"
    docx_file = output_dir / f"{sheet_id}.docx"
    write_atomic(sheet_file, text.encode("utf-8"))
    try:
        sheet = load_project(paths.data, paths.root, [sheet_id]).project.sheets[sheet_id]
        labels = labels_for(load_labels(paths.templates), sheet.languages)
        write_atomic(docx_file, render_docx(sheet, labels, draft=True))
    except BaseException:  # an invalid sheet, an unwritable DOCX, an interrupt
        sheet_file.unlink(missing_ok=True)
        raise
    return NewSheet(sheet_file, docx_file)
