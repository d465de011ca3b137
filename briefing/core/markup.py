"""The small inline markup of texts: ``**bold**``, ``*italic*``, ``\\*`` for a star.

A backslash before a star or another backslash is written ``\\\\``.

Texts are parsed into :class:`Span` runs that each renderer sets in its own
format; :func:`to_markup` is the inverse, used when edited runs come back from a
DOCX. Ordinals ("3rd", "16th") become superscript runs in the languages that
print them so; that is typography, not data, so it is not written back.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

#: Suffixes set as superscripts after a number, per language.
SUPERSCRIPT_ORDINALS: dict[str, re.Pattern[str]] = {
    "en": re.compile(r"(?<=\d)(st|nd|rd|th)\b"),
    "fr": re.compile(r"(?<=\d)(er|re|e)\b"),
}

_TOKEN = re.compile(r"\\\\|\\\*|\*+")


@dataclass(frozen=True)
class Span:
    text: str
    bold: bool = False
    italic: bool = False
    superscript: bool = False


def parse(text: str, lang: str | None = None) -> list[Span]:
    """Split ``text`` into runs of the same formatting.

    An unmatched ``*`` or ``**`` is kept as a literal character, so no text is
    ever lost to the markup.
    """
    spans = _emphasis(text)
    pattern = SUPERSCRIPT_ORDINALS.get(lang or "")
    if pattern is not None:
        spans = [piece for span in spans for piece in _superscripts(span, pattern)]
    return _merge(spans)


def plain(text: str) -> str:
    """The text as a reader sees it, markup removed."""
    return "".join(span.text for span in _emphasis(text))


def to_markup(spans: list[Span]) -> str:
    """Runs back to marked-up text (superscripts become plain text again).

    Markers are written only where bold or italic changes, the inner one closed
    first, so :func:`parse` reads back the same runs. Whitespace at the edges of
    a run takes the formatting its neighbours share, so markers hug the words.
    """
    pieces: list[tuple[str, bool]] = []  # (characters, literal?)
    stack: list[str] = []
    for text, bold, italic in _segments(spans):
        markers, stack = _transition(stack, bold, italic)
        pieces.extend((marker, False) for marker in markers)
        pieces.append((text, True))
    pieces.extend((marker, False) for marker in _transition(stack, False, False)[0])
    return _escaped(pieces)


def _segments(spans: list[Span]) -> list[tuple[str, bool, bool]]:
    """The texts with their formatting; whitespace at a run's edges gets its neighbours' share."""
    cores: list[tuple[str, bool, bool] | str] = []
    for span in _merge([replace(s, superscript=False) for s in spans]):
        core = span.text.strip()
        lead = span.text[: len(span.text) - len(span.text.lstrip())]
        trail = span.text[len(span.text.rstrip()):] if core else ""
        if lead:
            cores.append(lead)
        if core:
            cores.extend([(core, span.bold, span.italic), trail] if trail else
                         [(core, span.bold, span.italic)])
    segments: list[tuple[str, bool, bool]] = []
    for index, piece in enumerate(cores):
        if isinstance(piece, tuple):
            segments.append(piece)
            continue
        before = next((p for p in reversed(cores[:index]) if isinstance(p, tuple)), None)
        after = next((p for p in cores[index + 1:] if isinstance(p, tuple)), None)
        bold = bool(before and after and before[1] and after[1])
        italic = bool(before and after and before[2] and after[2])
        segments.append((piece, bold, italic))
    return segments


def _transition(stack: list[str], bold: bool, italic: bool) -> tuple[list[str], list[str]]:
    """Markers from the open ``stack`` to the wanted state: close (innermost first) only
    what must close, then open ``**`` before ``*``; and the stack after them."""
    wanted = {"**": bold, "*": italic}
    kept = list(stack)
    markers: list[str] = []
    while any(not wanted[marker] for marker in kept):
        markers.append(kept.pop())
    opened = [marker for marker in ("**", "*") if wanted[marker] and marker not in kept]
    return markers + opened, kept + opened


def _escaped(pieces: list[tuple[str, bool]]) -> str:
    chars = [(char, literal) for text, literal in pieces for char in text]
    out = []
    for index, (char, literal) in enumerate(chars):
        following = chars[index + 1][0] if index + 1 < len(chars) else ""
        if literal and char == "*":
            out.append("\\*")
        elif literal and char == "\\" and following in ("*", "\\"):
            out.append("\\\\")
        else:
            out.append(char)
    return "".join(out)


def _emphasis(text: str) -> list[Span]:
    tokens = _tokenize(text)
    opened = _matched_markers(tokens)
    spans: list[Span] = []
    bold = italic = False
    for index, token in enumerate(tokens):
        if token in ("*", "**") and index in opened:
            if token == "**":
                bold = not bold
            else:
                italic = not italic
            continue
        literal = token[1:] if token in ("\\*", "\\\\") else token
        spans.append(Span(literal, bold=bold, italic=italic))
    return _merge(spans)


def _tokenize(text: str) -> list[str]:
    tokens: list[str] = []
    stack: list[str] = []  # markers open so far, as :func:`_matched_markers` would pair them
    position = 0
    for match in _TOKEN.finditer(text):
        if match.start() > position:
            tokens.append(text[position:match.start()])
        run = match.group()
        if run.startswith("\\"):
            tokens.append(run)
        else:
            markers = _run_markers(run, stack, text, match.end())
            for marker in markers:
                if marker in stack:
                    del stack[stack.index(marker):]
                else:
                    stack.append(marker)
            tokens.extend(markers)
        position = match.end()
    if position < len(text):
        tokens.append(text[position:])
    return tokens


def _run_markers(run: str, stack: list[str], text: str, end: int) -> list[str]:
    """A run of stars as markers: the change :func:`to_markup` writes from the open
    ``stack`` when one has that length (one at most does), else the stars as written."""
    for bold, italic in ((False, False), (True, False), (False, True), (True, True)):
        markers = _transition(stack, bold, italic)[0]
        if markers and sum(map(len, markers)) == len(run):
            return markers
    markers = []
    for star in re.findall(r"\*\*\*|\*\*|\*", run):
        if star == "***":
            # Bold and italic together: open as ** then *, close as * then **.
            opening = end < len(text) and not text[end].isspace()
            markers.extend(["**", "*"] if opening else ["*", "**"])
        else:
            markers.append(star)
    return markers


def _matched_markers(tokens: list[str]) -> set[int]:
    """Indices of markers that have a partner; lone markers stay literal."""
    matched: set[int] = set()
    stack: list[int] = []
    for index, token in enumerate(tokens):
        if token not in ("*", "**"):
            continue
        partner = next((i for i in reversed(stack) if tokens[i] == token), None)
        if partner is not None:
            del stack[stack.index(partner):]
            matched.update((partner, index))
        else:
            stack.append(index)
    return matched


def _superscripts(span: Span, pattern: re.Pattern[str]) -> list[Span]:
    pieces = []
    position = 0
    for match in pattern.finditer(span.text):
        pieces.append(replace(span, text=span.text[position:match.start()]))
        pieces.append(replace(span, text=match.group(), superscript=True))
        position = match.end()
    pieces.append(replace(span, text=span.text[position:]))
    return [piece for piece in pieces if piece.text]


def _merge(spans: list[Span]) -> list[Span]:
    merged: list[Span] = []
    for span in spans:
        if not span.text:
            continue
        if merged and replace(merged[-1], text="") == replace(span, text=""):
            merged[-1] = replace(span, text=merged[-1].text + span.text)
        else:
            merged.append(span)
    return merged
