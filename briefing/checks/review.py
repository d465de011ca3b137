"""Review verdicts that still hold: a ``reviewed`` or ``final`` status judged a source text.

``import-docx`` of a review copy records, with each verdict, a hash of the source
text the reviewer saw (``source_hash``). Once that text changes, the verdict no
longer holds: it counts as ``translated`` (the review copy shows it so) and this
rule says so until the unit is reviewed again. A verdict for a key the sheet no
longer has is reported too.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..core.model import Sheet, Unit
from .base import Hit, Rule, SheetContext

REVIEW_STALE = Rule("review-stale", "warning",
                    "a review verdict was given for a source text that has changed since")
RULES = (REVIEW_STALE,)


def check(unit: Unit, context: SheetContext) -> Iterator[Hit]:
    sheet = context.sheet
    for lang in sheet.languages:
        verdict = sheet.verdict(lang, unit)
        if verdict is None or not verdict.stale:
            continue
        source = next(code for code in sheet.languages if code != lang)
        entry = sheet.review[lang][unit.key]
        why = (f"the {source} text changed since it was marked {verdict.recorded}"
               if entry.source_hash else
               f"marked {verdict.recorded}, but no source_hash records the {source} text "
               "it was given for")
        yield Hit(unit, lang, REVIEW_STALE.id,
                  f"{why}, so it counts as {verdict.status}: review it again (review --lang "
                  f"{lang}), or if the verdict still holds write "
                  f'source_hash: "{verdict.current_hash}"',
                  ("review", lang, unit.key))


def orphans(sheet: Sheet) -> Iterator[tuple[tuple[str, str], str]]:
    """``((lang, key), message)`` for each verdict whose key the sheet no longer has."""
    keys = {unit.key for unit in sheet.units()}
    for lang, entries in sheet.review.items():
        for key in entries:
            if key not in keys:
                yield (lang, key), (f"a review verdict for {key!r}, which the sheet no longer "
                                    "has; remove it (or give it the unit's new key)")
