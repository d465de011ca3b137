"""Leftovers of copy and paste: symbol-font bullets, invisible characters, doubled spaces,
line breaks, lone quotes.

A private-use character (U+F0B7 is Word's Symbol-font bullet) has no glyph in
the project's fonts and prints as a blank or a box, so it is an error, as is a
bidirectional override, which can make a text read otherwise than it is
stored; the rest are warnings.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

from ..core.model import Unit
from .base import Hit, Rule, SheetContext

PRIVATE_USE = Rule("private-use", "error",
                   "a private-use character (such as U+F0B7, a Symbol-font bullet)")
DOUBLE_SPACE = Rule("double-space", "warning",
                    "two or more spaces in a row, or a space at the start or end")
LINE_BREAK = Rule("line-break", "warning", "a line break or tab inside a text")
UNBALANCED = Rule("unbalanced", "warning", "a bracket or quotation mark without its partner")
BIDI_CONTROL = Rule("bidi-control", "error",
                    "a bidirectional embedding, override or isolate (U+202A–U+202E, "
                    "U+2066–U+2069): it can reorder what a reader sees")
INVISIBLE = Rule("invisible", "warning",
                 "an invisible format character (such as U+200B, a zero-width space, or "
                 "U+200E, a left-to-right mark)")
RULES = (PRIVATE_USE, BIDI_CONTROL, INVISIBLE, DOUBLE_SPACE, LINE_BREAK, UNBALANCED)
#: Embeddings, overrides and isolates: text after them is shown in another order than stored.
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")

_CONTEXT = 20
_SPACES = re.compile(r"(?<=\S)[ \u00a0]{2,}(?=\S)")
_BREAKS = re.compile(r"[\n\r\t\u2028\u2029\v\f]")
_PAIRS = {")": "(", "]": "[", "}": "{", "»": "«"}
#: "1)", "a)", "б)": an enumeration, not a closing bracket.
_ENUMERATION = re.compile(r"(?:^|(?<=\s))(?:\d{1,2}|[^\W\d_])\)")


def check(unit: Unit, context: SheetContext) -> Iterator[Hit]:
    for lang in context.languages:
        text = unit.text(lang)
        if not text:
            continue
        for index, char in enumerate(text):
            if unicodedata.category(char) == "Co":
                yield Hit(unit, lang, PRIVATE_USE.id,
                          f"private-use character U+{ord(char):04X} {_around(text, index)}; "
                          "it prints as a blank or a box")
                break
        yield from _format_characters(unit, lang, text)
        spaces = _SPACES.search(text)
        if spaces:
            count = len(spaces.group())
            yield Hit(unit, lang, DOUBLE_SPACE.id,
                      f"{count} spaces in a row {_around(text, spaces.start(), spaces.end())}")
        elif text != text.strip(" \u00a0"):
            yield Hit(unit, lang, DOUBLE_SPACE.id, "space at the start or end of the text")
        breaks = _BREAKS.search(text)
        if breaks:
            name = "tab" if breaks.group() == "\t" else "line break"
            yield Hit(unit, lang, LINE_BREAK.id, f"{name} {_around(text, breaks.start())}")
        problem = unbalanced(text)
        if problem:
            yield Hit(unit, lang, UNBALANCED.id, problem)


def _format_characters(unit: Unit, lang: str, text: str) -> Iterator[Hit]:
    """The first bidirectional control (an error) and the first other invisible format
    character (a warning) of a text."""
    first: dict[bool, int] = {}
    for index, char in enumerate(text):
        if unicodedata.category(char) == "Cf":
            first.setdefault(char in _BIDI_CONTROLS, index)
    for bidi, index in sorted(first.items(), reverse=True):
        char = text[index]
        name = unicodedata.name(char, "format character").lower()
        yield Hit(unit, lang, BIDI_CONTROL.id if bidi else INVISIBLE.id,
                  f"{name} U+{ord(char):04X} {_around(text, index)}; " +
                  ("it can reorder what a reader sees" if bidi else "it is invisible"))


def unbalanced(text: str) -> str | None:
    """What is unpaired in ``text``, or None.

    “…” (English), «…» and „…“ (Russian, German) all pair; “ closes a „ and opens
    otherwise. Straight double quotes must come in even numbers.
    """
    skip = {match.end() - 1 for match in _ENUMERATION.finditer(text)}
    stack: list[tuple[str, int]] = []
    for index, char in enumerate(text):
        if char in "([{«„":
            stack.append((char, index))
        elif char == "“":
            if stack and stack[-1][0] == "„":
                stack.pop()
            else:
                stack.append((char, index))
        elif char == "”" or char in _PAIRS:
            wanted = ("“", "„") if char == "”" else (_PAIRS[char],)
            if stack and stack[-1][0] in wanted:
                stack.pop()
            elif index not in skip:
                return f"{char} without an opening partner {_around(text, index)}"
    if stack:
        char, index = stack[-1]
        return f"{char} is never closed {_around(text, index)}"
    if text.count('"') % 2:
        return f'odd number of " {_around(text, text.rindex(chr(34)))}'
    return None


def _around(text: str, index: int, spaces_end: int | None = None) -> str:
    """The place in the text, for a message: ``in “…in the␣␣6th…”``."""
    if spaces_end is not None:
        text = text[:index] + "␣" * (spaces_end - index) + text[spaces_end:]
    start = max(0, index - _CONTEXT)
    end = min(len(text), index + _CONTEXT)
    piece = text[start:end].replace("\n", "⏎").replace("\t", "⇥")
    piece = "".join(f"<U+{ord(c):04X}>" if unicodedata.category(c) in ("Co", "Cf") else c
                    for c in piece)
    prefix = "…" if start else ""
    suffix = "…" if end < len(text) else ""
    return f"in “{prefix}{piece}{suffix}”"

