"""Round-trip YAML edits: only the edited values change; comments, order and style stay."""

from __future__ import annotations

import difflib

import pytest
import yaml

from briefing.core.yamledit import YamlEditor
from briefing.errors import DataError
from tests.conftest import REPO

SEED = REPO / "data" / "sheets" / "budapest-process.yaml"

SAMPLE = """\
# a comment that must stay
id: x   # trailing comment
title:
  en: Short
  ru: 'Quoted'
city: {en: Almaty, ru: Алматы}
text:
  en: >-
    one two three four five six seven eight nine ten eleven twelve thirteen
    fourteen fifteen
  ru: plain
"""


def changed_lines(old: str, new: str) -> list[str]:
    return [line for line in difflib.ndiff(old.splitlines(), new.splitlines())
            if line[:1] in "+-"]


def test_unedited_file_is_written_back_byte_identical() -> None:
    text = SEED.read_text(encoding="utf-8")
    assert YamlEditor(text, "seed.yaml").text() == text


def test_plain_quoted_and_flow_values_keep_their_style() -> None:
    editor = YamlEditor(SAMPLE, "s.yaml")
    editor.set_text(("title",), "en", "Longer")
    editor.set_text(("title",), "ru", "Новое")
    editor.set_text(("city",), "ru", "Алма-Ата")
    assert changed_lines(SAMPLE, editor.text()) == [
        "-   en: Short", "-   ru: 'Quoted'", "+   en: Longer", "+   ru: 'Новое'",
        "- city: {en: Almaty, ru: Алматы}", "+ city: {en: Almaty, ru: Алма-Ата}",
    ]


def test_folded_text_stays_folded_and_rewrapped_to_the_files_width() -> None:
    editor = YamlEditor(SAMPLE, "s.yaml")
    new = "one **two** three four five six seven eight nine ten eleven twelve thirteen fourteen"
    editor.set_text(("text",), "en", new)
    out = editor.text()
    assert out.splitlines()[:7] == SAMPLE.splitlines()[:7]
    assert out.splitlines()[7:11] == [
        "  en: >-",
        "    one **two** three four five six seven eight nine ten eleven twelve",
        "    thirteen fourteen",
        "  ru: plain",
    ]
    assert YamlEditor(out, "s.yaml").get_text(("text",), "en") == new


def test_a_long_new_text_becomes_folded() -> None:
    editor = YamlEditor(SAMPLE, "s.yaml")
    long = " ".join(["слово"] * 30)
    editor.set_text(("title",), "ru", long)
    editor.set_text(("title",), "en", "  leading spaces cannot fold  ")
    out = editor.text()
    assert "  ru: >-\n    слово" in out
    assert "  en: '  leading spaces cannot fold  '" in out
    reread = YamlEditor(out, "s.yaml")
    assert reread.get_text(("title",), "ru") == long
    assert reread.get_text(("title",), "en") == "  leading spaces cannot fold  "


def test_a_missing_language_is_added_after_the_others() -> None:
    editor = YamlEditor(SAMPLE.replace("  ru: plain\n", ""), "s.yaml")
    editor.set_text(("text",), "ru", "перевод")
    assert editor.text().endswith("    fourteen fifteen\n  ru: перевод\n")


def test_review_entries_are_added_updated_and_removed() -> None:
    editor = YamlEditor(SAMPLE, "s.yaml")
    editor.set_review("ru", "text", "reviewed", "Check: numbers")
    assert editor.text() == SAMPLE + (
        "review:\n  ru:\n    text:\n      status: reviewed\n      comment: 'Check: numbers'\n")
    editor.set_review("ru", "text", "final", "")
    assert editor.text() == SAMPLE + "review:\n  ru:\n    text:\n      status: final\n"
    editor.set_review("ru", "text", "", "")
    assert editor.text() == SAMPLE


def test_not_yaml_is_a_data_error() -> None:
    with pytest.raises(DataError, match=r"s\.yaml: cannot edit: "):
        YamlEditor("a: [unclosed", "s.yaml")


def test_a_long_text_in_a_flow_mapping_stays_on_its_line() -> None:
    editor = YamlEditor(SAMPLE, "s.yaml")
    long = " ".join(["word"] * 40)
    editor.set_text(("city",), "en", long)
    out = editor.text()
    assert changed_lines(SAMPLE, out) == [
        "- city: {en: Almaty, ru: Алматы}", f"+ city: {{en: {long}, ru: Алматы}}"]
    assert YamlEditor(out, "s.yaml").get_text(("city",), "en") == long


@pytest.mark.parametrize("text", ["yes", "No", "on", "null", "1.5", "2015-05-19", "*italic* first",
                                  "**bold** first", "a: b", "# not a comment", "- dash", "~"])
def test_texts_that_yaml_would_read_otherwise_come_back_as_written(text: str) -> None:
    editor = YamlEditor(SAMPLE, "s.yaml")
    editor.set_text(("title",), "en", text)
    editor.set_text(("text",), "ru", text)
    loaded = yaml.safe_load(editor.text())
    assert (loaded["title"]["en"], loaded["text"]["ru"]) == (text, text)


def test_a_review_entry_records_its_source_hash_quoted_when_it_looks_like_a_number() -> None:
    editor = YamlEditor("text:\n  en: A\n", "data/x.yaml")
    editor.set_review("ru", "text", "final", "", "123456789012")
    written = editor.text()
    assert written.endswith("review:\n  ru:\n    text:\n      status: final\n"
                            "      source_hash: '123456789012'\n")
    assert yaml.safe_load(written)["review"]["ru"]["text"]["source_hash"] == "123456789012"
    editor.set_review("ru", "text", "reviewed", "ok")
    assert editor.text().endswith("      status: reviewed\n      source_hash: '123456789012'\n"
                                  "      comment: ok\n")
