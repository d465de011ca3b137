"""import-docx without LibreOffice: changes, conflicts, choices, refusals; YAML kept intact."""

from __future__ import annotations

import tracemalloc
from pathlib import Path

import pytest

from briefing.core.load import load_project
from briefing.word.oxml import BASE_NS
from briefing.word.read import MAX_DOCX_BYTES
from briefing.word.texts import shorten_pair
from tests.cli_runner import run
from tests.docx_helpers import (
    SHEET,
    part,
    replace_in_cell,
    replace_part,
    row_of,
    set_cell,
    sheet_docx,
)

YAML_NAME = f"data/sheets/{SHEET}.yaml"


def write_docx(project: Path, content: bytes, name: str = "in.docx") -> Path:
    path = project / name
    path.write_bytes(content)
    return path


def edit_yaml(sheet_file: Path, old: str, new: str) -> None:
    text = sheet_file.read_text(encoding="utf-8")
    assert text.count(old) == 1
    sheet_file.write_text(text.replace(old, new), encoding="utf-8")


def unit_text(project: Path, key: str, lang: str) -> str:
    sheet = load_project(project / "data", project).project.sheets[SHEET]
    return next(u for u in sheet.units() if u.key == key).texts[lang]


def test_one_edited_cell_changes_exactly_one_line(project: Path, sheet_file: Path) -> None:
    content = sheet_docx(project)
    original = sheet_file.read_text(encoding="utf-8")
    edited = replace_in_cell(content, 2, 1, "Информация участника", "Информация для участника")
    code, out, err = run(project, "import-docx", str(write_docx(project, edited)))
    assert (code, err) == (0, "")
    assert out == ("title.ru: Информация участника → Информация для участника\n"
                   f"wrote {YAML_NAME} (1 change(s))\n")
    assert sheet_file.read_text(encoding="utf-8") == \
        original.replace("  ru: Информация участника\n", "  ru: Информация для участника\n")


def test_bold_added_in_word_lands_as_markup_in_the_folded_block(project: Path,
                                                                sheet_file: Path) -> None:
    content = sheet_docx(project)
    original = sheet_file.read_text(encoding="utf-8").splitlines()
    key = "description.silk-routes-declaration"
    old = unit_text(project, key, "en")
    bold = "important landmark"
    before, after = old.split(bold)
    edited = set_cell(content, row_of(content, key), 0,
                      [(before, {}), (bold, {"bold": True}), (after, {})])
    code, out, _ = run(project, "import-docx", str(write_docx(project, edited)))
    assert code == 0
    assert out.splitlines()[0] == (
        f"{key}.en: …st Process witnessed an important landmark when the Istanbul Minis… → "
        "…st Process witnessed an **important landmark** when the Istanbul Minis…")
    assert unit_text(project, key, "en") == f"{before}**{bold}**{after}"
    new = sheet_file.read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(original) if f"key: {key}" in line) + 2
    assert original[start].strip() == "en: >-"
    assert new[: start + 1] == original[: start + 1]
    old_end = start + 4
    assert original[old_end].strip() == "ru: >-"
    new_end = next(i for i in range(start, len(new)) if new[i].strip() == "ru: >-")
    assert new[new_end:] == original[old_end:]
    assert max(len(line) for line in new[start:new_end]) <= 96


def test_unchanged_docx_changes_nothing_even_with_literal_stars(project: Path,
                                                                sheet_file: Path) -> None:
    edit_yaml(sheet_file, "over 50 governments", "over 5 * 10 governments")
    before = sheet_file.read_bytes()
    code, out, _ = run(project, "import-docx", str(write_docx(project, sheet_docx(project))))
    assert (code, out) == (0, f"no changes for {YAML_NAME}\n")
    assert sheet_file.read_bytes() == before


def _conflicting(project: Path, sheet_file: Path) -> Path:
    path = write_docx(project, replace_in_cell(sheet_docx(project), 2, 1, "участника",
                                               "участников"))
    edit_yaml(sheet_file, "  ru: Информация участника\n", "  ru: Сведения об участнике\n")
    return path


CONFLICT = ("in.docx: row 2 (title): ru changed in both: base “Информация участника”, "
            "YAML “Сведения об участнике”, DOCX “Информация участников” (choose with --theirs "
            "title or --ours title)")


def test_conflict_lists_base_yaml_docx_and_writes_nothing(project: Path,
                                                          sheet_file: Path) -> None:
    path = _conflicting(project, sheet_file)
    before = sheet_file.read_bytes()
    code, out, err = run(project, "import-docx", str(path))
    assert (code, out) == (1, "")
    assert err.splitlines() == [
        CONFLICT,
        "Error: 1 conflict(s); nothing was written. Choose with --theirs (keep the DOCX) or "
        "--ours (keep the YAML), for all or for the keys named",
    ]
    assert sheet_file.read_bytes() == before


