"""What every family of checks shares: rules, hits, the units checked and text helpers.

A family module declares its :class:`Rule` objects in ``RULES`` and a function
``check(unit, context)`` that yields a :class:`Hit` for each thing it finds.
The package turns hits into located findings and applies the data's ``ignore``
entries; families know nothing of files or output formats.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cache, lru_cache
from typing import TypeVar, cast

from babel.core import get_global

from ..core.markup import plain
from ..core.model import Activity, Country, Sheet, Unit

# Declared with the findings (which load no model), and taken from here by the families.
from .findings import Rule as Rule
from .findings import Severity as Severity

T = TypeVar("T")


@dataclass(frozen=True)
class Hit:
    """One thing a rule found in a unit; ``lang`` is the text it concerns, if one."""

    unit: Unit
    lang: str | None
    rule: str
    message: str
    #: Where in the data the finding points, when not at the unit's text.
    path: tuple[str | int, ...] | None = None


@dataclass(frozen=True)
class TermEntry:
    """One key term of the glossary: its forms in each language (``*`` ends a stem)."""

    id: str
    forms: dict[str, tuple[str, ...]]


@dataclass
class SheetContext:
    """What the rules may consult besides the unit: the sheet, countries, glossary."""

    sheet: Sheet
    countries: dict[str, Country]
    terms: tuple[TermEntry, ...] = ()
    #: Compiled matchers, built once per run and shared by every unit.
    cache: dict[object, object] = field(default_factory=dict)

    @property
    def languages(self) -> tuple[str, str]:
        return self.sheet.languages[0], self.sheet.languages[1]

    def cached(self, key: object, build: Callable[[], T]) -> T:
        """``build()``, computed once per run for ``key`` (compiled patterns, mostly)."""
        if key not in self.cache:
            self.cache[key] = build()
        return cast(T, self.cache[key])


Check = Callable[[Unit, SheetContext], Iterator[Hit]]


def checked_units(sheet: Sheet) -> Iterator[Unit]:
    """The sheet's translatable units, plus each activity's city, which is printed too."""
    yield from sheet.units()
    for s_index, section in enumerate(sheet.sections):
        for b_index, block in enumerate(section.blocks):
            if isinstance(block, Activity):
                path = ("sections", s_index, "blocks", b_index, "city")
                yield Unit(f"{block.key}.city", "activity-city", block.city, path, block)


def other(lang: str, context: SheetContext) -> str:
    first, second = context.languages
    return second if lang == first else first


# --- Text helpers -------------------------------------------------------------------------

#: A run of letters: the unit of the script checks (digits, hyphens and marks split it).
WORD = re.compile(r"[^\W\d_]+")
#: Starts only where a run of address characters starts: trying every position inside a long
#: run made blanking identifiers quadratic in the text.
EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
URL = re.compile(r"(?:https?://|www\.)[^\s<>\"“”«»()\[\]]+[^\s<>\"“”«»()\[\].,;:!?]", re.I)
#: International numbers only: a leading ``+`` tells a telephone number from other digits.
PHONE = re.compile(r"\+\d[\d ()./\u00a0\u2009-]{5,}\d")
IDENTIFIER = re.compile(f"{EMAIL.pattern}|{URL.pattern}|{PHONE.pattern}", re.I)


@lru_cache(maxsize=4096)
def reading_text(text: str) -> str:
    """The text as a reader sees it: inline markup removed."""
    return plain(text)


def without_identifiers(text: str) -> str:
    """``text`` with e-mail addresses, URLs and telephone numbers blanked out."""
    return IDENTIFIER.sub(lambda match: " " * len(match.group()), text)


@cache
def letter_script(char: str) -> str | None:
    """``Latin``, ``Cyrillic``, ``Greek``… for a letter; ``None`` for anything else."""
    if not char.isalpha():
        return None
    name = unicodedata.name(char, "")
    script = name.split(" ", 1)[0]
    return script.capitalize() if script else None


@lru_cache(maxsize=16384)
def word_scripts(word: str) -> frozenset[str]:
    return frozenset(script for char in word if (script := letter_script(char)))


_BABEL_SCRIPTS = {"Latn": "Latin", "Cyrl": "Cyrillic", "Grek": "Greek"}


@cache
def expected_script(lang: str) -> str | None:
    """The script a language is usually written in (CLDR's likely subtags), if known."""
    likely = get_global("likely_subtags").get(lang)
    if not likely:
        return None
    parts = str(likely).split("_")
    return _BABEL_SCRIPTS.get(parts[1]) if len(parts) > 1 else None


def is_acronym(word: str) -> bool:
    return len(word) >= 2 and word.isupper()


def is_roman_numeral(word: str) -> bool:
    return bool(re.fullmatch(r"M{0,3}(CM|CD|D?C{0,3})(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})", word)) \
        and bool(word)


def quoted(text: str, limit: int = 60) -> str:
    """A text for a message: in quotes, shortened in the middle if long."""
    flat = " ".join(text.split())
    if len(flat) > limit:
        flat = flat[: limit // 2 - 1] + "…" + flat[-(limit // 2 - 1):]
    return f"“{flat}”"
