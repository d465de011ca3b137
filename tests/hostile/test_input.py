"""Bad input gives lines, never a traceback: broken bytes, characters no document can hold,
invisible characters, unknown languages and locales, broken labels, a damaged font, and a
DOCX whose key bookmarks were removed."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.cli_runner import run
from tests.conftest import REPO
from tests.docx_helpers import W, cell_text, edit_document, replace_in_cell, sheet_docx, table_rows
from tests.hostile.support import (
    BUILD,
    SHEET,
    TITLE_EN,
    error_lines,
    refused,
    set_title,
    sheet_file,
    state,
)

SHEET_FILE = f"data/sheets/{SHEET}.yaml"
TITLE_PATH = "sections[0].blocks[0].text.en"


def findings(text: str, kind: str = "error") -> list[str]:
    """check's lines of one severity."""
    return [line for line in text.splitlines() if f": {kind}: " in line]


@pytest.mark.parametrize(("byte", "name"), [(b"\x00", "0000"), (b"\x1b", "001B")])
def test_a_raw_control_byte_is_one_line_at_its_place(project: Path, byte: bytes,
                                                     name: str) -> None:
    path = sheet_file(project)
    content = path.read_bytes()
    at = content.index(TITLE_EN.encode())
    path.write_bytes(content[:at] + b"Budapest" + byte + content[at + len(b"Budapest"):])
    line = content[:at].count(b"\n") + 1
    column = at - content.rfind(b"\n", 0, at) + len("Budapest")
    problem = (f"{SHEET_FILE}:{line}:{column}: malformed YAML: character U+{name} (a control "
               "character) is not allowed in YAML; remove it")
    refused(project, BUILD, [problem])
    result = run(project, "check")
    assert (result.code, findings(result.out)) == (
        1, [problem.replace(": malformed", ": error: malformed") + " [schema]"])


@pytest.mark.parametrize(("char", "what"), [
    ("\ufffe", "noncharacter U+FFFE"), ("\ufdd0", "noncharacter U+FDD0"),
    ("\U0010ffff", "noncharacter U+10FFFF"), ("\x07", "control character U+0007"),
])
def test_a_character_no_document_can_hold_is_refused_where_it_stands(
    project: Path, char: str, what: str
) -> None:
    line = set_title(project, en=f"{TITLE_EN}{char}")
    problem = f"{SHEET_FILE}:{line}:15: {TITLE_PATH}: contains the {what}; remove it"
    refused(project, BUILD, [problem])
    result = run(project, "check")
    assert (result.code, findings(result.out)) == (
        1, [problem.replace(f"15: {TITLE_PATH}", f"15: error: {TITLE_PATH}") + " [schema]"])


def test_a_bidi_override_is_an_error_of_check_and_stops_the_build(project: Path) -> None:
    line = set_title(project, en=TITLE_EN.replace("Silk", "\u202eSilk"))
    finding = (f"{SHEET_FILE}:{line}:15: error: description.title.en: right-to-left override "
               "U+202E in “…udapest Process – A <U+202E>Silk Routes Partner…”; it can reorder "
               "what a reader sees [bidi-control]")
    result = run(project, "check")
    assert (result.code, findings(result.out)) == (1, [finding])
    refused(project, BUILD, [finding, "Error: 1 error(s) found by check; fix them, or build "
                                      "with --draft to show placeholders"])


@pytest.mark.parametrize(("char", "name"), [
    ("\u200b", "zero width space"), ("\u2066", "left-to-right isolate"),
    ("\u200e", "left-to-right mark"), ("\ufeff", "zero width no-break space"),
])
def test_invisible_characters_are_reported(project: Path, char: str, name: str) -> None:
    line = set_title(project, en=TITLE_EN.replace("Silk", f"{char}Silk"))
    result = run(project, "check")
    bidi = char == "\u2066"
    kind, rule = ("error", "bidi-control") if bidi else ("warning", "invisible")
    consequence = "it can reorder what a reader sees" if bidi else "it is invisible"
    assert f"{SHEET_FILE}:{line}:15: {kind}: description.title.en: {name} U+{ord(char):04X} in " \
           f"“…udapest Process – A <U+{ord(char):04X}>Silk Routes Partner…”; {consequence} " \
           f"[{rule}]" in result.out.splitlines()
    assert result.code == (1 if bidi else 0)


def test_a_review_comment_with_a_control_character_is_one_line(project: Path) -> None:
    path = sheet_file(project)
    text = path.read_text(encoding="utf-8")
    path.write_text(text + "review:\n  ru:\n    description.title:\n      status: reviewed\n"
                           '      comment: "bell \\a here"\n', encoding="utf-8")
    line = len(text.splitlines()) + 5
    refused(project, ["review", "--lang", "ru"], [
        f"{SHEET_FILE}:{line}:16: review.ru.description.title.comment: contains the control "
        "character U+0007; remove it"])


def in_language(project: Path, code: str) -> None:
    """The sheet's second language renamed ``code`` (texts and all)."""
    path = sheet_file(project)
    text = path.read_text(encoding="utf-8")
    text = text.replace("languages: [en, ru]", f"languages: [en, {code}]")
    path.write_text(text.replace("\n    ru:", f"\n    {code}:").replace(" ru: ", f" {code}: ")
                    .replace("\n          ru:", f"\n          {code}:"), encoding="utf-8")


