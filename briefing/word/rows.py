"""What a person did to the rows of a sheet DOCX, and where each unit goes in the YAML.

The DOCX table lists the sheet's units in reading order; a row added in Word
(copied, inserted, or a new paragraph started with Enter in a list item,
activity or paragraph) is a new unit at that place, of the kind of the rows
round it. This module turns the rows into *entries* (one per unit the DOCX now
holds, in order), gives each new entry its kind and its place (the YAML list it
goes into, after which item), and tells which units moved within their list.
It decides nothing about texts: :mod:`briefing.word.merge` does.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ..core.model import DataPath, Sheet, Unit
from ..core.rows import sheet_rows
from .read import DocxRow

#: Kinds whose cell may hold several paragraphs, each a unit of its own.
SPLITTABLE = frozenset({"paragraph", "list-item", "activity"})
#: Kinds that are blocks of a section's ``blocks`` list.
BLOCK_KINDS = frozenset({"title", "paragraph", "subheading", "activity"})
#: What a row added after a row of this kind becomes.
_NEW_AFTER = {"paragraph": "paragraph", "activity": "activity", "list-item": "list-item",
              "title": "paragraph", "subheading": "paragraph"}


@dataclass(frozen=True)
class Place:
    """Where a unit lives in the YAML: the list holding it and its section."""

    container: DataPath
    section: int


@dataclass
class Entry:
    """One unit as the DOCX now holds it, in the DOCX's order."""

    row: DocxRow
    key: str | None
    kind: str
    texts: dict[str, str]
    #: The YAML list the unit is an item of; its place in it follows the DOCX's order.
    place: Place | None = None
    #: Added in Word: the key is given when its unit is made.
    added: bool = False

    @property
    def is_new(self) -> bool:
        return self.added


def place_of(unit: Unit) -> Place | None:
    """The list that holds the unit's item: a section's blocks, or a list block's items."""
    path = unit.path
    if unit.kind in BLOCK_KINDS:
        return Place(path[:3], int(path[1]))
    if unit.kind == "list-item":
        return Place(path[:5], int(path[1]))
    return None


def section_of(unit: Unit) -> int | None:
    path = unit.path
    return int(path[1]) if len(path) > 1 and path[0] == "sections" else None


def entries_of(rows: Sequence[DocxRow], sheet: Sheet, base_kinds: Mapping[str, str],
               languages: Sequence[str]) -> tuple[list[Entry], list[str]]:
    """The rows as units: a keyed row of a splittable kind with several paragraphs is that
    unit and, after it, one new unit per further paragraph. Returns the entries and notes
    for paragraph breaks dropped where a cell cannot hold several units."""
    units = {unit.key: unit for unit in sheet.units()}
    plain = {row.key: row.kind for row in sheet_rows(sheet) if row.kind == "contact-plain"}
    entries: list[Entry] = []
    notes: list[str] = []
    for row in rows:
        key = row.key
        kind = (units[key].kind if key in units else plain.get(key or "")
                or base_kinds.get(key or "", "")) if key else ""
        columns = [cell.paragraphs for cell in row.cells]
        splittable = kind in SPLITTABLE or key is None
        if not splittable:
            if any(len(paragraphs) > 1 for paragraphs in columns):
                notes.append(f"{key}: paragraph break dropped (a {kind.replace('-', ' ')} is "
                             "one paragraph)")
            entries.append(Entry(row, key, kind, _texts(languages, [[" ".join(p)]
                                                                    for p in columns], 0),
                                 place_of(units[key]) if key in units else None,
                                 added=key is None))
            continue
        count = max((len(paragraphs) for paragraphs in columns), default=1) or 1
        for index in range(count):
            first = index == 0
            entries.append(Entry(row, key if first else None, kind if first else "",
                                 _texts(languages, columns, index),
                                 place_of(units[key]) if first and key in units else None,
                                 added=key is None or not first))
    return entries, notes


def _texts(languages: Sequence[str], columns: Sequence[Sequence[str]], index: int
           ) -> dict[str, str]:
    return {lang: paragraphs[index] if index < len(paragraphs) else ""
            for lang, paragraphs in zip(languages, columns, strict=False)}


def place_new_entries(entries: list[Entry], sheet: Sheet) -> list[tuple[Entry, str]]:
    """Give every new entry its kind and place from the rows round it; returns the entries
    that have no place, each with the reason, for the importer to refuse."""
    units = {unit.key: unit for unit in sheet.units()}
    refused: list[tuple[Entry, str]] = []
    previous: Entry | None = None
    for index, entry in enumerate(entries):
        if entry.is_new:
            reason = _place(entry, previous, entries[index + 1:], units)
            if reason:
                refused.append((entry, reason))
                continue
        previous = entry
    return refused


def _place(entry: Entry, previous: Entry | None, following: Sequence[Entry],
           units: Mapping[str, Unit]) -> str:
    """Kind and place of a new entry, or why it has none."""
    if previous is None or previous.kind in ("document-title", "organisation"):
        return "added above the first section; add rows below a section's heading"
    if previous.kind in ("contact-field", "contact-plain"):
        return ("added among the contact details, which are fields, not rows; edit the "
                "telephone, fax, e-mail or website rows themselves")
    if previous.kind == "heading":
        first = next((e for e in following if not e.is_new), None)
        unit = units.get(first.key or "") if first is not None else None
        section = section_of(units[previous.key or ""])
        if unit is not None and section_of(unit) == section and unit.kind in _NEW_AFTER:
            entry.kind, entry.place = _NEW_AFTER[unit.kind], place_of(unit)
            return ""
        entry.kind = "paragraph"
        entry.place = Place(("sections", section or 0, "blocks"), section or 0)
        return ""
    entry.kind = _NEW_AFTER[previous.kind]
    entry.place = previous.place if previous.is_new else place_of(units[previous.key or ""])
    return ""


def moved_rows(rows_in_order: Sequence[tuple[int, str]], base_order: Mapping[str, int]
               ) -> list[tuple[int, str]]:
    """The rows out of their former order: those not on the longest run that kept it.

    ``rows_in_order`` is (row number, key) in DOCX order; a row moved down or up is
    named, not the neighbours it passed."""
    positions = [base_order[key] for _, key in rows_in_order]
    # Longest increasing subsequence (patience sorting), keeping the indexes on it.
    tails: list[int] = []
    tail_index: list[int] = []
    parent = [-1] * len(positions)
    for index, value in enumerate(positions):
        at = bisect_left(tails, value)
        if at == len(tails):
            tails.append(value)
            tail_index.append(index)
        else:
            tails[at] = value
            tail_index[at] = index
        parent[index] = tail_index[at - 1] if at else -1
    kept: set[int] = set()
    index = tail_index[-1] if tail_index else -1
    while index >= 0:
        kept.add(index)
        index = parent[index]
    return [row for index, row in enumerate(rows_in_order) if index not in kept]
