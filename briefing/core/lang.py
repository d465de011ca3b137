"""Languages and dates as each language prints them, through Babel's CLDR data.

A pack prints an activity's dates in both columns; the form ("19–20 May 2015",
"19—20 мая 2015 г.") is CLDR's for the locale, never assembled by hand. The
locale of a language comes from ``templates/labels.yaml`` (``locale:``), so that
English can print day-month-year as the forum's documents do.
"""

from __future__ import annotations

import datetime as dt
from functools import cache

from babel import Locale, UnknownLocaleError
from babel.dates import format_interval, format_skeleton

from ..errors import TemplateError

#: Year, abbreviated month and day: the interval skeleton CLDR provides in every locale.
SKELETON = "yMMMd"


def date_range(start: dt.date, end: dt.date | None, locale: str) -> str:
    """``start``–``end`` (or the single day) in ``locale``'s own form."""
    babel_locale = _locale(locale)
    if end is None or end == start:
        return format_skeleton(SKELETON, start, locale=babel_locale)
    return format_interval(start, end, SKELETON, locale=babel_locale)


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
