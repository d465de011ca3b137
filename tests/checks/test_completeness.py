"""Rules missing-translation and untranslated."""

from __future__ import annotations

from pathlib import Path

from tests.checks_support import findings, hits, paragraph


def test_missing_translation_is_an_error_naming_the_language(tmp_path: Path) -> None:
    found = findings(tmp_path, paragraph("Dialogue on migration.", None),
                     paragraph("Second paragraph.", "Второй абзац.", key="s.q"))
    assert [(f.severity, f.key_path, f.message, f.rule) for f in found] == [
        ("error", "s.p.ru", "no ru translation yet", "missing-translation")]


def test_a_whitespace_only_text_is_missing_too(tmp_path: Path) -> None:
    assert hits(tmp_path, "missing-translation", paragraph("   ", "Диалог.")) == [
        "s.p.en: no en translation yet"]


def test_identical_texts_in_one_script_are_untranslated(tmp_path: Path) -> None:
    # en and fr share the Latin script, so only the identity of the texts can tell.
    root = tmp_path
    found = hits(root, "untranslated", paragraph("Dialogue on migration", "Dialogue on migration"))
    # en/ru differ in script: the wrong-language rule names the column instead.
    assert found == []
    sheet = root / "data" / "sheets" / "t.yaml"
    sheet.write_text(sheet.read_text(encoding="utf-8").replace("ru", "fr"), encoding="utf-8")
    from briefing.checks import check_project

    result = check_project(root / "data", root)
    assert [(f.key_path, f.message) for f in result.findings if f.rule == "untranslated"] == [
        ("s.p.fr", "fr text is the same as the en text; translate it")]


def test_identical_names_acronyms_and_numbers_need_no_translation(tmp_path: Path) -> None:
    with_fr = [paragraph("ICMPD", "ICMPD"), paragraph("Frontex 2015", "Frontex 2015", key="s.q")]
    assert hits(tmp_path, "untranslated", *with_fr) == []