def add_labels(project: Path, code: str, locale: str | None) -> None:
    labels = project / "templates" / "labels.yaml"
    text = labels.read_text(encoding="utf-8")
    russian = text[text.index("\nru:\n"):]
    words = russian.replace("\nru:\n", f"\n{code}:\n", 1)
    locale_line = next(line for line in words.splitlines() if line.startswith("  locale:"))
    words = words.replace(locale_line, f"  locale: {locale}" if locale else "", 1)
    labels.write_text(text + words, encoding="utf-8")


def test_a_language_babel_does_not_know_is_checked_and_built(project: Path) -> None:
    in_language(project, "xq")
    add_labels(project, "xq", "ru")
    result = run(project, "check")
    assert result.code == 0, result
    code, _, err = run(project, *BUILD)
    assert code == 0, err


def test_labels_for_a_language_babel_does_not_know_need_a_locale(project: Path) -> None:
    in_language(project, "xq")
    add_labels(project, "xq", None)
    refused(project, BUILD, [
        f"sheet {SHEET}: templates/labels.yaml: xq: Babel knows no locale 'xq'; give one "
        "with locale:", "Error: 1 document(s) failed"])


@pytest.mark.parametrize(("edit", "problem"), [
    (lambda text: text.replace('locale: "en_150"', 'locale: "zz_QQ"', 1),
     "en.locale: Babel knows no locale 'zz_QQ'; give one with locale:"),
    (lambda text: text + "xx: 5\n",
     "xx: expected a mapping of that language's words, not 5"),
    (lambda text: text.replace("  contact:\n", "  contact: 5\n  contactx:\n", 1),
     "en.contact: expected text, a list of texts or a mapping, not 5"),
    (lambda text: text.replace("  pack:\n", "  pack: [a, b]\n  packx:\n", 1),
     "en.pack: expected a mapping, as in ru"),
])
@pytest.mark.parametrize("argv", [["compendium", "-j", "1"], BUILD])
def test_broken_labels_are_one_line_in_every_command(
    project: Path, edit: object, problem: str, argv: list[str]
) -> None:
    labels = project / "templates" / "labels.yaml"
    labels.write_text(edit(labels.read_text(encoding="utf-8")),  # type: ignore[operator]
                      encoding="utf-8")
    document = "compendium" if argv[0] == "compendium" else f"sheet {SHEET}"
    refused(project, argv, [f"{document}: templates/labels.yaml: {problem}",
                            "Error: 1 document(s) failed"])
    result = run(project, "check")
    assert (result.code, findings(result.out)) == (
        1, [f"templates/labels.yaml: error: templates/labels.yaml: {problem} [schema]"])


def test_a_damaged_font_is_an_error_not_a_silent_substitute(project: Path) -> None:
    fonts = project / "fonts"
    fonts.unlink()
    shutil.copytree(REPO / "fonts", fonts)
    (fonts / "NotoSans-Bold.ttf").write_bytes(b"\0\1\0\0 not a font" * 64)
    refused(project, BUILD, [f"sheet {SHEET}: the font 'Noto Sans' cannot be loaded: a file of "
                             "it in fonts/ is missing or damaged",
                             "Error: 1 document(s) failed"])


def without_bookmarks_and_swapped(content: bytes, first: int) -> bytes:
    """The DOCX with every key bookmark removed and table rows ``first`` and ``first + 1``
    (counted from 0, header included) swapped."""
    def edit(document: object) -> None:
        for tag in ("bookmarkStart", "bookmarkEnd"):
            for mark in list(document.iter(f"{W}{tag}")):  # type: ignore[attr-defined]
                mark.getparent().remove(mark)
        rows = table_rows(document)
        table = rows[first].getparent()
        table.remove(rows[first + 1])
        table.insert(table.index(rows[first]), rows[first + 1])
    return edit_document(content, edit)


def test_swapped_rows_without_their_keys_are_matched_by_content(project: Path,
                                                                tmp_path: Path) -> None:
    swapped = without_bookmarks_and_swapped(sheet_docx(project), 3)
    assert cell_text(swapped, 4, 0) == TITLE_EN  # the title's row now stands first
    edited = tmp_path / "edited.docx"
    edited.write_bytes(replace_in_cell(swapped, 4, 0, "Budapest", "BUDAPEST"))
    before = state(project)
    result = run(project, "import-docx", str(edited), "--dry-run")
    assert (result.code, error_lines(result.err)) == (0, [])
    assert result.out.splitlines() == [
        "description.title.en: Budapest Process – A Silk Routes… → BUDAPEST Process – A Silk "
        "Routes…", f"dry run: 1 change(s) not written to {SHEET_FILE}"]
    assert state(project) == before


@pytest.mark.parametrize("span", ["x", "9" * 5000, "2"])
def test_a_cell_span_that_is_no_number_is_a_merge_not_a_traceback(
    project: Path, tmp_path: Path, span: str
) -> None:
    def edit(document: object) -> None:
        cell = table_rows(document)[3].find(f"{W}tc")
        properties = cell.find(f"{W}tcPr")
        if properties is None:
            properties = cell.makeelement(f"{W}tcPr", {})
            cell.insert(0, properties)
        properties.append(properties.makeelement(f"{W}gridSpan", {f"{W}val": span}))
    edited = tmp_path / "edited.docx"
    edited.write_bytes(edit_document(sheet_docx(project), edit))
    refused(project, ["import-docx", str(edited)], [
        f"Error: {edited}: row 4 (description): rows or cells were merged; each row must stay "
        "one unit pair (split them again)"])
