"""Word as an editing surface: every kind of edit an organisation sends, made in the DOCX
with python-docx (as Word would) and, again, re-saved by LibreOffice before the import.

Each edit is imported into its own copy of the project; the YAML is then read back as
data (what a build would print), and every refusal leaves the YAML byte-identical.
"""

from __future__ import annotations

import copy
import datetime as dt
import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import docx
import pytest
from lxml import etree

from briefing.core.load import load_project
from briefing.core.model import Activity, Contact, ListBlock, Sheet
from tests.cli_runner import run
from tests.conftest import REPO
from tests.docx_helpers import (
    SHEET,
    W,
    needs_soffice,
    resave_with_libreoffice,
    row_of,
    sheet_docx,
)

YAML_NAME = f"data/sheets/{SHEET}.yaml"
TASHKENT = ("10-11 March 2026, Tashkent, Uzbekistan: participation of Kyrgyzstan and "
            "Tajikistan in the regional meeting on labour migration",
            "10-11 марта 2026 г., Ташкент, Узбекистан: участие Кыргызстана и Таджикистана в "
            "региональном совещании по трудовой миграции")


def _rows(document: Any) -> list[Any]:
    return list(document.tables[0]._tbl.findall(f"{W}tr"))


def _set_texts(tr: Any, texts: tuple[str, str]) -> None:
    """Type over both cells of a row, keeping the first run's formatting (as Word does)."""
    for tc, text in zip(tr.findall(f"{W}tc"), texts, strict=True):
        runs = list(tc.iter(f"{W}t"))
        runs[0].text = text
        for other in runs[1:]:
            other.getparent().remove(other)


def _replace(tr: Any, column: int, old: str, new: str) -> None:
    for text in tr.findall(f"{W}tc")[column].iter(f"{W}t"):
        if text.text and old in text.text:
            text.text = text.text.replace(old, new)
            return
    raise AssertionError(f"{old!r} not in the row")


def add_by_copy(document: Any, rows: list[Any], at: Callable[[str], int]) -> None:
    original = rows[at("activities.2011-06-nevsehir") - 1]
    duplicate = copy.deepcopy(original)  # Word's copy and paste of a row keeps its bookmarks
    original.addnext(duplicate)
    _set_texts(duplicate, TASHKENT)


def add_by_copy_above(document: Any, rows: list[Any], at: Callable[[str], int]) -> None:
    """The copy pasted above the original: LibreOffice then keeps the plain bookmark names
    on the copy and renames the original's ``…_Copy_1``."""
    original = rows[at("activities.2011-06-nevsehir") - 1]
    duplicate = copy.deepcopy(original)
    original.addprevious(duplicate)
    _set_texts(duplicate, TASHKENT)


def add_by_insert(document: Any, rows: list[Any], at: Callable[[str], int]) -> None:
    """Insert Row Below, then type: a row with no bookmarks."""
    above = rows[at("activities.2011-06-nevsehir") - 1]
    inserted = copy.deepcopy(above)
    for tag in ("bookmarkStart", "bookmarkEnd"):
        for element in list(inserted.iter(f"{W}{tag}")):
            element.getparent().remove(element)
    above.addnext(inserted)
    _set_texts(inserted, TASHKENT)


def enter_in_a_list_cell(document: Any, rows: list[Any], at: Callable[[str], int]) -> None:
    """Enter at the end of a list item's cell in both columns, then the new item's text."""
    row = rows[at("best-practices.list.open-channels") - 1] if False else \
        rows[at("best-practices.open-channels") - 1]
    for tc, text in zip(row.findall(f"{W}tc"),
                        ("Sharing good practice between regions",
                         "Обмен передовым опытом между регионами"), strict=True):
        paragraph = tc.findall(f"{W}p")[-1]
        new = copy.deepcopy(paragraph)
        for child in list(new):
            if child.tag != f"{W}pPr":
                new.remove(child)
        run = copy.deepcopy(next(paragraph.iter(f"{W}r")))
        for child in list(run):
            if child.tag != f"{W}rPr":
                run.remove(child)
        etree.SubElement(run, f"{W}t").text = text
        new.append(run)
        paragraph.addnext(new)


