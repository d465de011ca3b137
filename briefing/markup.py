"""The small inline markup of texts: ``**bold**``, ``*italic*``, ``\\*`` for a star.

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

_TOKEN = re.compile(r"\\\*|\*\*\*|\*\*|\*")


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
    """Runs back to marked-up text (superscripts become plain text again)."""
    out = []
    for span in _merge([replace(s, superscript=False) for s in spans]):
        text = span.text.replace("*", "\\*")
        if not text:
            continue
        lead = text[: len(text) - len(text.lstrip())]
        trail = text[len(text.rstrip()):]
        core = text.strip()
        if core and (span.bold or span.italic):
            mark = "***" if span.bold and span.italic else "**" if span.bold else "*"
            out.append(f"{lead}{mark}{core}{mark}{trail}")
        else:
            out.append(text)
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
        literal = "*" if token == "\\*" else token
        spans.append(Span(literal, bold=bold, italic=italic))
    return _merge(spans)


def _tokenize(text: str) -> list[str]:
    tokens: list[str] = []
    position = 0
    for match in _TOKEN.finditer(text):
        if match.start() > position:
            tokens.append(text[position:match.start()])
        if match.group() == "***":
            # Bold and italic together: open as ** then *, close as * then **.
            opening = match.end() < len(text) and not text[match.end()].isspace()
            tokens.extend(["**", "*"] if opening else ["*", "**"])
        else:
            tokens.append(match.group())
        position = match.end()
    if position < len(text):
        tokens.append(text[position:])
    return tokens


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
