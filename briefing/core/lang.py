"""Languages and dates as each language prints them, through Babel's CLDR data.

A pack prints an activity's dates in both columns, with full month names as the
sheets write them ("7–8 June 2011", "30 ноября – 1 декабря 2024 г."): the long
date pattern of the locale (CLDR, through Babel) for the last day, the same
pattern cut before the year for the first day of a range across months, and an
en dash between them. The locale of a language comes from
``templates/labels.yaml`` (``locale:``), so that English can print
day-month-year as the forum's documents do.
"""

from __future__ import annotations

import datetime as dt
from functools import cache
from typing import Any

from babel import Locale, UnknownLocaleError
from babel.dates import format_date, format_interval

from ..errors import TemplateError

#: Year, full month and day, for locales whose long date does not start with the day.
SKELETON = "yMMMMd"
EN_DASH = "\u2013"


def date_range(start: dt.date, end: dt.date | None, locale: str) -> str:
    """``start``–``end`` (or the single day) in ``locale``'s own long form."""
    babel_locale = _locale(locale)
    last = format_date(end or start, "long", locale=babel_locale)
    if end is None or end == start:
        return last
    pattern = str(babel_locale.date_formats["long"].pattern)
    if not pattern.startswith("d"):  # month first ("June 7, 2011"): CLDR's own interval
        return str(format_interval(start, end, SKELETON, locale=babel_locale))
    if (start.year, start.month) == (end.year, end.month):
        return f"{format_date(start, 'd', locale=babel_locale)}{EN_DASH}{last}"
    if start.year == end.year:
        before_year = pattern[:pattern.index("y")].strip(" ,.")
        return f"{format_date(start, before_year, locale=babel_locale)} {EN_DASH} {last}"
    return f"{format_date(start, 'long', locale=babel_locale)} {EN_DASH} {last}"


def year_span(first: int, last: int) -> str:
    """``2010–2015``, or the one year."""
    return str(first) if first == last else f"{first}\u2013{last}"


def _locale(name: str) -> Locale:
    try:
        return Locale.parse(name)
    except (UnknownLocaleError, ValueError):
        raise TemplateError(f"unknown locale {name!r} for dates (see templates/labels.yaml)") \
            from None


@cache
def language_name(lang: str) -> str:
    """The language's own name for itself, capitalised ("English", "Русский")."""
    try:
        name = Locale.parse(lang).get_display_name(lang) or lang
    except (UnknownLocaleError, ValueError):
        return lang
    return name[:1].upper() + name[1:]


@cache
def _collator() -> Any:
    """The Unicode Collation Algorithm's default order (DUCET), which puts Latin and
    Cyrillic names in alphabetical order (Ё after Е, Türkiye after Turkey); loaded on first
    use, as it takes a fifth of a second."""
    import pyuca

    return pyuca.Collator()


def collation_key(text: str) -> tuple[int, ...]:
    """Sort key of ``text`` in alphabetical order, not by code point."""
    return tuple(_collator().sort_key(text))
