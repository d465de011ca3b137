"""Activities: every country an activity's text names is its host or a participant.

A country's pack is chosen by an activity's ``host`` and ``participants``, so a country the
text names but the data does not list is missing from that country's pack. Countries are
found as the DOCX import reads them (:class:`~briefing.core.activity_text.CountryNames`):
every form of ``countries.yaml``, whole words, case as written.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial

from ..core.activity_text import CountryNames
from ..core.model import Activity, Unit
from .base import Hit, Rule, SheetContext, reading_text

ACTIVITY_UNLISTED_COUNTRY = Rule(
    "activity-unlisted-country", "warning",
    "a country named in an activity's text is neither its host nor one of its participants")
RULES = (ACTIVITY_UNLISTED_COUNTRY,)


def check(unit: Unit, context: SheetContext) -> Iterator[Hit]:
    if not isinstance(unit.source, Activity) or unit.kind != "activity":
        return
    listed = set(unit.source.countries)
    unlisted: dict[str, list[str]] = {}
    for lang in context.languages:
        text = unit.text(lang)
        if not text:
            continue
        names = context.cached(("activity-country-names", lang),
                               partial(CountryNames, context.countries, lang))
        for code in names.named(reading_text(text)):
            if code not in listed:
                unlisted.setdefault(code, []).append(lang)
    # Once per country, on the first text naming it: one fix, one line.
    for code, langs in unlisted.items():
        yield Hit(unit, langs[0], ACTIVITY_UNLISTED_COUNTRY.id,
                  f"{_name(code, context)} is named in {' and '.join(langs)} but is neither "
                  "the host nor a participant")


def _name(code: str, context: SheetContext) -> str:
    country = context.countries.get(code)
    name = country.name.get(context.languages[0]) if country is not None else None
    if name is None and country is not None:
        name = next(iter(country.name.values()), None)
    return f"{name} ({code})" if name else code
