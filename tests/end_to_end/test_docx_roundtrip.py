"""The translator's round trip through LibreOffice: generate → re-save → edit → import.

LibreOffice re-saves all the DOCX files of this module in one headless run
(about 2–3 s); each test imports into a fresh copy of the project.
"""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest

from briefing.core.load import load_project
from briefing.core.model import source_hash
from tests.cli_runner import run
from tests.conftest import REPO
from tests.docx_helpers import (
    SHEET,
    W,
    needs_soffice,
    part,
    replace_in_cell,
    resave_with_libreoffice,
    row_of,
    set_cell,
    table_rows,
)

pytestmark = [pytest.mark.libreoffice, needs_soffice]

YAML_NAME = f"data/sheets/{SHEET}.yaml"
EDITED_BEFORE = ("description.silk-routes-declaration", "important landmark")


@pytest.fixture(scope="module")
def resaved(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """Sheet DOCX and review copy made by the CLI, and an edited copy, re-saved by LibreOffice."""
    work = tmp_path_factory.mktemp("libreoffice")
    root = work / "project"
    root.mkdir()
    for name in ("data", "templates"):
        shutil.copytree(REPO / name, root / name)
    (root / "fonts").symlink_to(REPO / "fonts", target_is_directory=True)
    assert run(root, "build", "--sheet", SHEET, "--output", str(work / "out"))[0] == 0
    assert run(root, "review", "--lang", "ru", "--sheet", SHEET)[0] == 0
    sheet = work / "sheet.docx"
    shutil.copyfile(work / "out" / f"{SHEET}.docx", sheet)
    review = work / "review.docx"
    shutil.copyfile(root / "reports" / "review" / f"{SHEET}-ru.docx", review)
    key, words = EDITED_BEFORE
    original = sheet.read_bytes()
    edited = work / "edited.docx"
    edited.write_bytes(set_cell(original, row_of(original, key), 0, [
        ("Celebrating its 20th anniversary in 2013, the Budapest Process witnessed an ", {}),
        (words, {"bold": True}),
        (" when the Istanbul Ministerial Declaration on a Silk Routes Partnership for Migration "
         "was adopted in Turkey.", {}),
    ]))
    files = resave_with_libreoffice([sheet, review, edited], work)
    return {path.stem: path.read_bytes() for path in files} | {"original": original}


def _import(project: Path, content: bytes, *args: str) -> tuple[int, str, str]:
    path = project / "translated.docx"
    path.write_bytes(content)
    return run(project, "import-docx", str(path), *args)


def test_libreoffice_really_rewrote_the_files(resaved: dict[str, bytes]) -> None:
    assert resaved["sheet"] != resaved["original"]
    rows = table_rows(part(resaved["sheet"], "word/document.xml"))
    assert rows[0].find(f"{W}trPr/{W}tblHeader") is not None
    assert all(tr.find(f"{W}trPr/{W}cantSplit") is not None for tr in rows[1:])
    langs = {r.find(f"{W}rPr/{W}lang").get(f"{W}val") for tr in rows for r in tr.iter(f"{W}r")}
    assert langs == {"en-GB", "ru-RU"}


def test_a_resaved_docx_imports_without_any_change(project: Path, sheet_file: Path,
                                                   resaved: dict[str, bytes]) -> None:
    before = sheet_file.read_bytes()
    assert _import(project, resaved["sheet"]) == (0, f"no changes for {YAML_NAME}\n", "")
    assert _import(project, resaved["review"]) == (0, f"no changes for {YAML_NAME}\n", "")
    assert sheet_file.read_bytes() == before


def test_a_city_edited_after_the_resave_lands_with_its_field(
        project: Path, sheet_file: Path, resaved: dict[str, bytes]) -> None:
    """The text and the activity's ``city`` stay one truth; nothing else changes."""
    content = resaved["sheet"]
    key = "activities.2013-04-istanbul"
    row = row_of(content, key)
    edited = replace_in_cell(content, row, 1, "Стамбул", "Истанбул")
    original = sheet_file.read_text(encoding="utf-8")
    code, out, err = _import(project, edited)
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert len(lines) == 3
    assert lines[0].startswith(f"{key}.ru: 19 апреля 2013 г., Стамбул, ")
    assert "→ 19 апреля 2013 г., Истанбул, " in lines[0]
    assert lines[1:] == [f"{key}.city.ru: Стамбул → Истанбул",
                         f"wrote {YAML_NAME} (2 change(s))"]
    new = sheet_file.read_text(encoding="utf-8")
    start = original.index(f"key: {key}")
    expected = original[:start] + original[start:].replace(
        "city: {en: Istanbul, ru: Стамбул}", "city: {en: Istanbul, ru: Истанбул}", 1).replace(
        "19 апреля 2013 г., Стамбул,", "19 апреля 2013 г., Истанбул,", 1)
    assert new == expected


def test_bold_made_before_the_resave_comes_back_as_markup(project: Path, sheet_file: Path,
                                                          resaved: dict[str, bytes]) -> None:
    key, words = EDITED_BEFORE
    code, out, _ = _import(project, resaved["edited"])
    assert code == 0
    assert out.splitlines()[-1] == f"wrote {YAML_NAME} (1 change(s))"
    assert out.splitlines()[0].startswith(f"{key}.en: ")
    text = sheet_file.read_text(encoding="utf-8")
    assert f"**{words}**" in text.replace("\n            ", " ")


def test_review_copy_round_trip_after_the_resave(project: Path, sheet_file: Path,
                                                 resaved: dict[str, bytes]) -> None:
    content = resaved["review"]
    key = "best-practices.networking"
    row = row_of(content, key)
    content = set_cell(content, row, 3, [("final", {})])
    content = set_cell(content, row, 4, [("Терминология согласована", {})])
    code, out, err = _import(project, content)
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        f"{key}.review.ru.status: (none) → final",
        f"{key}.review.ru.comment: (none) → Терминология согласована",
        f"wrote {YAML_NAME} (2 change(s))",
    ]
    sheet = load_project(project / "data", project).project.sheets[SHEET]
    source = next(unit for unit in sheet.units() if unit.key == key).texts["en"]
    assert sheet_file.read_text(encoding="utf-8").endswith(
        f"review:\n  ru:\n    {key}:\n      status: final\n"
        f"      comment: Терминология согласована\n      source_hash: {source_hash(source)}\n")


def test_rows_deleted_in_a_resaved_file_are_refused(project: Path, sheet_file: Path,
                                                    resaved: dict[str, bytes]) -> None:
    import docx

    document = docx.Document(io.BytesIO(resaved["sheet"]))
    table = document.tables[0]
    table._tbl.remove(table.rows[4]._tr)
    out = io.BytesIO()
    document.save(out)
    before = sheet_file.read_bytes()
    code, _, err = _import(project, out.getvalue())
    assert code == 1
    assert err == ("translated.docx: row 5 (description.title) was deleted; to remove it from "
                   f"{YAML_NAME} too, run: python3 generate.py import-docx translated.docx "
                   "--allow-delete\nError: 1 edit(s) refused; nothing was written. Change them "
                   "in the DOCX, or import the other edits with --partial\n")
    assert sheet_file.read_bytes() == before
