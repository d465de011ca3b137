"""Texts in a three-way merge: one change, the decision between base, YAML and DOCX, and
how a change or a conflict is shown (only the part that differs, with some context)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from ..core import markup
from ..core.model import Unit
from ..core.yamledit import YamlEditor

#: Characters of context shown round a change in a long text.
CONTEXT = 24

Side = Literal["theirs", "ours"]


@dataclass(frozen=True)
class Change:
    """One value to write: a text (``lang``), a field or a review field of a unit; or a unit
    added, deleted or moved (``what`` empty, ``new`` says what happened)."""

    key: str
    what: str
    old: str
    new: str

    def __str__(self) -> str:
        if not self.what:
            return f"{self.key}: {self.new}"
        old, new = shorten_pair(self.old, self.new)
        return f"{self.key}.{self.what}: {old} → {new}"


def normal(text: str) -> str:
    """A text as the DOCX round trip writes it back: markup re-derived from its runs."""
    return markup.to_markup(markup.parse(text)).strip()


class Decider:
    """Three-way choice of one value; records a conflict where it cannot decide."""

    def __init__(self, name: str, side: Callable[[str, str], Side | None]) -> None:
        self.name = name
        self.side = side
        self.conflicts: list[str] = []
        self.notes: list[str] = []

    def decide(self, where: str, key: str, what: str, base: str, ours: str, theirs: str) -> str:
        if theirs in (base, ours):
            return ours
        if ours == base:
            return theirs
        chosen = self.side(key, what)
        if chosen == "theirs":
            return theirs
        if chosen == "ours":
            self.notes.append(f"{key}.{what}: changed in both; kept the YAML's (--ours)")
            return ours
        shown_base, shown_ours, shown_theirs = differing_parts(base, ours, theirs)
        self.conflicts.append(
            f"{where}: {what} changed in both: base {shown_base}, YAML {shown_ours}, "
            f"DOCX {shown_theirs} (choose with --theirs {key} or --ours {key})")
        return ours


def shorten_pair(old: str, new: str) -> tuple[str, str]:
    """The two texts cut to the part that differs, with a little context either side."""
    old_part, new_part = _cut_all([old, new])
    return old_part, new_part


def differing_parts(*texts: str) -> tuple[str, ...]:
    """Each text cut to where the texts differ from one another, quoted."""
    return tuple(f"“{part}”" if text else part for part, text in zip(_cut_all(texts), texts,
                                                                        strict=True))


def _cut_all(texts: tuple[str, ...] | list[str]) -> tuple[str, ...]:
    shortest = min(len(text) for text in texts)
    prefix = 0
    while prefix < shortest and len({text[prefix] for text in texts}) == 1:
        prefix += 1
    suffix = 0
    while suffix < shortest - prefix and len({text[-1 - suffix] for text in texts}) == 1:
        suffix += 1
    start = max(0, prefix - CONTEXT)
    return tuple(_cut(text, start, suffix) for text in texts)


def _cut(text: str, start: int, suffix: int) -> str:
    if not text:
        return "(none)"
    end = min(len(text), len(text) - suffix + CONTEXT)
    piece = text[start:end]
    if len(piece) > 3 * CONTEXT:
        piece = piece[: int(1.5 * CONTEXT)] + " … " + piece[-int(1.5 * CONTEXT):]
    return ("…" if start > 0 else "") + piece + ("…" if end < len(text) else "")


@dataclass
class Edits:
    """What an import found: changes to write, notes to print, edits it refuses."""

    changes: list[Change]
    notes: list[str]
    refused: list[str]


def edit_text(decider: Decider, editor: YamlEditor, unit: Unit, lang: str, base: str,
              theirs: str, where: str) -> Change | None:
    """Write the ``lang`` text of ``unit`` if the DOCX changed it and the choice is the DOCX's."""
    ours_raw = unit.texts.get(lang, "")
    new = decider.decide(where, unit.key, lang, base, normal(ours_raw), theirs)
    if new == normal(ours_raw):
        return None
    editor.set_text(unit.path, lang, new)
    return Change(unit.key, lang, ours_raw, new)
