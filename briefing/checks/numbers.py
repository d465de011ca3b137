"""Numbers and dates: what one text counts, dates or ranks, the other must too.

Numbers are read as each language writes them (CLDR's decimal and grouping
signs through Babel: "1,000.5" in English, "1 000,5" in Russian), so "3rd" and
"3-го" are both 3, "2014-2017" and "2014-2017 гг." both hold 2014 and 2017,
"20 to 40" and "20-40" both hold 20 and 40. A number written as a word on the
other side ("three" ↔ "3", "третьей" ↔ "3rd") counts as present.

An activity's text usually opens with its dates ("19-20 May 2015", "19-20 мая
2015 г."); the first date in each text must agree with the activity's own start
and end.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from babel import UnknownLocaleError
from babel.numbers import get_decimal_symbol, get_group_symbol

from ..core.activity_text import DateForms, DatesRead
from ..core.model import Activity, Unit
from .base import Hit, Rule, SheetContext, reading_text, without_identifiers

NUMBER_MISMATCH = Rule("number-mismatch", "warning",
                       "a number in one text has no counterpart in the other")
DATE_MISMATCH = Rule("date-mismatch", "warning",
                     "an activity's text gives other dates than its start and end")
RULES = (NUMBER_MISMATCH, DATE_MISMATCH)

_SPACES = " \u00a0\u202f\u2009"
#: Small numbers as words, cardinal and ordinal, for the languages we know; elsewhere a
#: number written as a word on one side is simply not seen.
_NUMBER_WORDS: dict[str, dict[int, str]] = {
    "en": {
        1: r"one|first|single", 2: r"two|second|twice", 3: r"three|third|thrice",
        4: r"four|fourth", 5: r"five|fifth", 6: r"six|sixth", 7: r"seven|seventh",
        8: r"eight|eighth", 9: r"nine|ninth", 10: r"ten|tenth", 11: r"eleven|eleventh",
        12: r"twelve|twelfth",
    },
    "ru": {
        1: r"один|одн(?:а|о|ого|ой|ому|им|ом|у)|перв\w*",
        2: r"два|две|двух|двум|двумя|втор\w*|дважды",
        3: r"три|тр[её]х|тр[её]м|тремя|трет\w*|трижды",
        4: r"четыр(?:е|[её]х|[её]м|ьмя)|четв[её]рт\w*",
        5: r"пят(?:ь|и|ью|ый|ая|ое|ого|ой|ому|ым|ом|ые|ых)",
        6: r"шест(?:ь|и|ью|ой|ая|ое|ого|ому|ым|ом|ые|ых)",
        7: r"сем(?:ь|и|ью)|седьм\w*",
        8: r"восем(?:ь|и)|восьм\w*",
        9: r"девят\w*",
        10: r"десят(?:ь|и|ью|ый|ая|ое|ого|ой|ому|ым|ом|ые|ых)",
        11: r"одиннадцат\w*",
        12: r"двенадцат\w*",
    },
}


@dataclass(frozen=True)
class _Number:
    value: str
    shown: str


def check(unit: Unit, context: SheetContext) -> Iterator[Hit]:
    first, second = context.languages
    left, right = unit.text(first), unit.text(second)
    if left and right:
        left_text, right_text = reading_text(left), reading_text(right)
        yield from _unmatched(unit, (first, left_text), (second, right_text), context)
        yield from _unmatched(unit, (second, right_text), (first, left_text), context)
    if isinstance(unit.source, Activity) and unit.kind == "activity":
        for lang in (first, second):
            text = unit.text(lang)
            if text:
                yield from _date_hits(unit, unit.source, lang, reading_text(text), context)


def _unmatched(
    unit: Unit, side: tuple[str, str], partner: tuple[str, str], context: SheetContext
) -> Iterator[Hit]:
    lang, text = side
    partner_lang, partner_text = partner
    present = {number.value for number in numbers_in(partner_text, partner_lang, context)}
    reported: set[str] = set()
    for number in numbers_in(text, lang, context):
        if number.value in present or number.value in reported:
            continue
        if _written_as_word(number.value, partner_text, partner_lang):
            continue
        reported.add(number.value)
        yield Hit(unit, partner_lang, NUMBER_MISMATCH.id,
                  f"number {number.shown} in {lang} has no counterpart in {partner_lang}")


def numbers_in(text: str, lang: str, context: SheetContext) -> list[_Number]:
    """The numbers a text states, normalised (no grouping, "." for decimals)."""
    pattern = _number_pattern(lang, context)
    found = []
    for match in pattern.finditer(without_identifiers(text)):
        whole, fraction = match.group("int"), match.group("frac")
        digits = re.sub(r"\D", "", whole)
        value = digits.lstrip("0") or "0"  # not int(): a 5,000-digit run is no int Python reads
        if fraction and fraction.strip("0"):
            value += "." + fraction.rstrip("0")
        value = _expanded_year(value, text, match.start())
        found.append(_Number(value, match.group().strip()))
    return found


def _number_pattern(lang: str, context: SheetContext) -> re.Pattern[str]:
    def build() -> re.Pattern[str]:
        try:
            group, decimal = get_group_symbol(lang), get_decimal_symbol(lang)
        except (UnknownLocaleError, ValueError, LookupError):  # a language Babel lacks
            group, decimal = ",", "."
        groups = re.escape(group) if group not in _SPACES else f"[{_SPACES}]"
        return re.compile(
            rf"(?<![^\W_])(?P<int>\d{{1,3}}(?:{groups}\d{{3}})+(?!\d)|\d+)"
            rf"(?:{re.escape(decimal)}(?P<frac>\d+))?"
        )
    return context.cached(("numbers", lang), build)


_YEAR_BEFORE = re.compile(r"(?<!\d)(\d\d)(\d\d)\s*[-–—]\s*$")
#: How far before a number ``2014-`` is looked for: a bounded window keeps the rule linear
#: in the text (searching all the text before each number made it quadratic).
_YEAR_WINDOW = 32


def _expanded_year(value: str, text: str, end: int) -> str:
    """``2014-17`` means 2014 to 2017 (``end``: where the number starts in ``text``)."""
    if len(value) != 2:
        return value
    match = _YEAR_BEFORE.search(text, max(0, end - _YEAR_WINDOW), end)
    if match and int(value) > int(match.group(2)):
        return match.group(1) + value
    return value


def _written_as_word(value: str, text: str, lang: str) -> bool:
    words = _NUMBER_WORDS.get(lang, {})
    if value.isdigit() and len(value) <= 2 and int(value) in words and \
            re.search(rf"(?<!\w)(?:{words[int(value)]})(?!\w)", text, re.I):
        return True
    roman = _ROMAN.get(value)
    return roman is not None and re.search(rf"(?<![\w-]){roman}(?![\w-])", text) is not None


_ROMAN = {str(n): r for n, r in enumerate(
    ["", "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII",
     "XIV", "XV", "XVI", "XVII", "XVIII", "XIX", "XX", "XXI", "XXII"]) if n}


# --- Dates of activities -------------------------------------------------------------------

def _date_hits(
    unit: Unit, activity: Activity, lang: str, text: str, context: SheetContext
) -> Iterator[Hit]:
    found = dates_in(text, lang, context)
    if found is None:
        return
    if found.start is None or found.end is None:
        yield Hit(unit, lang, DATE_MISMATCH.id, f"{lang} text gives “{found.shown}”, "
                                                "which is not a valid date")
        return
    if (found.start, found.end) != (activity.start, activity.last_day):
        if activity.last_day == activity.start:
            expected = f"is on {activity.start.isoformat()}"
        else:
            expected = f"runs from {activity.start.isoformat()} to " \
                       f"{activity.last_day.isoformat()}"
        yield Hit(unit, lang, DATE_MISMATCH.id,
                  f"{lang} text gives “{found.shown}”, but the activity {expected}")


def dates_in(text: str, lang: str, context: SheetContext) -> DatesRead | None:
    """The first day or span of days the text names, with month and year, read as an
    activity's own dates are (:class:`briefing.core.activity_text.DateForms`)."""
    forms: DateForms = context.cached(("dates", lang), lambda: DateForms(lang))
    return forms.first(text)
