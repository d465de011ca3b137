"""The review copy: key, source (read-only), target, status, comment — and its way back."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from briefing.core.load import load_project
from briefing.core.model import source_hash
from briefing.errors import DataError
from briefing.word.oxml import language_tag, mm_to_twips, read_custom_properties
from briefing.word.review import MISSING_FILL, READ_ONLY_FILL, render_review
from tests.cli_runner import run
from tests.conftest import REPO
from tests.docx_helpers import (
    SHEET,
    W,
    misordered,
    part,
    replace_in_cell,
    row_of,
    set_cell,
    table_rows,
)

YAML_NAME = f"data/sheets/{SHEET}.yaml"
REVIEW = f"reports/review/{SHEET}-ru.docx"


def review_of(project: Path) -> bytes:
    sheet = load_project(project / "data", project).project.sheets[SHEET]
    return render_review(sheet, "ru")


@pytest.fixture(scope="module")
def content() -> bytes:
    return review_of(REPO)


def _fill(tc: Any) -> str | None:
    shading = tc.find(f"{W}tcPr/{W}shd")
    return None if shading is None else shading.get(f"{W}fill")


def test_landscape_table_of_five_fixed_columns(content: bytes) -> None:
    body = part(content, "word/document.xml")
    size = body.find(f".//{W}sectPr/{W}pgSz")
    assert size.get(f"{W}orient") == "landscape"
    assert (size.get(f"{W}w"), size.get(f"{W}h")) == (str(mm_to_twips(297)), str(mm_to_twips(210)))
    grid = [int(c.get(f"{W}w")) for c in next(body.iter(f"{W}tbl")).find(f"{W}tblGrid")]
    assert grid == [mm_to_twips(mm) for mm in (38, 85, 85, 22, 35)]
    header = table_rows(body)[0]
    assert ["".join(tc.itertext()) for tc in header.findall(f"{W}tc")] == \
        ["Key", "English (en) – read-only", "Русский (ru)",
         "Status (initial, translated, reviewed, final)", "Comment"]
    assert header.find(f"{W}trPr/{W}tblHeader") is not None


def test_one_row_per_translatable_unit_source_shaded(content: bytes) -> None:
    sheet = load_project(REPO / "data", REPO).project.sheets[SHEET]
    units = list(sheet.units())
    rows = table_rows(part(content, "word/document.xml"))[1:]
    assert len(rows) == len(units)
    for unit, tr in zip(units, rows, strict=True):
        key, source, target, _status, _comment = tr.findall(f"{W}tc")
        assert "".join(key.itertext()) == unit.key
        assert (_fill(key), _fill(source), _fill(target)) == (READ_ONLY_FILL, READ_ONLY_FILL, None)
        assert {r.find(f"{W}rPr/{W}lang").get(f"{W}val") for r in source.iter(f"{W}r")} == \
            {language_tag("en")}
        assert {r.find(f"{W}rPr/{W}lang").get(f"{W}val") for r in target.iter(f"{W}r")} == \
            {language_tag("ru")}
    custom = read_custom_properties(part(content, "docProps/custom.xml"))
    assert (custom["briefing.kind"], custom["briefing.lang"]) == ("review", "ru")


def test_missing_translation_is_an_empty_highlighted_cell(project: Path, sheet_file: Path) -> None:
    text = sheet_file.read_text(encoding="utf-8")
    sheet_file.write_text(text.replace("  ru: Будапештский процесс\n", ""), encoding="utf-8")
    rows = table_rows(part(review_of(project), "word/document.xml"))
    target = rows[2].findall(f"{W}tc")[2]
    assert "".join(target.itertext()) == ""
    assert _fill(target) == MISSING_FILL


def test_cli_writes_the_review_copy_once(project: Path) -> None:
    assert run(project, "review", "--lang", "ru", "--sheet", SHEET) == (0, f"wrote {REVIEW}\n", "")
    assert run(project, "review", "--lang", "ru", "--sheet", SHEET) == \
        (0, f"unchanged {REVIEW}\n", "")
    assert (project / REVIEW).read_bytes() == review_of(project)


def test_language_not_in_the_sheet(project: Path) -> None:
    assert run(project, "review", "--lang", "de", "--sheet", SHEET) == (
        2, "", f"Error: 'de' is not a language of the sheet {SHEET} (en, ru)\n")


def test_status_comment_and_target_come_back(project: Path, sheet_file: Path) -> None:
    content = review_of(project)
    key = "description.forum"
    row = row_of(content, key)
    content = replace_in_cell(content, row, 2, "более 50", "свыше 50")
    content = set_cell(content, row, 3, [("Reviewed", {})])
    content = set_cell(content, row, 4, [("Check the number: 50?", {})])
    path = project / "review.docx"
    path.write_bytes(content)
    code, out, err = run(project, "import-docx", str(path))
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        f"{key}.ru: …консультативным форумом более 50 правительств и 10 м… → "
        "…консультативным форумом свыше 50 правительств и 10 м…",
        f"{key}.review.ru.status: (none) → reviewed",
        f"{key}.review.ru.comment: (none) → Check the number: 50?",
        f"wrote {YAML_NAME} (3 change(s))",
    ]
    sheet = load_project(project / "data", project).project.sheets[SHEET]
    verdict = sheet.review["ru"][key]
    assert (verdict.status, verdict.comment) == ("reviewed", "Check the number: 50?")
    source = next(u for u in sheet.units() if u.key == key).texts["en"]
    assert sheet_file.read_text(encoding="utf-8").endswith(
        f"review:\n  ru:\n    {key}:\n      status: reviewed\n"
        f"      comment: 'Check the number: 50?'\n      source_hash: {source_hash(source)}\n")
    again = review_of(project)
    texts = ["".join(tc.itertext()) for tc in
             table_rows(part(again, "word/document.xml"))[row - 1].findall(f"{W}tc")]
    assert texts[3:] == ["reviewed", "Check the number: 50?"]


def test_a_missing_translation_filled_in_review(project: Path, sheet_file: Path) -> None:
    text = sheet_file.read_text(encoding="utf-8")
    sheet_file.write_text(text.replace("  ru: Будапештский процесс\n", ""), encoding="utf-8")
    content = set_cell(review_of(project), 3, 2, [("Будапештский ", {}),
                                                  ("процесс", {"italic": True})])
    (project / "review.docx").write_bytes(content)
    code, out, _ = run(project, "import-docx", str(project / "review.docx"))
    assert code == 0
    assert out.splitlines()[0] == "organisation.ru: (none) → Будапештский *процесс*"
    assert "organisation:\n  en: Budapest Process\n  ru: Будапештский *процесс*\n" in \
        sheet_file.read_text(encoding="utf-8")


@pytest.mark.parametrize(("column", "runs", "message"), [
    (1, [("Changed source", {})], "the source text (en) was edited; a review copy carries back "
                                  "only the target text, status and comment"),
    (3, [("Done", {})], "status 'Done' is not a review status; write initial, translated, "
                        "reviewed or final (capitals or not), or leave it empty"),
])
def test_refused_edits_leave_the_yaml_alone(project: Path, sheet_file: Path, column: int,
                                            runs: list[tuple[str, dict[str, Any]]],
                                            message: str) -> None:
    (project / "review.docx").write_bytes(set_cell(review_of(project), 2, column, runs))
    before = sheet_file.read_bytes()
    assert run(project, "import-docx", str(project / "review.docx")) == \
        (1, "", f"review.docx: row 2 (title): {message}\nError: 1 edit(s) refused; nothing was "
                "written. Change them in the DOCX, or import the other edits with --partial\n")
    assert sheet_file.read_bytes() == before


def test_review_status_is_validated_in_the_data(project: Path, sheet_file: Path) -> None:
    with sheet_file.open("a", encoding="utf-8") as stream:
        stream.write("review:\n  ru:\n    title:\n      status: done\n")
    with pytest.raises(DataError) as caught:
        load_project(project / "data", project)
    assert "review.ru.title.status" in str(caught.value)


def test_property_elements_keep_the_schemas_order(content: bytes) -> None:
    assert misordered(content) == []


def test_protected_with_target_status_and_comment_editable(content: bytes) -> None:
    settings = part(content, "word/settings.xml")
    protection = settings.find(f"{W}documentProtection")
    assert (protection.get(f"{W}edit"), protection.get(f"{W}enforcement")) == ("readOnly", "1")
    for tr in table_rows(part(content, "word/document.xml"))[1:]:
        cells = tr.findall(f"{W}tc")
        editable = [tc.find(f".//{W}permStart") is not None for tc in cells]
        assert editable == [False, False, True, True, True]
        for tc in cells[2:]:
            start = tc.find(f".//{W}permStart")
            assert start.get(f"{W}edGrp") == "everyone"
            assert tc.find(f".//{W}permEnd").get(f"{W}id") == start.get(f"{W}id")


def test_the_instructions_before_the_table_name_the_status_values(content: bytes) -> None:
    body = part(content, "word/document.xml").find(f"{W}body")
    first = body[0]
    assert first.tag == f"{W}p"
    assert "".join(first.itertext()) == (
        "Edit the Русский (ru) text, the status and the comment; the grey columns are read-only "
        "and an edit there is refused on import. Status: initial, translated, reviewed or final "
        "(capitals or not), or leave it empty; anything else is refused on import. A reviewed or "
        "final status whose en text has changed since shows as translated: review it again.")


def _status_cell(content: bytes, key: str) -> str:
    row = table_rows(part(content, "word/document.xml"))[row_of(content, key) - 1]
    return "".join(row.findall(f"{W}tc")[3].itertext())


REVIEWED_KEY = "description.forum"


def _reviewed_then_source_changed(project: Path, sheet_file: Path) -> tuple[str, str]:
    """A verdict recorded for the seed's text, whose English text then changes."""
    sheet = load_project(project / "data", project).project.sheets[SHEET]
    old = next(u for u in sheet.units() if u.key == REVIEWED_KEY).texts["en"]
    text = sheet_file.read_text(encoding="utf-8")
    text += (f"review:\n  ru:\n    {REVIEWED_KEY}:\n      status: final\n"
             f"      source_hash: '{source_hash(old)}'\n")
    assert "forum with over 50 governments" in text
    sheet_file.write_text(text.replace("forum with over 50", "forum of over 50"),
                          encoding="utf-8")
    new = old.replace("forum with over 50", "forum of over 50")
    assert new != old
    return old, new


