"""Review copies for translators: one DOCX per sheet and target language.

Apart from the other targets because it needs only the Word layer: ``review``
never loads WeasyPrint.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from ..core.load import load_project
from ..word.review import render_review
from .output import Output

REVIEW_DIR = "review"


def review_outputs(data_dir: Path, root: Path, output_dir: Path, lang: str,
                   sheet_ids: Iterable[str] | None = None) -> list[Output]:
    """``review/<sheet-id>-<lang>.docx`` for each sheet (or those named)."""
    loaded = load_project(data_dir, root, sheet_ids)
    return [Output(output_dir / REVIEW_DIR / f"{sheet.id}-{lang}.docx", render_review(sheet, lang))
            for sheet in loaded.project.sheets.values()]