def test_theirs_takes_the_docx(project: Path, sheet_file: Path) -> None:
    path = _conflicting(project, sheet_file)
    code, out, _ = run(project, "import-docx", str(path), "--theirs")
    assert code == 0
    assert out.splitlines()[0] == "title.ru: Сведения об участнике → Информация участников"
    assert unit_text(project, "title", "ru") == "Информация участников"


def test_ours_keeps_the_yaml(project: Path, sheet_file: Path) -> None:
    path = _conflicting(project, sheet_file)
    before = sheet_file.read_bytes()
    code, out, _ = run(project, "import-docx", str(path), "--ours")
    assert code == 0
    assert out.splitlines() == ["title.ru: changed in both; kept the YAML's (--ours)",
                                f"no changes for {YAML_NAME}"]
    assert sheet_file.read_bytes() == before


def test_theirs_and_ours_exclude_each_other(project: Path) -> None:
    code, _, err = run(project, "import-docx", "x.docx", "--theirs", "--ours")
    assert (code, err) == (2, "Error: --theirs and --ours without keys contradict each other; "
                              "name keys\n")
    code, _, err = run(project, "import-docx", "x.docx", "--theirs", "title", "--ours", "title")
    assert (code, err) == (2, "Error: title is given to both --theirs and --ours\n")


def test_yaml_only_change_is_kept_and_same_change_is_no_conflict(project: Path,
                                                                 sheet_file: Path) -> None:
    content = sheet_docx(project)
    edited = replace_in_cell(content, 3, 0, "Budapest Process", "The Budapest Process")
    edit_yaml(sheet_file, "  en: Budapest Process\n", "  en: The Budapest Process\n")
    edit_yaml(sheet_file, "  en: Participant Information\n", "  en: Participants\n")
    before = sheet_file.read_bytes()
    code, out, _ = run(project, "import-docx", str(write_docx(project, edited)))
    assert (code, out) == (0, f"no changes for {YAML_NAME}\n")
    assert sheet_file.read_bytes() == before


def test_dry_run_prints_and_writes_nothing(project: Path, sheet_file: Path) -> None:
    edited = replace_in_cell(sheet_docx(project), 2, 1, "участника", "участников")
    before = sheet_file.read_bytes()
    code, out, _ = run(project, "import-docx", str(write_docx(project, edited)), "--dry-run")
    assert code == 0
    assert out == ("title.ru: Информация участника → Информация участников\n"
                   f"dry run: 1 change(s) not written to {YAML_NAME}\n")
    assert sheet_file.read_bytes() == before


def test_a_contact_field_edited_in_one_column_is_imported(project: Path,
                                                            sheet_file: Path) -> None:
    content = sheet_docx(project)
    key = "contact.secretariat.telephone"
    edited = replace_in_cell(content, row_of(content, key), 1, "+43", "+44")
    before = sheet_file.read_text(encoding="utf-8")
    code, out, _ = run(project, "import-docx", str(write_docx(project, edited)))
    assert code == 0
    assert out.splitlines() == [
        "contact.secretariat.telephone: +43 1 504 4677 0 → +44 1 504 4677 0",
        f"wrote {YAML_NAME} (1 change(s))",
    ]
    assert sheet_file.read_text(encoding="utf-8") == before.replace(
        'telephone: "+43 1 504 4677 0"', 'telephone: "+44 1 504 4677 0"')


def test_dropped_formatting_is_reported_with_the_change(project: Path) -> None:
    content = sheet_docx(project)
    edited = set_cell(content, 2, 0, [("Participant ", {}), ("Info", {"underline": True})])
    code, out, _ = run(project, "import-docx", str(write_docx(project, edited)))
    assert code == 0
    assert out.splitlines() == ["title.en: Participant Information → Participant Info",
                                "title.en: underline dropped",
                                f"wrote {YAML_NAME} (1 change(s))"]


def _bad(project: Path, sheet_file: Path, content: bytes) -> str:
    before = sheet_file.read_bytes()
    code, out, err = run(project, "import-docx", str(write_docx(project, content)))
    assert (code, out) == (1, "")
    assert sheet_file.read_bytes() == before
    lines = err.splitlines()
    assert len(lines) == 1
    return lines[0]


def test_docx_of_an_unknown_sheet(project: Path, sheet_file: Path) -> None:
    content = sheet_docx(project)
    custom = part(content, "docProps/custom.xml")
    for prop in custom:
        if prop.get("name") == "briefing.sheet":
            prop[0].text = "another-sheet"
    base = part(content, "customXml/item2.xml")
    base.set("sheet", "another-sheet")
    from lxml import etree
    content = replace_part(content, "docProps/custom.xml", etree.tostring(custom))
    content = replace_part(content, "customXml/item2.xml", etree.tostring(base))
    assert _bad(project, sheet_file, content) == \
        "Error: in.docx: made from the sheet 'another-sheet', which is not in data/sheets/"
    assert base.tag == f"{{{BASE_NS}}}briefing"