def test_a_verdict_on_a_changed_source_shows_as_translated(project: Path,
                                                           sheet_file: Path) -> None:
    content = review_of(project)
    assert _status_cell(content, REVIEWED_KEY) == ""
    _reviewed_then_source_changed(project, sheet_file)
    assert _status_cell(review_of(project), REVIEWED_KEY) == "translated"


def test_a_stale_verdict_marked_again_records_the_new_source(project: Path,
                                                             sheet_file: Path) -> None:
    _old, new = _reviewed_then_source_changed(project, sheet_file)
    content = review_of(project)
    content = set_cell(content, row_of(content, REVIEWED_KEY), 3, [("FINAL", {})])
    (project / "review.docx").write_bytes(content)
    code, out, err = run(project, "import-docx", str(project / "review.docx"))
    assert (code, err) == (0, "")
    assert out.splitlines() == [f"{REVIEWED_KEY}.review.ru.status: translated → final",
                                f"wrote {YAML_NAME} (1 change(s))"]
    assert sheet_file.read_text(encoding="utf-8").endswith(
        f"    {REVIEWED_KEY}:\n      status: final\n      source_hash: '{source_hash(new)}'\n")
    assert _status_cell(review_of(project), REVIEWED_KEY) == "final"


def test_a_stale_verdict_left_as_shown_falls_back_in_the_yaml(project: Path,
                                                              sheet_file: Path) -> None:
    _old, new = _reviewed_then_source_changed(project, sheet_file)
    content = review_of(project)
    content = set_cell(content, row_of(content, REVIEWED_KEY), 4, [("Source reworded", {})])
    (project / "review.docx").write_bytes(content)
    code, out, err = run(project, "import-docx", str(project / "review.docx"))
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        f"{REVIEWED_KEY}.review.ru.status: final → translated",
        f"{REVIEWED_KEY}.review.ru.comment: (none) → Source reworded",
        f"wrote {YAML_NAME} (2 change(s))"]
    assert sheet_file.read_text(encoding="utf-8").endswith(
        f"    {REVIEWED_KEY}:\n      status: translated\n      source_hash: '{source_hash(new)}'\n"
        "      comment: Source reworded\n")


