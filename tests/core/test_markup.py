from __future__ import annotations

import itertools

import pytest

from briefing.core.markup import Span, parse, plain, to_markup


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


def test_a_bold_run_followed_by_a_bold_italic_run_reads_back() -> None:
    spans = [Span("Networking "), Span("between officials,", bold=True),
             Span("(all)", bold=True, italic=True), Span(" states.")]
    assert to_markup(spans) == "Networking **between officials,*(all)*** states."
    assert parse(to_markup(spans)) == spans


def test_a_backslash_before_a_marker_or_a_backslash_is_escaped() -> None:
    spans = [Span("a\\"), Span("b", italic=True)]
    assert to_markup(spans) == "a\\\\*b*"
    assert parse(to_markup(spans)) == spans
    assert parse(r"C:\dir \\ and \\\*") == [Span("C:\\dir \\ and \\*")]
    assert to_markup([Span("C:\\dir")]) == "C:\\dir"


def test_italic_ending_inside_bold_reopens_bold() -> None:
    spans = [Span("a", italic=True), Span("b", bold=True, italic=True), Span("c", bold=True)]
    assert to_markup(spans) == "*a**b*****c**"
    assert parse(to_markup(spans)) == spans


PIECES = ["a", " b ", "*", "\\", "**", ", (c).", "d\\*"]
STYLES = list(itertools.product([False, True], repeat=2))


def _styled_characters(spans: list[Span]) -> list[tuple[str, bool, bool]]:
    return [(char, span.bold, span.italic) for span in spans for char in span.text
            if not char.isspace()]


@pytest.mark.parametrize("count", [1, 2, 3])
def test_to_markup_reads_back_for_every_combination_of_texts_and_styles(count: int) -> None:
    tried = 0
    for texts in itertools.product(PIECES, repeat=count):
        for styles in itertools.product(STYLES, repeat=count):
            spans = [Span(text, bold=bold, italic=italic)
                     for text, (bold, italic) in zip(texts, styles, strict=True)]
            back = parse(to_markup(spans))
            assert "".join(s.text for s in back) == "".join(texts), (spans, to_markup(spans))
            assert _styled_characters(back) == _styled_characters(spans), (
                spans, to_markup(spans))
            tried += 1
    assert tried == (len(PIECES) * len(STYLES)) ** count


def test_to_markup_reads_back_over_four_spans_of_short_texts() -> None:
    for texts in itertools.product(["a*", "\\", " "], repeat=4):
        for styles in itertools.product(STYLES, repeat=4):
            spans = [Span(text, bold=bold, italic=italic)
                     for text, (bold, italic) in zip(texts, styles, strict=True)]
            back = parse(to_markup(spans))
            assert "".join(s.text for s in back) == "".join(texts), (spans, to_markup(spans))
            assert _styled_characters(back) == _styled_characters(spans), (
                spans, to_markup(spans))
