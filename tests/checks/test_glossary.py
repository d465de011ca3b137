"""Rule term-mismatch over data/glossary.yaml, and the glossary's own validation."""

from __future__ import annotations

from pathlib import Path

from briefing.checks import check_project
from tests.checks_support import hits, paragraph, write_project


def test_a_key_term_rendered_as_another_is_reported(tmp_path: Path) -> None:
    found = hits(tmp_path, "term-mismatch",
                 paragraph("such as South Eastern and Eastern Europe, the Black Sea region",
                           "таких как Южная Европа и Восточная Европа, Черноморский регион"))
    assert found == ["s.p.ru: glossary term south-east (“South Eastern”) is in en but not in ru; "
                     "southern-europe (“Южная Европа”) is in ru but not in en"]


def test_key_terms_in_any_case_form_are_not_reported(tmp_path: Path) -> None:
    found = hits(
        tmp_path, "term-mismatch",
        paragraph("the South East European Region", "по региону Юго-Восточной Европы"),
        paragraph("in Central Asia and the CIS region", "в ЦА и регионе СНГ", key="s.q"),
        paragraph("pre-EU enlargement", "расширению ЕС", key="s.r"),
        paragraph("South-Eastern Europe", "Юго-Восточная Европа", key="s.s"),
    )
    assert found == []


def test_an_invalid_glossary_is_a_schema_error(tmp_path: Path) -> None:
    write_project(tmp_path, paragraph("Text", "Текст"))
    (tmp_path / "data" / "glossary.yaml").write_text("south-east:\n  en: []\n  RU: [x]\n",
                                                     encoding="utf-8")
    result = check_project(tmp_path / "data", tmp_path)
    assert [str(f) for f in result.findings] == [
        "data/glossary.yaml:2:7: error: south-east.en: needs at least one form [schema]",
        "data/glossary.yaml:3:3: error: south-east.RU: not a language code (two or three "
        "lower-case letters): 'RU' [schema]",
    ]


def test_a_glossary_form_given_as_text_is_shown_as_a_list(tmp_path: Path) -> None:
    write_project(tmp_path, paragraph("Text", "Текст"))
    (tmp_path / "data" / "glossary.yaml").write_text(
        "south-east:\n  en: South East\n  ru: [Юго-Восточн*]\nnorth: [North]\n",
        encoding="utf-8")
    assert [str(f) for f in check_project(tmp_path / "data", tmp_path).findings] == [
        "data/glossary.yaml:2:7: error: south-east.en: the forms are a list: write "
        "en: [South East] [schema]",
        "data/glossary.yaml:4:8: error: north: expected term → language → list of forms, as in "
        "south-east: {en: [South East], ru: [Юго-Восточн*]} [schema]"]