def delete_a_row(document: Any, rows: list[Any], at: Callable[[str], int]) -> None:
    row = rows[at("activities.2011-02-sofia") - 1]
    row.getparent().remove(row)


def move_up(document: Any, rows: list[Any], at: Callable[[str], int]) -> None:
    """Cut the row and paste it three rows higher."""
    row = at("activities.2013-04-istanbul")
    rows[row - 4].addprevious(rows[row - 1])


def move_down(document: Any, rows: list[Any], at: Callable[[str], int]) -> None:
    row = at("activities.2013-04-istanbul")
    rows[row + 2].addnext(rows[row - 1])


def edit_telephone(document: Any, rows: list[Any], at: Callable[[str], int]) -> None:
    _replace(rows[at("contact.secretariat.telephone") - 1], 0, "4677 0", "4677 100")


def change_a_date(document: Any, rows: list[Any], at: Callable[[str], int]) -> None:
    row = rows[at("activities.2013-04-istanbul") - 1]
    _replace(row, 0, "19 April 2013", "18 April 2013")
    _replace(row, 1, "19 апреля 2013", "18 апреля 2013")


def track_a_change(document: Any, rows: list[Any], at: Callable[[str], int]) -> None:
    run = next(rows[at("activities.2013-04-istanbul") - 1].iter(f"{W}r"))
    inserted = etree.Element(f"{W}ins", {f"{W}id": "900", f"{W}author": "Reviewer",
                                         f"{W}date": "2026-11-01T00:00:00Z"})
    run.addprevious(inserted)
    inserted.append(run)


def add_a_comment(document: Any, rows: list[Any], at: Callable[[str], int]) -> None:
    number = at("activities.2013-04-istanbul")
    paragraph = document.tables[0].rows[number - 1].cells[1].paragraphs[0]
    document.add_comment(paragraph.runs[0], text="Проверить дату", author="Translator")


def bad_telephone_and_a_good_edit(document: Any, rows: list[Any],
                                  at: Callable[[str], int]) -> None:
    _replace(rows[at("contact.secretariat.telephone") - 1], 0, "+43 1 504 4677 0", "call us")
    _replace(rows[at("description.title") - 1], 0, "Budapest", "BUDAPEST")


def edit_title_and_organisation(document: Any, rows: list[Any],
                                at: Callable[[str], int]) -> None:
    _replace(rows[at("title") - 1], 1, "участника", "участников")
    _replace(rows[at("organisation") - 1], 0, "Budapest", "BUDAPEST")


EDITS: dict[str, Callable[[Any, list[Any], Callable[[str], int]], None]] = {
    "add-by-copy": add_by_copy, "add-by-copy-above": add_by_copy_above,
    "add-by-insert": add_by_insert,
    "enter-in-a-list-cell": enter_in_a_list_cell, "delete": delete_a_row,
    "move-up": move_up, "move-down": move_down, "telephone": edit_telephone,
    "date": change_a_date, "tracked-change": track_a_change, "comment": add_a_comment,
    "partial": bad_telephone_and_a_good_edit, "conflict": edit_title_and_organisation,
}


def _edited(content: bytes, edit: Callable[[Any, list[Any], Callable[[str], int]], None]
            ) -> bytes:
    document = docx.Document(io.BytesIO(content))
    edit(document, _rows(document), lambda key: row_of(content, key))
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


@pytest.fixture(scope="module")
def python_docx_edits() -> dict[str, bytes]:
    """Every edit as python-docx leaves it."""
    content = sheet_docx(REPO)
    return {name: _edited(content, edit) for name, edit in EDITS.items()}


@pytest.fixture(scope="module")
def libreoffice_edits(tmp_path_factory: pytest.TempPathFactory,
                      python_docx_edits: dict[str, bytes]) -> dict[str, bytes]:
    """Every edit after one LibreOffice re-save of them all: asked for by the tests marked
    ``libreoffice`` alone, so that no other test waits for LibreOffice."""
    work = tmp_path_factory.mktemp("word-edits")
    files = {name: work / f"{name}.docx" for name in python_docx_edits}
    for name, path in files.items():
        path.write_bytes(python_docx_edits[name])
    resaved = resave_with_libreoffice(list(files.values()), work)
    return {name: path.read_bytes() for name, path in zip(files, resaved, strict=True)}


