"""``check`` as a user and a CI meet it: lines, summary, exit codes, JSON, --strict, the build."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.cli_runner import run
from tests.conftest import SEED_SHEET

LINE = re.compile(r"^(?P<file>[^:]+):(?P<line>\d+):(?P<column>\d+): (?P<severity>error|warning): "
                  r"(?:(?P<key>\S+): )?(?P<message>.+) \[(?P<rule>[a-z-]+)\]$")

#: The differences the printed original really has (see the seed's README), and no noise.
SEED_FINDINGS = [
    ("description.silk-routes-region.en", "China (CN) is named in ru but not in en",
     "country-mismatch"),
    ("activities.2015-05-almaty.ru", "participant Kyrgyzstan (KG) is not named in ru",
     "activity-country"),
    ("activities.2013-12-istanbul.en", "host Turkey (TR) is not named in en", "activity-country"),
    ("activities.2015-06-islamabad.en",
     "2 spaces in a row in “…nd Kyrgyzstan in the␣␣6th meeting of the…”", "double-space"),
    ("best-practices.dialogue.ru",
     "glossary term south-east (“South Eastern”) is in en but not in ru; "
     "southern-europe (“Южная Европа”) is in ru but not in en", "term-mismatch"),
    ("contact.en", "heading “Контактная информация” is in Cyrillic script, not the Latin of en "
                   "(it is the ru text, left in the en column)", "wrong-language"),
]
SEED_SUMMARY = ("1 sheet checked: 0 errors, 6 warnings (activity-country 2, country-mismatch 1, "
                "double-space 1, term-mismatch 1, wrong-language 1)")


def check(project: Path, *argv: str) -> tuple[int, str, str]:
    return run(None, "--root", str(project), "check", *argv)


def _line_of(path: Path, line: str) -> int:
    return path.read_text(encoding="utf-8").splitlines().index(line) + 1


def parsed(output: str) -> list[re.Match[str]]:
    lines = output.splitlines()[:-1]
    matches = [LINE.match(line) for line in lines]
    assert all(matches), lines
    return [m for m in matches if m is not None]


def test_the_seed_shows_its_known_differences_as_warnings_and_nothing_else(
    project: Path, sheet_file: Path
) -> None:
    code, out, err = check(project, str(sheet_file))
    assert (code, err) == (0, "")
    findings = parsed(out)
    assert [(m["key"], m["message"], m["rule"]) for m in findings] == SEED_FINDINGS
    assert {m["severity"] for m in findings} == {"warning"}
    assert out.splitlines()[-1] == SEED_SUMMARY
    # Each line points at the text it is about: the language's key stands just before it.
    yaml_lines = sheet_file.read_text(encoding="utf-8").splitlines()
    for m in findings:
        assert m["file"] == f"data/sheets/{SEED_SHEET}.yaml"
        lang = m["key"].rsplit(".", 1)[1]
        assert yaml_lines[int(m["line"]) - 1][: int(m["column"]) - 1].strip() == f"{lang}:"


def test_json_gives_the_same_findings(project: Path, sheet_file: Path) -> None:
    _, text, _ = check(project, str(sheet_file))
    code, out, _ = check(project, str(sheet_file), "--format", "json")
    assert code == 0
    document = json.loads(out)
    assert [f"{f['file']}:{f['line']}:{f['column']}: {f['severity']}: {f['key']}: "
            f"{f['message']} [{f['rule']}]" for f in document["findings"]] == \
        text.splitlines()[:-1]
    assert document["summary"] == {
        "sheets": 1, "errors": 0, "warnings": 6,
        "rules": {"activity-country": 2, "country-mismatch": 1, "double-space": 1,
                  "term-mismatch": 1, "wrong-language": 1},
    }


def test_strict_makes_warnings_errors(project: Path, sheet_file: Path) -> None:
    code, out, _ = check(project, str(sheet_file), "--strict")
    assert code == 1
    assert {m["severity"] for m in parsed(out)} == {"error"}
    assert out.splitlines()[-1].startswith("1 sheet checked: 6 errors, 0 warnings (")


def test_a_silenced_seed_finding_disappears(project: Path, sheet_file: Path) -> None:
    text = sheet_file.read_text(encoding="utf-8")
    almaty = "        role: organised\n"
    assert text.count(almaty) == 2
    sheet_file.write_text(text.replace(almaty, almaty + (
        "        ignore:\n"
        "          - {rule: activity-country, lang: ru, reason: as in the printed original}\n"
    ), 1), encoding="utf-8")
    code, out, _ = check(project, str(sheet_file))
    assert code == 0
    assert [m["key"] for m in parsed(out)] == [
        key for key, _, _ in SEED_FINDINGS if key != "activities.2015-05-almaty.ru"]


def test_a_missing_translation_fails_check_and_refuses_a_final_build(
    project: Path, sheet_file: Path
) -> None:
    text = sheet_file.read_text(encoding="utf-8")
    sheet_file.write_text(text.replace("      ru: Передовые практики\n", "", 1), encoding="utf-8")
    code, out, _ = check(project, str(sheet_file))
    assert code == 1
    missing = [line for line in out.splitlines() if "[missing-translation]" in line]
    # Pointing at the heading's texts, where the ru text belongs.
    at = _line_of(sheet_file, "      en: Best Practices")
    assert missing == [f"data/sheets/{SEED_SHEET}.yaml:{at}:7: error: best-practices.ru: "
                       "no ru translation yet [missing-translation]"]
    assert out.splitlines()[-1].startswith("1 sheet checked: 1 error, 6 warnings (")

    code, _, err = run(None, "--root", str(project), "build", "--sheet", SEED_SHEET)
    assert code == 1
    assert err.splitlines() == [
        *missing,
        "Error: 1 error(s) found by check (1 text(s) still await translation); fix them, "
        "or build with --draft to show placeholders",
    ]
    assert not (project / "reports").exists()


def test_invalid_data_is_reported_in_the_same_run_as_the_other_sheets_findings(
    project: Path, sheet_file: Path
) -> None:
    text = sheet_file.read_text(encoding="utf-8")
    sheets = project / "data" / "sheets"
    (sheets / "second.yaml").write_text(text.replace(f"id: {SEED_SHEET}", "id: second"),
                                        encoding="utf-8")
    sheet_file.write_text(text.replace("host: KZ", "host: XX", 1), encoding="utf-8")
    (sheets / "broken.yaml").write_text("id: broken\nsections: [\n", encoding="utf-8")
    code, out, err = check(project, str(sheet_file), str(sheets / "second.yaml"),
                           str(sheets / "broken.yaml"))
    assert (code, err) == (1, "")
    lines = out.splitlines()
    assert lines[0].startswith("data/sheets/broken.yaml:3:1: error: malformed YAML: ")
    assert lines[0].endswith(" [schema]")
    at = _line_of(sheet_file, "        host: XX")
    assert lines[1] == (f"data/sheets/{SEED_SHEET}.yaml:{at}:15: error: "
                        "sections[1].blocks[0].host: unknown country code 'XX' (not in "
                        "countries.yaml) [schema]")
    assert [(m["key"], m["message"], m["rule"]) for m in parsed(out)
            if m["file"] == "data/sheets/second.yaml"] == SEED_FINDINGS
    assert lines[-1].startswith("3 sheets checked: 2 errors, 6 warnings (")


def test_paths_name_sheets_or_the_data_folder(project: Path, sheet_file: Path) -> None:
    _, one, _ = check(project, str(sheet_file))
    code, every, _ = check(project, str(project / "data" / "sheets"))
    assert code in (0, 1)
    assert set(one.splitlines()[:-1]) <= set(every.splitlines())
    _, default, _ = check(project)
    assert default == every

    code, _, err = check(project, str(project / "templates"))
    assert (code, err) == (2, f"Error: {project / 'templates'}: a folder, not data/ or "
                              "data/sheets/; give sheet files (.yaml), data/ or data/sheets/\n")
    code, _, err = check(project, "no-such.yaml")
    assert (code, err) == (2, "Error: no-such.yaml: no such file or folder\n")


def _mailed(tmp_path: Path, sheet_file: Path, old: str = "", new: str = "") -> Path:
    """The seed as an organisation might e-mail it: under another name, outside the project."""
    mailed = tmp_path / "inbox" / "budapest process (2).yaml"
    mailed.parent.mkdir()
    mailed.write_text(sheet_file.read_text(encoding="utf-8").replace(old, new, 1),
                      encoding="utf-8")
    return mailed


def test_a_sheet_file_from_outside_the_project_is_checked_in_place(
    project: Path, sheet_file: Path, tmp_path: Path
) -> None:
    mailed = _mailed(tmp_path, sheet_file, "host: KZ", "host: Kazakhstan")
    code, out, err = check(project, str(mailed))
    assert (code, err) == (1, "")
    at = _line_of(mailed, "        host: Kazakhstan")
    assert out.splitlines()[0] == (
        f"{mailed}:{at}:15: error: sections[1].blocks[0].host: not a country code: "
        "'Kazakhstan'; use the code KZ (Kazakhstan) [schema]")
    mailed.write_text(sheet_file.read_text(encoding="utf-8"), encoding="utf-8")
    code, out, _ = check(project, str(mailed))
    assert code == 0
    assert [(m["file"], m["key"], m["rule"]) for m in parsed(out)] == \
        [(str(mailed), key, rule) for key, _, rule in SEED_FINDINGS]
    assert out.splitlines()[-1] == SEED_SUMMARY
    assert not (project / "data" / "sheets" / mailed.name).exists()


def test_check_draft_reports_missing_translations_as_warnings(
    project: Path, sheet_file: Path, tmp_path: Path
) -> None:
    mailed = _mailed(tmp_path, sheet_file, "      ru: Передовые практики\n", "")
    code, out, _ = check(project, str(mailed))
    assert code == 1
    code, out, _ = check(project, "--draft", str(mailed))
    assert code == 0
    at = _line_of(mailed, "      en: Best Practices")
    assert f"{mailed}:{at}:7: warning: best-practices.ru: no ru translation yet " \
           "[missing-translation]" in out.splitlines()
    assert out.splitlines()[-1].startswith("1 sheet checked: 0 errors, 7 warnings (")
    code, out, _ = check(project, "--draft", "--strict", str(mailed))
    assert code == 1


def test_a_sheet_in_a_language_without_labels_cannot_be_printed(
    project: Path, sheet_file: Path
) -> None:
    labels = project / "templates" / "labels.yaml"
    text = labels.read_text(encoding="utf-8")
    labels.write_text(text[: text.index("\nru:\n") + 1], encoding="utf-8")
    code, out, _ = check(project, str(sheet_file))
    assert code == 1
    at = _line_of(sheet_file, "languages: [en, ru]")
    assert out.splitlines()[0] == (
        f"data/sheets/{SEED_SHEET}.yaml:{at}:17: error: languages[1]: templates/labels.yaml has "
        "no labels for 'ru' (it has en); add them there, or use one of those [schema]")


@pytest.mark.parametrize(("make", "message"), [
    (lambda path: path.mkdir(), "a folder, not data/ or data/sheets/"),
    (lambda path: os.mkfifo(path), "not a regular file"),
    (lambda path: path.with_suffix(".txt").write_text("id: x\n", encoding="utf-8"),
     "not a sheet file (.yaml)"),
])
def test_paths_that_are_no_sheet_file_are_refused_before_reading(
    project: Path, tmp_path: Path, make: Callable[[Path], object], message: str
) -> None:
    path = tmp_path / "thing.yaml"
    make(path)
    given = path if path.exists() or path.is_fifo() else path.with_suffix(".txt")
    assert check(project, str(given)) == (
        2, "", f"Error: {given}: {message}; give sheet files (.yaml), data/ or data/sheets/\n")


def test_a_device_is_refused_not_read(project: Path) -> None:
    assert check(project, "/dev/zero") == (
        2, "", "Error: /dev/zero: not a regular file; give sheet files (.yaml), data/ or "
               "data/sheets/\n")


def test_an_unknown_sheet_is_an_error_line_naming_the_sheets(project_with_sample: Path) -> None:
    for argv in (["build", "--sheet", "nope"], ["review", "--lang", "ru", "--sheet", "nope"]):
        assert run(None, "--root", str(project_with_sample), *argv) == (
            2, "", "Error: no sheet named 'nope' in data/sheets/; its sheets: budapest-process, "
                   "steppe-routes-initiative\n")
