"""Is every text translated? A missing language, or a target left as the source."""

from __future__ import annotations

from collections.abc import Iterator

from ..core.model import Unit
from .base import WORD, Hit, Rule, SheetContext, expected_script, reading_text, word_scripts
from .findings import MISSING_TRANSLATION

MISSING = Rule(MISSING_TRANSLATION, "error",
               "a unit has no text in one of the sheet's languages")
UNTRANSLATED = Rule("untranslated", "warning",
                    "a unit's two texts are identical: the source was left untranslated")
RULES = (MISSING, UNTRANSLATED)


def check(unit: Unit, context: SheetContext) -> Iterator[Hit]:
    first, second = context.languages
    for lang in (first, second):
        text = unit.text(lang)
        if text is None or not text.strip():
            source = next((unit.text(x) for x in (first, second) if x != lang), None)
            if source:
                yield Hit(unit, lang, MISSING.id, f"no {lang} translation yet")
    left, right = unit.text(first), unit.text(second)
    if left and right and _same(left, right) and _needs_translation(left) \
            and not _script_tells(left, first, second):
        yield Hit(unit, second, UNTRANSLATED.id,
                  f"{second} text is the same as the {first} text; translate it")


def _same(left: str, right: str) -> bool:
    return " ".join(reading_text(left).split()) == " ".join(reading_text(right).split())


def _needs_translation(text: str) -> bool:
    """Ordinary words (lower case) need translating; names, acronyms and numbers need not."""
    return any(word.islower() and len(word) > 1 for word in WORD.findall(reading_text(text)))


def _script_tells(text: str, first: str, second: str) -> bool:
    """Where the two languages use different scripts, ``wrong-language`` names the column."""
    scripts = {expected_script(first), expected_script(second)}
    if None in scripts or len(scripts) < 2:
        return False
    used = set().union(*(word_scripts(word) for word in WORD.findall(text)))
    return len(used & scripts) == 1
