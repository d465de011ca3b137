"""``new`` starts an organisation's sheet (YAML and DOCX); ``list`` prints sheets and countries.

Every test runs in a copy of the project (the ``project`` fixture): data/ stays as it is.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from briefing.core.load import load_project
from briefing.core.newsheet import yaml_quoted
from briefing.core.rows import sheet_rows
from briefing.word.read import read_docx
from tests.cli_runner import Result, run
from tests.conftest import REPO, SEED_SHEET
from tests.docx_helpers import (
    W,
    cell_text,
    needs_soffice,
    part,
    resave_with_libreoffice,
    row_of,
    set_cell,
)

NEW = "central-asia-forum"
YAML_NAME = f"data/sheets/{NEW}.yaml"
DOCX_NAME = f"reports/{NEW}.docx"
WROTE = (f"wrote {YAML_NAME}\nwrote {DOCX_NAME}\nSend {DOCX_NAME} to the organisation; bring "
         "the filled-in file back with `python3 generate.py import-docx FILE.docx`.\n")
BLOCK_TYPES = ("title", "paragraph", "subheading", "list", "activity", "contact")


def _data_files(project: Path) -> dict[str, bytes]:
    return {str(path.relative_to(project)): path.read_bytes()
            for path in sorted((project / "data").rglob("*")) if path.is_file()}


def _new(project: Path, *extra: str) -> Result:
    return run(project, "new", NEW, "--organisation", "Central Asia Forum", *extra)


def test_new_writes_a_draft_sheet_that_validates_and_its_docx(project: Path) -> None:
    before = _data_files(project)
    assert _new(project) == (0, WROTE, "")
    after = _data_files(project)
    assert set(after) - set(before) == {YAML_NAME}
    assert all(after[name] == content for name, content in before.items())
    sheet = load_project(project / "data", project, [NEW]).project.sheets[NEW]
    seed = load_project(REPO / "data", REPO, [SEED_SHEET]).project.sheets[SEED_SHEET]
    assert [s.key for s in sheet.sections] == [s.key for s in seed.sections]
    assert sheet.languages == ["en", "ru"]
    assert not sheet.sample
    assert sheet.organisation == {"en": "Central Asia Forum"}
    assert {unit.kind for unit in sheet.units()} >= {"title", "paragraph", "list-item",
                                                     "activity", "contact-field"}
    assert all(s.heading.keys() == {"en", "ru"} for s in sheet.sections)
    missing = sorted(unit.key for unit in sheet.units() if "ru" not in unit.texts)
    assert missing == ["activities.first", "best-practices.first", "best-practices.summary",
                       "contact.main.city", "contact.main.organisation", "contact.main.street",
                       "description.summary", "description.title", "organisation"]
    text = (project / YAML_NAME).read_text(encoding="utf-8")
    assert text.startswith("# DRAFT participant information sheet")
    for block_type in BLOCK_TYPES:  # a commented example of every block type
        assert re.search(rf"^ *# - type: {block_type}\b", text, re.M), block_type


def test_the_docx_is_the_sheet_drawn_as_a_draft(project: Path) -> None:
    _new(project)
    content = (project / DOCX_NAME).read_bytes()
    sheet = load_project(project / "data", project, [NEW]).project.sheets[NEW]
    read = read_docx(content, DOCX_NAME)
    assert (read.kind, read.sheet_id) == ("sheet", NEW)
    assert [row.key for row in read.rows] == [row.key for row in sheet_rows(sheet)]
    body = "".join(part(content, "word/document.xml").itertext())
    assert "DRAFT / ЧЕРНОВИК" in body
    assert "How to update this sheet" in body
    row = row_of(content, "description.title")
    assert cell_text(content, row, 0) == "[Full name of the organisation or programme]"
    assert cell_text(content, row, 1) == "Перевод ожидается"


def test_an_untouched_docx_of_a_new_sheet_imports_without_change(project: Path) -> None:
    _new(project)
    yaml_before = (project / YAML_NAME).read_bytes()
    assert run(project, "import-docx", str(project / DOCX_NAME)) == \
        (0, f"no changes for {YAML_NAME}\n", "")
    assert (project / YAML_NAME).read_bytes() == yaml_before


def test_filled_in_docx_makes_the_sheet_final(project: Path) -> None:
    """The organisation fills every empty Russian cell; after the import, a normal build works."""
    _new(project, "--organisation-ru", "Центральноазиатский форум")
    assert run(project, "build", "--sheet", NEW).code == 1  # placeholders still await texts
    content = (project / DOCX_NAME).read_bytes()
    sheet = load_project(project / "data", project, [NEW]).project.sheets[NEW]
    for unit in sheet.units():
        if "ru" not in unit.texts:
            content = set_cell(content, row_of(content, unit.key), 1,
                               [(f"Текст организации ({unit.key})", {})])
    filled = project / "filled.docx"
    filled.write_bytes(content)
    code, out, err = run(project, "import-docx", str(filled))
    assert (code, err) == (0, "")
    assert out.endswith(f"wrote {YAML_NAME} (7 change(s))\n")
    code, out, _ = run(project, "check", YAML_NAME)
    assert " 0 errors" in out.splitlines()[-1]
    assert run(project, "build", "--sheet", NEW).code == 0
    assert (project / "reports" / f"{NEW}.pdf").is_file()


def test_russian_name_fills_the_sheet_and_the_contact(project: Path) -> None:
    assert _new(project, "--organisation-ru", "Центральноазиатский форум").code == 0
    sheet = load_project(project / "data", project, [NEW]).project.sheets[NEW]
    expected = {"en": "Central Asia Forum", "ru": "Центральноазиатский форум"}
    assert sheet.organisation == expected
    contact = next(u for u in sheet.units() if u.key == "contact.main.organisation")
    assert contact.texts == expected


NAMES = [
    'Forum: "Central" #1',
    "O'Brien & Co.: {a, b} [c]",
    "- starts like a list item",
    "yes",
    "null",
    "2015-05-19",
    "@at !tag &anchor *alias | > %",
    r"back\slash \n not a newline",
    "\ufeffwith a byte-order mark",
    "Форум «Степь» 😀",
]


@pytest.mark.parametrize("name", NAMES)
def test_names_are_written_as_yaml_that_reads_back_exactly(project: Path, name: str) -> None:
    assert run(project, "new", NEW, "--organisation", name, "--organisation-ru", name).code == 0
    sheet = load_project(project / "data", project, [NEW]).project.sheets[NEW]
    assert sheet.organisation == {"en": name, "ru": name}
    assert yaml.safe_load(f"value: {yaml_quoted(name)}") == {"value": name}


def test_surrounding_spaces_are_dropped_from_names(project: Path) -> None:
    assert run(project, "new", NEW, "--organisation", "  Forum  ").code == 0
    sheet = load_project(project / "data", project, [NEW]).project.sheets[NEW]
    assert sheet.organisation == {"en": "Forum"}


@pytest.mark.parametrize(("argv", "message"), [
    (["Central_Asia", "--organisation", "F"],
     "Error: 'Central_Asia' is not a valid sheet id: use lower-case letters, digits and '-' "
     "(for example central-asia-forum)"),
    (["--organisation", "F", "--", "-central"],
     "Error: '-central' is not a valid sheet id: use lower-case letters, digits and '-' "
     "(for example central-asia-forum)"),
    (["central--asia", "--organisation", "F"],
     "Error: 'central--asia' is not a valid sheet id: use lower-case letters, digits and '-' "
     "(for example central-asia-forum)"),
    ([SEED_SHEET, "--organisation", "F"],
     f"Error: data/sheets/{SEED_SHEET}.yaml already exists; choose another id or edit that "
     "file"),
    (["compendium", "--organisation", "F"],
     "Error: 'compendium' cannot be a sheet id: its documents would overwrite "
     "reports/compendium.pdf"),
    ([NEW, "--organisation", "  "],
     "Error: --organisation is empty; give the organisation's name"),
    ([NEW, "--organisation", "F", "--organisation-ru", ""],
     "Error: --organisation-ru is empty; give the organisation's name"),
    ([NEW, "--organisation", "Two\nlines"],
     "Error: --organisation must be one line of printable text"),
    ([NEW, "--organisation", "F", "--organisation-ru", "bell\x07"],
     "Error: --organisation-ru must be one line of printable text"),
    ([NEW, "--organisation", "F\u2028G"],
     "Error: --organisation must be one line of printable text"),
    ([NEW], "Error: the following arguments are required: --organisation (see --help)"),
    (["--organisation", "F"], "Error: the following arguments are required: ID (see --help)"),
])
def test_refusals_are_one_error_line_and_write_nothing(project: Path, argv: list[str],
                                                       message: str) -> None:
    before = _data_files(project)
    code, out, err = run(project, "new", *argv)
    assert code == 2
    assert out == ""
    assert err == message + "\n"
    assert _data_files(project) == before
    assert not (project / "reports").exists()


def test_a_template_that_does_not_validate_leaves_nothing_behind(project: Path) -> None:
    template = project / "templates" / "new-sheet.yaml"
    template.write_text(template.read_text(encoding="utf-8").replace("host: UZ", "host: XX"),
                        encoding="utf-8")
    before = _data_files(project)
    code, out, err = _new(project)
    assert (code, out) == (1, "")
    assert re.fullmatch(rf"{YAML_NAME}:\d+:\d+: sections\[1\]\.blocks\[0\]\.host: unknown "
                        r"country code 'XX' \(not in countries\.yaml\)\n", err)
    assert _data_files(project) == before
    assert not (project / DOCX_NAME).exists()


def test_a_missing_template_is_one_error_line(project: Path) -> None:
    (project / "templates" / "new-sheet.yaml").unlink()
    assert _new(project) == (1, "", "Error: templates/new-sheet.yaml: cannot read: No such file "
                                    "or directory\n")
    assert not (project / YAML_NAME).exists()


def test_output_puts_the_docx_elsewhere(project: Path) -> None:
    code, out, _ = _new(project, "--output", str(project / "for-the-organisation"))
    assert code == 0
    assert (project / "for-the-organisation" / f"{NEW}.docx").is_file()
    assert f"wrote for-the-organisation/{NEW}.docx\n" in out


def test_a_new_sheet_without_its_russian_name_builds_as_a_draft(project: Path) -> None:
    _new(project)
    assert run(project, "build", "--draft", "--sheet", NEW).code == 0


SEED_LIST = """\
2 sheet(s)
id                        organisation                              languages  missing translations
budapest-process          Budapest Process                          en ru      0
steppe-routes-initiative  Steppe Routes Labour Mobility Initiative  en ru      0
"""


def test_list_prints_sheets_and_countries_in_aligned_columns(project_with_sample: Path) -> None:
    code, out, err = run(project_with_sample, "list")
    assert (code, err) == (0, "")
    assert out.startswith(SEED_LIST + "\n33 countries\ncode  name\nAF    Afghanistan\n")
    lines = out.splitlines()
    countries = lines[lines.index("33 countries") + 2:]
    assert len(countries) == 33
    assert "KG    Kyrgyzstan" in countries
    assert all(re.fullmatch(r"[A-Z]{2}    \S.*", line) for line in countries)
    assert all(line == line.rstrip() for line in lines)


def test_list_counts_the_units_a_new_sheet_still_misses(project_with_sample: Path) -> None:
    _new(project_with_sample)
    out = run(project_with_sample, "list").out
    assert (f"{NEW}        Central Asia Forum                        en ru      9"
            in out.splitlines())


def test_list_names_a_sheet_that_does_not_validate(project_with_sample: Path) -> None:
    broken = project_with_sample / "data" / "sheets" / "broken.yaml"
    broken.write_text("id: broken\n", encoding="utf-8")
    code, out, _ = run(project_with_sample, "list")
    assert code == 0
    assert "broken                    (does not validate; run check)            -          -" \
        in out.splitlines()
    assert out.startswith("3 sheet(s)\n")


@pytest.mark.libreoffice
@needs_soffice
def test_a_new_sheets_docx_resaved_by_libreoffice_imports_without_change(
        project: Path, tmp_path: Path) -> None:
    _new(project)
    [resaved] = resave_with_libreoffice([project / DOCX_NAME], tmp_path)
    body = part(resaved.read_bytes(), "word/document.xml")
    assert "How to update this sheet" in "".join(body.itertext())
    assert next(body.iter(f"{W}tbl")) is not None
    assert run(project, "import-docx", str(resaved)) == (0, f"no changes for {YAML_NAME}\n", "")
