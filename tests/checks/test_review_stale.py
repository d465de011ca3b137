"""``review-stale``: a reviewed or final verdict whose source text changed since."""

from __future__ import annotations

from pathlib import Path

from briefing.checks import check_project
from briefing.core.model import source_hash
from tests.checks_support import SHEET_ID, paragraph, write_project

SOURCE = "The forum meets twice a year."


def _with_review(root: Path, review: str, source: str = SOURCE) -> list[str]:
    write_project(root, paragraph(source, "Форум собирается дважды в год."))
    sheet = root / "data" / "sheets" / f"{SHEET_ID}.yaml"
    sheet.write_text(sheet.read_text(encoding="utf-8") + review, encoding="utf-8")
    return [str(f) for f in check_project(root / "data", root).findings]


def test_a_verdict_on_the_current_source_text_holds(tmp_path: Path) -> None:
    review = (f"review:\n  ru:\n    s.p:\n      status: reviewed\n"
              f"      source_hash: '{source_hash(SOURCE)}'\n")
    assert _with_review(tmp_path, review) == []


def test_a_verdict_on_an_earlier_source_text_is_stale(tmp_path: Path) -> None:
    review = (f"review:\n  ru:\n    s.p:\n      status: final\n"
              f"      source_hash: '{source_hash(SOURCE)}'\n")
    changed = "The forum meets three times a year."
    assert _with_review(tmp_path, review, changed) == [
        f"data/sheets/{SHEET_ID}.yaml:25:7: warning: s.p.ru: the en text changed since it was "
        "marked final, so it counts as translated: review it again (review --lang ru), or if "
        f'the verdict still holds write source_hash: "{source_hash(changed)}" [review-stale]']


def test_a_verdict_without_a_hash_is_stale(tmp_path: Path) -> None:
    review = "review:\n  ru:\n    s.p:\n      status: reviewed\n      comment: ok\n"
    assert _with_review(tmp_path, review) == [
        f"data/sheets/{SHEET_ID}.yaml:25:7: warning: s.p.ru: marked reviewed, but no "
        "source_hash records the en text it was given for, so it counts as translated: "
        "review it again (review --lang ru), or if the verdict still holds write "
        f'source_hash: "{source_hash(SOURCE)}" [review-stale]']


def test_translated_and_initial_have_nothing_to_fall_back_from(tmp_path: Path) -> None:
    review = ("review:\n  ru:\n    s.p:\n      status: translated\n"
              "    s:\n      status: initial\n")
    assert _with_review(tmp_path, review) == []


def test_a_verdict_for_a_key_no_longer_in_the_sheet(tmp_path: Path) -> None:
    review = (f"review:\n  ru:\n    s.gone:\n      status: reviewed\n"
              f"      source_hash: '{source_hash(SOURCE)}'\n")
    assert _with_review(tmp_path, review) == [
        f"data/sheets/{SHEET_ID}.yaml:25:7: warning: review.ru.s.gone: a review verdict for "
        "'s.gone', which the sheet no longer has; remove it (or give it the unit's new key) "
        "[review-stale]"]


def test_a_stale_verdict_can_be_silenced_with_a_reason(tmp_path: Path) -> None:
    write_project(tmp_path, paragraph(SOURCE, "Форум собирается дважды в год.", ignore=[
        {"rule": "review-stale", "lang": "ru", "reason": "wording only"}]))
    sheet = tmp_path / "data" / "sheets" / f"{SHEET_ID}.yaml"
    sheet.write_text(sheet.read_text(encoding="utf-8") +
                     "review:\n  ru:\n    s.p:\n      status: reviewed\n", encoding="utf-8")
    assert check_project(tmp_path / "data", tmp_path).findings == []


def test_a_mistyped_hash_is_a_schema_error(tmp_path: Path) -> None:
    review = "review:\n  ru:\n    s.p:\n      status: reviewed\n      source_hash: 12ab\n"
    assert _with_review(tmp_path, review) == [
        f"data/sheets/{SHEET_ID}.yaml:26:20: error: review.ru.s.p.source_hash: not a source "
        "hash (12 digits 0-9 and letters a-f, as check shows it): '12ab' [schema]"]
