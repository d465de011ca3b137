"""Is each text written in its column's script?

Russian texts rightly carry Latin acronyms (ICMPD, EU), names (Facebook),
Roman numerals, e-mail addresses and URLs; those are allowed. A Cyrillic column
holding ordinary lower-case Latin words, a Latin column holding Cyrillic words,
a text wholly in the other column's script, or one word mixing scripts (a Latin
"o" inside a Cyrillic word, invisible to the eye and fatal to search) is reported.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..core.model import Unit
from .base import (
    WORD,
    Hit,
    Rule,
    SheetContext,
    expected_script,
    is_acronym,
    is_roman_numeral,
    other,
    quoted,
    reading_text,
    without_identifiers,
    word_scripts,
)

WRONG_LANGUAGE = Rule("wrong-language", "warning",
                      "a text is wholly in another script than its column's language uses")
WRONG_SCRIPT = Rule("wrong-script", "warning",
                    "a text holds words in another script (beyond names, acronyms, addresses)")
MIXED_SCRIPT = Rule("mixed-script", "warning",
                    "a word mixes letters of two scripts, such as a Latin o in a Cyrillic word")
RULES = (WRONG_LANGUAGE, WRONG_SCRIPT, MIXED_SCRIPT)

_SHOWN_WORDS = 5
_KIND_NAMES = {"heading": "heading", "document-title": "title", "title": "title",
               "subheading": "subheading", "contact-field": "contact field",
               "activity-city": "city"}


def check(unit: Unit, context: SheetContext) -> Iterator[Hit]:
    for lang in context.languages:
        text = unit.text(lang)
        if text:
            yield from _check_text(unit, lang, reading_text(text), context)


def _check_text(unit: Unit, lang: str, text: str, context: SheetContext) -> Iterator[Hit]:
    words = WORD.findall(without_identifiers(text))
    mixed = [word for word in words if len(word_scripts(word)) > 1]
    for word in dict.fromkeys(mixed):
        yield Hit(unit, lang, MIXED_SCRIPT.id, _mixed_message(word))
    expected = expected_script(lang)
    if expected is None:
        return
    single = [word for word in words if len(word_scripts(word)) == 1]
    own = [word for word in single if word_scripts(word) == {expected}]
    foreign = [word for word in single if word_scripts(word) != {expected}]
    if not foreign:
        return
    if not own:
        a_name = len(foreign) == 1 and foreign[0][:1].isupper()
        if not a_name and not all(_allowed_alone(word) for word in foreign):
            yield Hit(unit, lang, WRONG_LANGUAGE.id,
                      _wrong_language_message(unit, lang, text, foreign, context))
        return
    suspicious = [word for word in foreign if not _allowed_among(word, expected)]
    if suspicious:
        script = _script_name(suspicious[0])
        shown = ", ".join(quoted(word) for word in dict.fromkeys(suspicious))
        if len(set(suspicious)) > _SHOWN_WORDS:
            shown = ", ".join(quoted(w) for w in list(dict.fromkeys(suspicious))[:_SHOWN_WORDS])
            shown += " …"
        yield Hit(unit, lang, WRONG_SCRIPT.id,
                  f"{script} word(s) in the {lang} text ({expected} expected): {shown}")


def _allowed_alone(word: str) -> bool:
    """Acronyms and Roman numerals ("ICMPD", "II") are the same in every language; so is
    a name standing alone ("Facebook")."""
    return is_acronym(word) or is_roman_numeral(word)


def _allowed_among(word: str, expected: str) -> bool:
    """Within a Cyrillic text: Latin names, acronyms, numerals; within Latin: nothing."""
    if expected == "Latin":
        return False
    return is_acronym(word) or is_roman_numeral(word) or word[:1].isupper() or len(word) == 1


def _script_name(word: str) -> str:
    return next(iter(word_scripts(word)))


def _wrong_language_message(
    unit: Unit, lang: str, text: str, foreign: list[str], context: SheetContext
) -> str:
    kind = _KIND_NAMES.get(unit.kind, "text")
    script = _script_name(foreign[0])
    message = f"{kind} {quoted(text)} is in {script} script, not the " \
              f"{expected_script(lang)} of {lang}"
    partner = other(lang, context)
    partner_text = unit.text(partner)
    if partner_text and " ".join(partner_text.split()) == " ".join(text.split()):
        message += f" (it is the {partner} text, left in the {lang} column)"
    return message


def _mixed_message(word: str) -> str:
    scripts = word_scripts(word)
    counts = {script: sum(1 for c in word if word_scripts(c) == {script}) for script in scripts}
    minority = min(counts, key=lambda s: counts[s])
    odd = [c for c in word if word_scripts(c) == {minority}]
    letters = ", ".join(f"{c!r} U+{ord(c):04X}" for c in dict.fromkeys(odd))
    return f"word {quoted(word)} mixes {' and '.join(sorted(scripts))} letters " \
           f"({minority} {letters})"