@pytest.fixture
def edited(request: pytest.FixtureRequest, resaved: bool) -> dict[str, bytes]:
    """Every edit, as the test's ``resaved`` asks: as python-docx left it, or re-saved."""
    found: dict[str, bytes] = request.getfixturevalue(
        "libreoffice_edits" if resaved else "python_docx_edits")
    return found


RESAVED = [pytest.param(False, id="python-docx"),
           pytest.param(True, id="libreoffice", marks=[needs_soffice,
                                                       pytest.mark.libreoffice])]


def _import(project: Path, content: bytes, *options: str) -> tuple[int, list[str], list[str]]:
    path = project / "edited.docx"
    path.write_bytes(content)
    code, out, err = run(project, "import-docx", str(path), *options)
    return code, out.splitlines(), err.splitlines()


def _sheet(project: Path) -> Sheet:
    return load_project(project / "data", project).project.sheets[SHEET]


def _activity_keys(sheet: Sheet) -> list[str]:
    return [activity.key for activity in sheet.activities()]


def _activity(sheet: Sheet, key: str) -> Activity:
    return next(activity for activity in sheet.activities() if activity.key == key)


@pytest.mark.parametrize("resaved", RESAVED)
@pytest.mark.parametrize(("how", "below"), [("add-by-copy", True), ("add-by-copy-above", False),
                                            ("add-by-insert", True)])
def test_a_new_activity_row_becomes_an_activity_with_its_fields(
        project: Path, edited: dict[str, bytes], how: str, below: bool,
        resaved: bool) -> None:
    before = _activity_keys(_sheet(project))
    row = row_of(sheet_docx(REPO), "activities.2011-06-nevsehir") + below
    code, out, err = _import(project, edited[how])
    assert (code, err) == (0, [])
    assert out == ["activities.2026-03-tashkent: new activity 2026-03-10..2026-03-11, "
                   f"Tashkent (UZ), participants KG TJ, participated (row {row})",
                   f"wrote {YAML_NAME} (1 change(s))"]
    sheet = _sheet(project)
    keys = _activity_keys(sheet)
    at = before.index("activities.2011-06-nevsehir") + below
    assert keys == [*before[:at], "activities.2026-03-tashkent", *before[at:]]
    new = _activity(sheet, "activities.2026-03-tashkent")
    assert (new.start, new.end, new.city, new.host, new.participants, new.role) == (
        dt.date(2026, 3, 10), dt.date(2026, 3, 11), {"en": "Tashkent", "ru": "Ташкент"}, "UZ",
        ["KG", "TJ"], "participated")
    assert (new.text["en"], new.text["ru"]) == TASHKENT


@pytest.mark.parametrize("resaved", RESAVED)
def test_enter_in_a_list_cell_adds_a_list_item(
        project: Path, edited: dict[str, bytes], resaved: bool) -> None:
    code, out, err = _import(project, edited["enter-in-a-list-cell"])
    assert (code, err) == (0, [])
    row = row_of(sheet_docx(REPO), "best-practices.open-channels")
    assert out == [f"best-practices.sharing-good-practice-between: new list item (row {row})",
                   f"wrote {YAML_NAME} (1 change(s))"]
    items = next(block for section in _sheet(project).sections for block in section.blocks
                 if isinstance(block, ListBlock)).items
    assert [item.key for item in items[:3]] == [
        "best-practices.open-channels", "best-practices.sharing-good-practice-between",
        "best-practices.personal-contacts"]
    assert items[1].text == {"en": "Sharing good practice between regions",
                             "ru": "Обмен передовым опытом между регионами"}


@pytest.mark.parametrize("resaved", RESAVED)
def test_a_deleted_row_is_removed_only_with_allow_delete(
        project: Path, sheet_file: Path, edited: dict[str, bytes],
        resaved: bool) -> None:
    before = sheet_file.read_bytes()
    row = row_of(sheet_docx(REPO), "activities.2011-02-sofia")
    code, out, err = _import(project, edited["delete"])
    assert (code, out) == (1, [])
    assert err == [
        f"edited.docx: row {row} (activities.2011-02-sofia) was deleted; to remove it from "
        f"{YAML_NAME} too, run: python3 generate.py import-docx edited.docx --allow-delete",
        "Error: 1 edit(s) refused; nothing was written. Change them in the DOCX, or import "
        "the other edits with --partial"]
    assert sheet_file.read_bytes() == before
    code, out, err = _import(project, edited["delete"], "--allow-delete")
    assert (code, err) == (0, [])
    assert out == [f"activities.2011-02-sofia: deleted (was row {row})",
                   f"wrote {YAML_NAME} (1 change(s))"]
    assert "activities.2011-02-sofia" not in _activity_keys(_sheet(project))


