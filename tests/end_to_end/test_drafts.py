"""A missing translation holds back only the documents that print it; DRAFT marks only them."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.build.test_unfinished import without_almaty_ru
from tests.cli_runner import run
from tests.conftest import keep_blocks
from tests.docx_helpers import part
from tests.pdftext import pages

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
HELD = ("pack UZ: not built: check finds an error in activities.2015-05-almaty.ru, which it "
        "prints")
NOT_BUILT = ("Error: 1 document(s) not built: they print what check finds errors in; fix them, "
             "or build with --draft to show placeholders")


#: The seed's blocks kept: Bulgaria's pack prints the Sofia meeting, Uzbekistan's the
#: Almaty one (whose ru text ``without_almaty_ru`` takes away), each with the sheet's title
#: and contact; two pages a pack.
BLOCKS = ["description.title", "activities.2011-02-sofia", "activities.2015-05-almaty",
          "contact"]


@pytest.fixture
def seed(sheet_file: Path) -> Path:
    """The seed sheet of ``project``, cut to ``BLOCKS``."""
    keep_blocks(sheet_file, BLOCKS)
    return sheet_file


def pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() for page in pages(path))


def header_text(docx: Path) -> str:
    return "".join(part(docx.read_bytes(), "word/header1.xml").itertext())


def test_a_missing_translation_stops_only_the_packs_printing_it(
    project: Path, seed: Path
) -> None:
    without_almaty_ru(seed)
    packs = project / "reports" / "packs"
    result = run(project, "packs", "-j", "1", "--country", "BG", "--country", "UZ")
    assert result.code == 1
    assert result.err.splitlines()[-2:] == [HELD, NOT_BUILT]
    assert sorted(p.name for p in packs.iterdir()) == ["bg.docx", "bg.pdf"]
    assert "DRAFT" not in pdf_text(packs / "bg.pdf")
    # Bulgaria's pack prints nothing of that activity: asked alone, it builds and succeeds.
    assert run(project, "packs", "-j", "1", "--country", "BG", "--force").code == 0


def test_a_draft_marks_the_pack_with_a_placeholder_and_leaves_a_complete_one_alone(
    project: Path, seed: Path
) -> None:
    original = seed.read_text(encoding="utf-8")
    packs = project / "reports" / "packs"
    assert run(project, "packs", "-j", "1", "--country", "BG").code == 0
    final = (packs / "bg.pdf").read_bytes(), (packs / "bg.docx").read_bytes()
    without_almaty_ru(seed)

    result = run(project, "packs", "-j", "1", "--draft", "--country", "BG", "--country", "UZ")
    assert result.code == 0, result.err
    assert "built pack UZ" in result.out.splitlines()
    assert "built pack BG" not in result.out.splitlines()
    assert ((packs / "bg.pdf").read_bytes(), (packs / "bg.docx").read_bytes()) == final
    drafted = pdf_text(packs / "uz.pdf")
    assert "DRAFT" in drafted
    assert "ЧЕРНОВИК" in drafted
    assert "Перевод ожидается" in drafted
    assert "DRAFT" in header_text(packs / "uz.docx")
    assert "DRAFT" not in header_text(packs / "bg.docx")

    # Translated again, the same pack is built final.
    seed.write_text(original, encoding="utf-8")
    assert run(project, "packs", "-j", "1", "--draft", "--country", "UZ").code == 0
    assert "DRAFT" not in pdf_text(packs / "uz.pdf")
    assert "DRAFT" not in header_text(packs / "uz.docx")