def test_every_page_names_the_sheet_and_the_language_pair_and_counts_pages(
        project: Path) -> None:
    content = review_of(project)
    header = "".join(t.text or "" for t in part(content, "word/header1.xml").iter(f"{W}t"))
    assert header == ("Review copy · budapest-process · Budapest Process · English (en) → "
                      "Русский (ru)")
    footer = part(content, "word/footer1.xml")
    assert "".join(t.text or "" for t in footer.iter(f"{W}t")) == "page 1 of 1"  # until updated
    assert [f.get(f"{W}instr").strip() for f in footer.iter(f"{W}fldSimple")] == \
        ["PAGE", "NUMPAGES"]


def test_a_word_comment_in_a_row_becomes_its_review_comment(project: Path) -> None:
    import io

    import docx

    content = review_of(project)
    key = "description.forum"
    document = docx.Document(io.BytesIO(content))
    cell = document.tables[0].rows[row_of(content, key) - 1].cells[2]
    document.add_comment(cell.paragraphs[0].runs[0], text="Check the figures", author="R")
    out = io.BytesIO()
    document.save(out)
    (project / "review.docx").write_bytes(out.getvalue())
    code, printed, err = run(project, "import-docx", str(project / "review.docx"))
    assert (code, err) == (0, "")
    assert printed.splitlines() == [f"{key}.review.ru.comment: (none) → Check the figures",
                                    f"wrote {YAML_NAME} (1 change(s))"]
    sheet = load_project(project / "data", project).project.sheets[SHEET]
    assert sheet.review["ru"][key].comment == "Check the figures"