@pytest.mark.parametrize("resaved", RESAVED)
@pytest.mark.parametrize(("how", "shift"), [("move-up", -3), ("move-down", 3)])
def test_a_moved_row_moves_its_activity_and_is_named(
        project: Path, edited: dict[str, bytes], how: str, shift: int,
        resaved: bool) -> None:
    before = _activity_keys(_sheet(project))
    row = row_of(sheet_docx(REPO), "activities.2013-04-istanbul")
    code, out, err = _import(project, edited[how])
    assert (code, err) == (0, [])
    assert out == [f"activities.2013-04-istanbul: moved from row {row} to row {row + shift}",
                   f"wrote {YAML_NAME} (1 change(s))"]
    expected = [key for key in before if key != "activities.2013-04-istanbul"]
    expected.insert(before.index("activities.2013-04-istanbul") + shift,
                    "activities.2013-04-istanbul")
    assert _activity_keys(_sheet(project)) == expected


@pytest.mark.parametrize("resaved", RESAVED)
def test_a_telephone_number_is_edited(project: Path, edited: dict[str, bytes],
                                      resaved: bool) -> None:
    code, out, err = _import(project, edited["telephone"])
    assert (code, err) == (0, [])
    assert out == ["contact.secretariat.telephone: +43 1 504 4677 0 → +43 1 504 4677 100",
                   f"wrote {YAML_NAME} (1 change(s))"]
    contact = next(block for section in _sheet(project).sections for block in section.blocks
                   if isinstance(block, Contact))
    assert contact.telephone == "+43 1 504 4677 100"


@pytest.mark.parametrize("resaved", RESAVED)
def test_a_changed_date_updates_start(project: Path, edited: dict[str, bytes],
                                      resaved: bool) -> None:
    code, out, err = _import(project, edited["date"])
    assert (code, err) == (0, [])
    assert out[2:] == ["activities.2013-04-istanbul.dates: 2013-04-19 → 2013-04-18",
                       f"wrote {YAML_NAME} (3 change(s))"]
    assert _activity(_sheet(project), "activities.2013-04-istanbul").start == \
        dt.date(2013, 4, 18)


@pytest.mark.parametrize("resaved", RESAVED)
def test_tracked_changes_are_refused_with_their_row(
        project: Path, sheet_file: Path, edited: dict[str, bytes],
        resaved: bool) -> None:
    before = sheet_file.read_bytes()
    row = row_of(sheet_docx(REPO), "activities.2013-04-istanbul")
    code, out, err = _import(project, edited["tracked-change"])
    assert (code, out) == (1, [])
    assert err == [f"Error: edited.docx: row(s) {row} hold tracked changes; accept or reject "
                   "the tracked changes first (Review → Accept or Reject), save, then import "
                   "again"]
    assert sheet_file.read_bytes() == before


@pytest.mark.parametrize("resaved", RESAVED)
def test_a_word_comment_is_printed_with_its_unit(
        project: Path, sheet_file: Path, edited: dict[str, bytes],
        resaved: bool) -> None:
    before = sheet_file.read_bytes()
    code, out, err = _import(project, edited["comment"])
    assert (code, err) == (0, [])
    assert out == ["activities.2013-04-istanbul.ru: Word comment by Translator: Проверить дату",
                   f"no changes for {YAML_NAME}"]
    assert sheet_file.read_bytes() == before


