"""What the DOCX tests share: reading parts, editing cells as a translator would, LibreOffice."""

from __future__ import annotations

import io
import shutil
import subprocess
import zipfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import docx
import pytest
from lxml import etree

from briefing.core.load import load_project
from briefing.paged.render import Renderer
from briefing.word.sheet import render_docx

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
SHEET = "budapest-process"

needs_soffice = pytest.mark.skipif(shutil.which("soffice") is None,
                                   reason="LibreOffice (soffice) is not on PATH")


def part(content: bytes, name: str) -> Any:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return etree.fromstring(archive.read(name))


def replace_part(content: bytes, name: str, data: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(content)) as source, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info.filename,
                            data if info.filename == name else source.read(info.filename))
    return out.getvalue()


def edit_document(content: bytes, edit: Callable[[Any], None]) -> bytes:
    """Apply ``edit`` to the root of word/document.xml and pack the result."""
    root = part(content, "word/document.xml")
    edit(root)
    return replace_part(content, "word/document.xml", etree.tostring(root))


def table_rows(root: Any) -> list[Any]:
    return list(next(root.iter(f"{W}tbl")).findall(f"{W}tr"))


def set_cell(content: bytes, row: int, column: int,
             runs: Sequence[tuple[str, dict[str, Any]]]) -> bytes:
    """Replace the text of a cell (rows counted as Word does, header = 1) with ``runs``.

    Each run is ``(text, {"bold": True, "underline": True, ...})``, set through
    python-docx as Word would; bookmarks stay where they were.
    """
    document = docx.Document(io.BytesIO(content))
    cell = document.tables[0].rows[row - 1].cells[column]
    paragraphs = cell.paragraphs
    for paragraph in paragraphs:
        for old in paragraph.runs:
            old._r.getparent().remove(old._r)
    for text, formats in runs:
        run = paragraphs[0].add_run(text)
        for name, value in formats.items():
            if name in ("color",):
                run.font.color.rgb = value
            elif name == "superscript":
                run.font.superscript = value
            else:
                setattr(run.font, name, value)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def replace_in_cell(content: bytes, row: int, column: int, old: str, new: str) -> bytes:
    """Change a few words of a cell, keeping its runs and their formatting."""
    document = docx.Document(io.BytesIO(content))
    cell = document.tables[0].rows[row - 1].cells[column]
    for paragraph in cell.paragraphs:
        for run in paragraph.runs:
            if old in run.text:
                run.text = run.text.replace(old, new)
                out = io.BytesIO()
                document.save(out)
                return out.getvalue()
    raise AssertionError(f"{old!r} not found in row {row}, column {column}")


def cell_text(content: bytes, row: int, column: int) -> str:
    return str(docx.Document(io.BytesIO(content)).tables[0].rows[row - 1].cells[column].text)


def row_of(content: bytes, key: str) -> int:
    """The table row (header = 1) whose first cell carries ``key``'s bookmark."""
    from briefing.word.oxml import bookmark_name

    names = {bookmark_name(key, column) for column in range(3)}
    for number, tr in enumerate(table_rows(part(content, "word/document.xml")), start=1):
        if any(b.get(f"{W}name") in names for b in tr.iter(f"{W}bookmarkStart")):
            return number
    raise AssertionError(f"no row for {key}")


def sheet_docx(project: Path, *, draft: bool = False) -> bytes:
    loaded = load_project(project / "data", project)
    sheet = loaded.project.sheets[SHEET]
    labels = Renderer(project / "templates").labels_for(sheet.languages)
    return render_docx(sheet, labels, draft=draft)


def resave_with_libreoffice(files: Sequence[Path], workdir: Path) -> list[Path]:
    """DOCX → DOCX through LibreOffice headless, as a translator's save would; one run."""
    out = workdir / "resaved"
    profile = workdir / "lo-profile"
    subprocess.run(
        ["soffice", f"-env:UserInstallation={profile.as_uri()}", "--headless",
         "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(out), *map(str, files)],
        check=True, capture_output=True, timeout=180,
    )
    return [out / path.name for path in files]


#: The schema's (ECMA-376) child order of the property elements the writers touch.
SCHEMA_ORDER = {
    "rPr": ("rStyle", "rFonts", "b", "bCs", "i", "iCs", "caps", "smallCaps", "strike", "dstrike",
            "outline", "shadow", "emboss", "imprint", "noProof", "snapToGrid", "vanish",
            "webHidden", "color", "spacing", "w", "kern", "position", "sz", "szCs", "highlight",
            "u", "effect", "bdr", "shd", "fitText", "vertAlign", "rtl", "cs", "em", "lang",
            "eastAsianLayout", "specVanish", "oMath"),
    "pPr": ("pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl",
            "numPr", "suppressLineNumbers", "pBdr", "shd", "tabs", "suppressAutoHyphens", "kinsoku",
            "wordWrap", "overflowPunct", "topLinePunct", "autoSpaceDE", "autoSpaceDN", "bidi",
            "adjustRightInd", "snapToGrid", "spacing", "ind", "contextualSpacing",
            "mirrorIndents", "suppressOverlap", "jc", "textDirection", "textAlignment",
            "textboxTightWrap", "outlineLvl", "divId", "cnfStyle", "rPr", "sectPr", "pPrChange"),
    "tcPr": ("cnfStyle", "tcW", "gridSpan", "hMerge", "vMerge", "tcBorders", "shd", "noWrap",
             "tcMar", "textDirection", "tcFitText", "vAlign", "hideMark"),
    "tblPr": ("tblStyle", "tblpPr", "tblOverlap", "bidiVisual", "tblStyleRowBandSize",
              "tblStyleColBandSize", "tblW", "jc", "tblCellSpacing", "tblInd", "tblBorders",
              "shd", "tblLayout", "tblCellMar", "tblLook"),
    "docDefaults": ("rPrDefault", "pPrDefault"),
}


def misordered(content: bytes) -> list[str]:
    """Property elements whose children break the schema's order (Word refuses those)."""
    found = []
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        names = [n for n in archive.namelist() if n.startswith("word/") and n.endswith(".xml")]
    for name in names:
        root = part(content, name)
        for tag, order in SCHEMA_ORDER.items():
            for element in root.iter(f"{W}{tag}"):
                children = [etree.QName(child).localname for child in element
                            if etree.QName(child).namespace == W[1:-1]]
                positions = [order.index(c) for c in children if c in order]
                if positions != sorted(positions) or len(set(children)) != len(children):
                    found.append(f"{name}: {tag}: {children}")
    return found
