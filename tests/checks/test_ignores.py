"""Silencing a known finding in the data: ignore entries, with a reason, that must be used."""

from __future__ import annotations

from pathlib import Path

from tests.checks_support import findings, paragraph

CHINA = ("Afghanistan and Pakistan", "Афганистан, Китай и Пакистан")


def _lines(root: Path, *blocks: dict[str, object]) -> list[str]:
    return [f"{f.severity}: {f.key_path}: {f.message} [{f.rule}]"
            for f in findings(root, *blocks)]


def test_an_ignore_with_a_reason_silences_its_finding(tmp_path: Path) -> None:
    assert _lines(tmp_path / "a", paragraph(*CHINA)) == [
        "warning: s.p.en: China (CN) is named in ru but not in en [country-mismatch]"]
    ignore = {"rule": "country-mismatch", "lang": "en", "reason": "the printed original differs"}
    assert _lines(tmp_path / "b", paragraph(*CHINA, ignore=[ignore])) == []


def test_an_ignore_for_the_other_language_does_not_silence_and_is_unused(tmp_path: Path) -> None:
    ignore = {"rule": "country-mismatch", "lang": "ru", "reason": "wrong side"}
    assert _lines(tmp_path, paragraph(*CHINA, ignore=[ignore])) == [
        "warning: s.p.en: China (CN) is named in ru but not in en [country-mismatch]",
        "warning: s.p: ignore of country-mismatch in ru silences nothing; remove it "
        "[ignore-unused]",
    ]


def test_an_ignore_naming_no_rule_is_an_error(tmp_path: Path) -> None:
    found = findings(tmp_path, paragraph("Text", "Текст",
                                         ignore=[{"rule": "countries", "reason": "typo"}]))
    assert [(f.severity, f.rule) for f in found] == [("error", "ignore-unknown")]
    assert found[0].message.startswith("ignore names rule 'countries', which does not exist "
                                       "(did you mean 'country-mismatch'? rules: "
                                       "activity-country, ")
    lines = (tmp_path / "data" / "sheets" / "t.yaml").read_text(encoding="utf-8").splitlines()
    assert lines[found[0].location.line - 1].strip() == "- rule: countries"


def test_an_ignore_without_a_reason_is_a_validation_error(tmp_path: Path) -> None:
    found = findings(tmp_path, paragraph(*CHINA, ignore=[{"rule": "country-mismatch"}]))
    assert [str(f) for f in found] == [
        "data/sheets/t.yaml:23:7: error: sections[0].blocks[0].ignore[0].reason: "
        "required key is missing [schema]"]
    lines = (tmp_path / "data" / "sheets" / "t.yaml").read_text(encoding="utf-8").splitlines()
    assert lines[22][6:] == "rule: country-mismatch"


def test_a_section_ignore_silences_its_heading(tmp_path: Path) -> None:
    section = {"ignore": [{"rule": "wrong-language", "lang": "en", "reason": "as printed"}]}
    found = findings(tmp_path, paragraph("Text", "Текст"),
                     heading=("Контактная информация", "Контактная информация"),
                     section=section)
    assert found == []