@pytest.mark.parametrize("resaved", RESAVED)
def test_partial_writes_the_good_edits_and_lists_the_refused(
        project: Path, sheet_file: Path, edited: dict[str, bytes],
        resaved: bool) -> None:
    before = sheet_file.read_bytes()
    row = row_of(sheet_docx(REPO), "contact.secretariat.telephone")
    refusal = (f"edited.docx: row {row} (contact.secretariat.telephone): telephone “call us” "
               "is not a telephone number (digits, spaces and + ( ) - only, e.g. "
               "+43 1 504 4677 0)")
    code, out, err = _import(project, edited["partial"])
    assert (code, out, err) == (1, [], [
        refusal, "Error: 1 edit(s) refused; nothing was written. Change them in the DOCX, or "
                 "import the other edits with --partial"])
    assert sheet_file.read_bytes() == before
    code, out, err = _import(project, edited["partial"], "--partial")
    assert (code, err) == (1, [])
    assert out[0].startswith("description.title.en: Budapest Process – A Silk Routes… → "
                             "BUDAPEST Process")
    assert out[1:] == [f"refused: {refusal}", f"wrote {YAML_NAME} (1 change(s))"]
    title = next(unit for unit in _sheet(project).units() if unit.key == "description.title")
    assert title.texts["en"].startswith("BUDAPEST Process")


@pytest.mark.parametrize("resaved", RESAVED)
def test_conflicts_are_chosen_per_key(project: Path, sheet_file: Path,
                                      edited: dict[str, bytes],
                                      resaved: bool) -> None:
    """The YAML changed the same two texts since the DOCX was made."""
    content = edited["conflict"]
    text = sheet_file.read_text(encoding="utf-8")
    text = text.replace("  ru: Информация участника\n", "  ru: Сведения об участнике\n")
    sheet_file.write_text(text.replace("  en: Budapest Process\n", "  en: The Process\n", 1),
                          encoding="utf-8")
    before = sheet_file.read_bytes()
    code, out, err = _import(project, content)
    assert (code, out) == (1, [])
    assert err == [
        "edited.docx: row 2 (title): ru changed in both: base “Информация участника”, YAML "
        "“Сведения об участнике”, DOCX “Информация участников” (choose with --theirs title "
        "or --ours title)",
        "edited.docx: row 3 (organisation): en changed in both: base “Budapest Process”, "
        "YAML “The Process”, DOCX “BUDAPEST Process” (choose with --theirs organisation or "
        "--ours organisation)",
        "Error: 2 conflict(s); nothing was written. Choose with --theirs (keep the DOCX) or "
        "--ours (keep the YAML), for all or for the keys named"]
    assert sheet_file.read_bytes() == before
    code, out, err = _import(project, content, "--theirs", "title", "--ours",
                             "organisation.en")
    assert (code, err) == (0, [])
    assert out == ["title.ru: Сведения об участнике → Информация участников",
                   "organisation.en: changed in both; kept the YAML's (--ours)",
                   f"wrote {YAML_NAME} (1 change(s))"]
    sheet = _sheet(project)
    assert (sheet.title["ru"], sheet.organisation["en"]) == ("Информация участников",
                                                             "The Process")


def test_a_new_row_with_one_language_empty_is_a_draft(project: Path) -> None:
    content = sheet_docx(project)
    document = docx.Document(io.BytesIO(content))
    rows = _rows(document)
    add_by_insert(document, rows, lambda key: row_of(content, key))
    row = row_of(content, "activities.2011-06-nevsehir") + 1
    for text in _rows(document)[row - 1].findall(f"{W}tc")[1].iter(f"{W}t"):
        text.text = ""
    out_file = io.BytesIO()
    document.save(out_file)
    code, out, err = _import(project, out_file.getvalue())
    assert (code, err) == (0, [])
    assert out == [
        "activities.2026-03-tashkent: new activity 2026-03-10..2026-03-11, Tashkent (UZ), "
        f"participants KG TJ, participated (row {row})",
        "activities.2026-03-tashkent: no ru text yet (a draft): read from en alone",
        "activities.2026-03-tashkent.ru: no text yet; the sheet is a draft until it is "
        "translated",
        f"wrote {YAML_NAME} (1 change(s))"]
    new = _activity(_sheet(project), "activities.2026-03-tashkent")
    assert new.text == {"en": TASHKENT[0]}
    assert new.city == {"en": "Tashkent"}
    code, _, _ = run(project, "build", "--sheet", SHEET, "--output", str(project / "out"))
    assert code == 1  # a final build waits for the translation