def _refused(project: Path, sheet_file: Path, content: bytes) -> list[str]:
    """The lines of a refused import, which must leave the YAML byte-identical."""
    before = sheet_file.read_bytes()
    code, out, err = run(project, "import-docx", str(write_docx(project, content)))
    assert (code, out) == (1, "")
    assert sheet_file.read_bytes() == before
    *refused, last = err.splitlines()
    assert last == (f"Error: {len(refused)} edit(s) refused; nothing was written. Change them "
                    "in the DOCX, or import the other edits with --partial")
    return refused


def test_emptied_cell_is_refused(project: Path, sheet_file: Path) -> None:
    edited = set_cell(sheet_docx(project), 2, 1, [])
    assert _refused(project, sheet_file, edited) == [
        "in.docx: row 2 (title): the ru text was emptied; write a text instead"]


def test_unit_gone_from_the_yaml(project: Path, sheet_file: Path) -> None:
    content = sheet_docx(project)
    key = "best-practices.familiarity"
    edited = replace_in_cell(content, row_of(content, key), 0, "the", "THE")
    text = sheet_file.read_text(encoding="utf-8")
    start = text.index(f"          - key: {key}")
    end = text.index("          - key: best-practices.project-ideas")
    sheet_file.write_text(text[:start] + text[end:], encoding="utf-8")
    assert _refused(project, sheet_file, edited) == [
        f"in.docx: row {row_of(content, key)} ({key}): this unit is no longer in "
        f"{YAML_NAME}; its edit has nowhere to go"]


@pytest.mark.parametrize(("content", "message"), [
    (b"not a zip", "Error: in.docx: not a DOCX file (not a zip archive)"),
    (b"PK\x03\x04broken", "Error: in.docx: not a DOCX file (not a zip archive)"),
])
def test_bad_files_leave_the_yaml_alone(project: Path, sheet_file: Path, content: bytes,
                                        message: str) -> None:
    assert _bad(project, sheet_file, content) == message


def test_missing_file(project: Path) -> None:
    code, _, err = run(project, "import-docx", str(project / "nowhere.docx"))
    assert code == 1
    assert err == "Error: nowhere.docx: cannot read: No such file or directory\n"


def test_shorten_pair_shows_the_changed_part_with_context() -> None:
    old = "a" * 100 + "XYZ" + "b" * 100
    new = "a" * 100 + "Q" + "b" * 100
    assert shorten_pair(old, new) == ("…" + "a" * 24 + "XYZ" + "b" * 24 + "…",
                                      "…" + "a" * 24 + "Q" + "b" * 24 + "…")
    assert shorten_pair("", "new") == ("(none)", "new")


def test_languages_swapped_since_the_docx(project: Path, sheet_file: Path) -> None:
    content = sheet_docx(project)
    edit_yaml(sheet_file, "languages: [en, ru]", "languages: [ru, en]")
    assert _bad(project, sheet_file, content) == (
        f"Error: in.docx: made for the languages en/ru, but {YAML_NAME} is now in ru/en")


def test_a_placeholder_of_a_draft_filled_in_adds_the_language(project: Path,
                                                              sheet_file: Path) -> None:
    edit_yaml(sheet_file, "  ru: Будапештский процесс\n", "")
    draft = sheet_docx(project, draft=True)
    untouched = write_docx(project, draft, "draft.docx")
    assert run(project, "import-docx", str(untouched)) == (0, f"no changes for {YAML_NAME}\n", "")
    filled = replace_in_cell(draft, 3, 1, "Перевод ожидается", "Будапештский процесс")
    code, out, _ = run(project, "import-docx", str(write_docx(project, filled)))
    assert code == 0
    assert out.splitlines()[0] == "organisation.ru: (none) → Будапештский процесс"
    assert "organisation:\n  en: Budapest Process\n  ru: Будапештский процесс\n" in \
        sheet_file.read_text(encoding="utf-8")


def test_an_oversized_docx_is_refused_before_it_is_read(project: Path) -> None:
    path = project / "huge.docx"
    with path.open("wb") as file:
        file.truncate(MAX_DOCX_BYTES + 1)  # sparse: no disk used
    tracemalloc.start()
    try:
        code, _, err = run(project, "import-docx", str(path))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert (code, err) == (1, f"Error: huge.docx: file is {MAX_DOCX_BYTES + 1} bytes, larger "
                              f"than the {MAX_DOCX_BYTES} bytes allowed\n")
    assert peak < MAX_DOCX_BYTES // 8
