"""Rules private-use, double-space, line-break and unbalanced."""

from __future__ import annotations

from pathlib import Path

from tests.checks_support import findings, hits, paragraph


def test_a_private_use_character_is_an_error(tmp_path: Path) -> None:
    found = [f for f in findings(tmp_path, paragraph("\uf0b7 Helping states", "Помощь"))
             if f.rule == "private-use"]
    assert [(f.severity, f.key_path, f.message) for f in found] == [
        ("error", "s.p.en", "private-use character U+F0B7 in “<U+F0B7> Helping states”; "
                            "it prints as a blank or a box")]
    assert hits(tmp_path, "private-use", paragraph("• Helping states", "• Помощь")) == []


def test_doubled_spaces_are_reported(tmp_path: Path) -> None:
    found = hits(tmp_path, "double-space",
                 paragraph("Kazakhstan and Kyrgyzstan in the  6th meeting", "в 6-м совещании"),
                 paragraph("One space. Two\u00a0words.", "Один пробел.", key="s.q"))
    assert found == ["s.p.en: 2 spaces in a row in “…nd Kyrgyzstan in the␣␣6th meeting”"]


def test_stray_line_breaks_are_reported(tmp_path: Path) -> None:
    found = hits(tmp_path, "line-break",
                 paragraph("between European\ncountries", "между европейскими странами"),
                 paragraph("between European countries", "между странами", key="s.q"))
    assert found == ["s.p.en: line break in “between European⏎countries”"]


def test_unbalanced_brackets_and_quotes_are_reported(tmp_path: Path) -> None:
    found = hits(
        tmp_path, "unbalanced",
        paragraph("the project “Support to the Partnership", "проект «Содействие»"),
        paragraph("(Silk Routes I", "(Шелковый путь I)", key="s.q"),
        paragraph("The “Silk Routes” (Silk Routes I) and a) one b) two",
                  "„Шелковый путь“, «Шелковый путь» и “Шелковый путь” (Шелковый путь I); 1) раз",
                  key="s.fine"),
    )
    assert found == ["s.p.en: “ is never closed in “the project “Support to the Part…”",
                     "s.q.en: ( is never closed in “(Silk Routes I”"]
