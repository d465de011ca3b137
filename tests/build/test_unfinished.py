"""Which documents a build holds back, and which are drafts, from the units each prints."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from briefing.build.unfinished import Unfinished, Verdict
from briefing.checks import CheckFailedError, build_findings
from briefing.core.load import LoadedProject, load_project
from briefing.core.packs import country_pack, printed_units
from tests.conftest import SEED_SHEET

ALMATY_RU = ("            19-20 мая 2015 г., Алматы, Казахстан: организация 3-го совещания по "
             "“Переориентация\n")


def without_almaty_ru(sheet_file: Path) -> None:
    """The Almaty activity (Kazakhstan hosts; KG, TJ, TM, UZ take part) loses its ru text."""
    lines = sheet_file.read_text(encoding="utf-8").splitlines(keepends=True)
    at = lines.index(ALMATY_RU)
    assert lines[at - 1].strip() == "ru: >-"
    del lines[at - 1:at + 3]
    sheet_file.write_text("".join(lines), encoding="utf-8")


def unfinished(project: Path, *, draft: bool) -> tuple[LoadedProject, Unfinished]:
    loaded = load_project(project / "data", project)
    return loaded, Unfinished.of(loaded, build_findings(loaded), draft=draft)


def pack_verdict(loaded: LoadedProject, found: Unfinished, country: str) -> Verdict:
    return found.verdict(printed_units(country_pack(loaded.project, country)))


def test_the_seed_has_no_error_so_every_document_is_final(project: Path) -> None:
    loaded, found = unfinished(project, draft=False)
    assert found.errors == []
    assert found.verdict({SEED_SHEET: None}) == Verdict()
    assert pack_verdict(loaded, found, "KG") == Verdict()


def test_a_missing_translation_holds_only_the_documents_that_print_it(
    project: Path, sheet_file: Path
) -> None:
    without_almaty_ru(sheet_file)
    loaded, found = unfinished(project, draft=False)
    held = ("activities.2015-05-almaty.ru",)
    assert found.verdict({SEED_SHEET: None}) == Verdict(held=held)
    for country in ("KZ", "KG", "TJ", "TM", "UZ"):
        assert pack_verdict(loaded, found, country) == Verdict(held=held)
    for country in ("BG", "TR", "PK"):
        assert pack_verdict(loaded, found, country) == Verdict()
    assert Verdict(held=held).failure("pack UZ") == (
        "pack UZ: not built: check finds an error in activities.2015-05-almaty.ru, which it "
        "prints")


def test_a_draft_marks_only_the_documents_printing_a_placeholder(
    project: Path, sheet_file: Path
) -> None:
    without_almaty_ru(sheet_file)
    loaded, found = unfinished(project, draft=True)
    assert found.verdict({SEED_SHEET: None}) == Verdict(draft=True)
    assert pack_verdict(loaded, found, "UZ") == Verdict(draft=True)
    assert pack_verdict(loaded, found, "BG") == Verdict()


def test_an_error_in_a_text_no_pack_prints_holds_the_sheet_but_no_pack(
    project: Path, sheet_file: Path
) -> None:
    # "Helping states …" is a paragraph of the Budapest Process section, not of the
    # description a pack prints; a private-use character is an error even in a draft.
    text = sheet_file.read_text(encoding="utf-8")
    sheet_file.write_text(text.replace("Helping states", "\uf0b7 Helping states", 1),
                          encoding="utf-8")
    loaded, found = unfinished(project, draft=False)
    [error] = found.errors
    assert error.rule == "private-use"
    assert found.verdict({SEED_SHEET: None}).held == (error.key_path,)
    assert pack_verdict(loaded, found, "KG") == Verdict()
    # A draft builds it anyway; a draft mark says a placeholder is printed, and none is.
    assert Unfinished.of(loaded, [error], draft=True).verdict({SEED_SHEET: None}) == Verdict()


def test_an_error_of_the_whole_sheet_holds_every_document_drawn_from_it(
    project: Path
) -> None:
    loaded, found = unfinished(project, draft=False)
    [finding] = [f for f in build_findings(loaded) if f.rule == "country-mismatch"]
    sheet_wide = replace(finding, severity="error", key_path="")
    found = Unfinished.of(loaded, [sheet_wide], draft=False)
    held = Verdict(held=(str(sheet_wide.location),))
    assert found.verdict({SEED_SHEET: None}) == held
    assert pack_verdict(loaded, found, "BG") == held


def test_an_error_outside_the_sheets_refuses_a_final_build(project: Path) -> None:
    (project / "data" / "glossary.yaml").write_text("terms: 3\n", encoding="utf-8")
    _loaded, found = unfinished(project, draft=False)
    assert [f.location.file for f in found.general] == ["data/glossary.yaml"]
    with pytest.raises(CheckFailedError):
        found.refuse_general()
    _, drafted = unfinished(project, draft=True)
    drafted.refuse_general()
