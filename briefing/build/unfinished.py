"""Which documents a build may make, and which of them are drafts: decided per document,
from the units it prints.

``check`` locates each finding at a unit of a sheet (or at the sheet as a whole). An
error holds back only the documents that print its unit: a text awaiting translation in
an activity about Uzbekistan stops that sheet, Uzbekistan's pack and the compendium, not
Bulgaria's pack. A draft build makes them anyway, and only a document that prints a
placeholder carries DRAFT: a document with nothing missing is final, draft build or not,
so ``--draft`` never rewrites a complete document.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from ..checks import CheckFailedError, Finding
from ..checks.base import checked_units
from ..checks.completeness import MISSING
from ..core.load import LoadedProject

#: What a document prints: sheet id → the keys of its units printed (``None``: all).
Printed = Mapping[str, frozenset[str] | None]


@dataclass(frozen=True)
class Verdict:
    """How a document is to be built: ``held`` names the errors in what it prints (it is
    not built), ``draft`` says it prints a placeholder."""

    held: tuple[str, ...] = ()
    draft: bool = False

    def failure(self, document: str) -> str:
        """The build's line for a document held back: which errors it waits for."""
        first, more = self.held[0], len(self.held) - 1
        others = f" and {more} more" if more else ""
        return f"{document}: not built: check finds an error in {first}{others}, which it prints"


@dataclass
class Unfinished:
    """The errors of a build's sheets, each with the unit it concerns (``None``: the
    whole sheet), and the texts awaiting translation."""

    draft: bool
    #: Errors that belong to no sheet (the glossary, the labels): every document waits.
    general: list[Finding] = field(default_factory=list)
    _errors: dict[str, list[tuple[str | None, Finding]]] = field(default_factory=dict)

    @classmethod
    def of(cls, loaded: LoadedProject, findings: Iterable[Finding], *,
           draft: bool) -> Unfinished:
        unfinished = cls(draft)
        sheet_of = {loaded.display_name(sheet_id): sheet_id
                    for sheet_id in loaded.project.sheets}
        keys_of: dict[str, set[str]] = {}  # a sheet's unit keys, once for all its errors
        for finding in findings:
            if finding.severity != "error":
                continue
            sheet_id = sheet_of.get(finding.location.file)
            if sheet_id is None:
                unfinished.general.append(finding)
                continue
            if sheet_id not in keys_of:
                sheet = loaded.project.sheets[sheet_id]
                keys_of[sheet_id] = {unit.key for unit in checked_units(sheet)}
            unfinished._errors.setdefault(sheet_id, []).append(
                (_unit_key(finding.key_path, keys_of[sheet_id]), finding))
        return unfinished

    @property
    def errors(self) -> list[Finding]:
        return sorted([*self.general,
                       *(finding for found in self._errors.values() for _, finding in found)])

    def fingerprint(self, sheet_ids: Iterable[str]) -> str:
        """What the plan of a pack drawing on ``sheet_ids`` depends on besides the data it
        prints: the build's mode, the errors of no sheet and those of these sheets (an
        error elsewhere, or one moved to another line, plans it no more)."""
        found = [*self.general, *(finding for sheet_id in sheet_ids
                                  for _, finding in self._errors.get(sheet_id, ()))]
        text = "\n".join(str(finding) for finding in found)
        return hashlib.sha256(f"{self.draft}\n{text}".encode()).hexdigest()

    def refuse_general(self) -> None:
        """A final build stops at once for an error no sheet holds."""
        if self.general and not self.draft:
            raise CheckFailedError(self.errors)

    def touches(self, sheet_ids: Iterable[str]) -> bool:
        """Whether any of these sheets has an error: else every document of them is final."""
        return any(sheet_id in self._errors for sheet_id in sheet_ids)

    def verdict(self, printed: Printed) -> Verdict:
        held: list[str] = []
        draft = False
        for sheet_id, keys in printed.items():
            for key, finding in self._errors.get(sheet_id, ()):
                if keys is not None and key is not None and key not in keys:
                    continue
                draft = draft or finding.rule == MISSING.id
                held.append(finding.key_path or str(finding.location))
        if self.draft:
            return Verdict(draft=draft)
        return Verdict(held=tuple(held))


def _unit_key(key_path: str, keys: set[str]) -> str | None:
    """The unit a finding's key path names (``activity-3.city.ru`` → ``activity-3.city``),
    or ``None`` when it names none: the finding is then the whole sheet's."""
    if key_path in keys:
        return key_path
    head = key_path.rpartition(".")[0]
    return head if head in keys else None
