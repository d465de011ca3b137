from __future__ import annotations

import pytest

from briefing.markup import Span, parse, plain, to_markup


def test_bold_italic_and_escaped_star() -> None:
    assert parse(r"a **b** *c* \* d") == [
        Span("a "), Span("b", bold=True), Span(" "), Span("c", italic=True), Span(" * d")]


def test_unmatched_markers_stay_literal() -> None:
    assert parse("5 * 3 and **open") == [Span("5 * 3 and **open")]
    assert plain("5 * 3") == "5 * 3"


def test_english_ordinals_become_superscript_but_not_in_russian() -> None:
    assert parse("the 3rd and 21st meeting", "en") == [
        Span("the 3"), Span("rd", superscript=True), Span(" and 21"),
        Span("st", superscript=True), Span(" meeting")]
    assert parse("3-го совещания", "ru") == [Span("3-го совещания")]
    assert parse("the 1990s and 3rdparty", "en") == [Span("the 1990s and 3rdparty")]


@pytest.mark.parametrize("text", [
    "plain", "a **bold** word", "an *italic* word", r"a \* star", "***both***", "the 3rd one",
])
def test_markup_round_trips_through_spans(text: str) -> None:
    assert to_markup(parse(text, "en")) == text


def test_emphasis_markers_hug_the_words() -> None:
    assert to_markup([Span("a "), Span(" bold ", bold=True), Span("end")]) == "a  **bold** end"
