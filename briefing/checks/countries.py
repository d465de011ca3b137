"""Countries: each text names the same ones, and an activity names its own.

A country is found by the ``forms`` listed for it in ``data/countries.yaml``
(Russian case forms included), matched as whole words and with their case, so
that "Turkey" the country is found and "turkey" the bird is not.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..core.model import Activity, Country, Unit
from .base import Hit, Rule, SheetContext, reading_text

COUNTRY_MISMATCH = Rule("country-mismatch", "warning",
                        "a country is named in one text but not in the other")
ACTIVITY_COUNTRY = Rule("activity-country", "warning",
                        "an activity's host or participant country is not named in its text")
RULES = (COUNTRY_MISMATCH, ACTIVITY_COUNTRY)


def check(unit: Unit, context: SheetContext) -> Iterator[Hit]:
    first, second = context.languages
    texts = {lang: unit.text(lang) for lang in (first, second)}
    if not all(texts.values()):
        return
    named = {lang: countries_named(reading_text(text or ""), lang, context)
             for lang, text in texts.items()}
    reported: set[tuple[str, str]] = set()
    if isinstance(unit.source, Activity) and unit.kind == "activity":
        activity = unit.source
        for lang in (first, second):
            for code in activity.countries:
                if code not in named[lang] and _findable(code, lang, context):
                    role = "host" if code == activity.host else "participant"
                    reported.add((code, lang))
                    yield Hit(unit, lang, ACTIVITY_COUNTRY.id,
                              f"{role} {_name(code, context)} is not named in {lang}")
    for lang, partner in ((first, second), (second, first)):
        for code in named[lang]:
            if code in named[partner] or (code, partner) in reported:
                continue
            if _findable(code, partner, context):
                yield Hit(unit, partner, COUNTRY_MISMATCH.id,
                          f"{_name(code, context)} is named in {lang} but not in {partner}")


def countries_named(text: str, lang: str, context: SheetContext) -> list[str]:
    """Codes of the countries ``text`` names, in order of first mention."""
    matcher = _matcher(lang, context)
    if matcher is None:
        return []
    pattern, codes = matcher
    return list(dict.fromkeys(codes[match.group()] for match in pattern.finditer(text)))


def _matcher(
    lang: str, context: SheetContext
) -> tuple[re.Pattern[str], dict[str, str]] | None:
    def build() -> tuple[re.Pattern[str], dict[str, str]] | None:
        codes: dict[str, str] = {}
        for code, country in context.countries.items():
            for form in _forms(country, lang):
                codes.setdefault(form, code)
        if not codes:
            return None
        # Longest first, so that "Kyrgyz Republic" wins over a shorter form inside it.
        alternatives = "|".join(re.escape(form) for form in sorted(codes, key=len, reverse=True))
        return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)"), codes
    return context.cached(("countries", lang), build)


def _forms(country: Country, lang: str) -> list[str]:
    forms = list(country.forms.get(lang, []))
    name = country.name.get(lang)
    if name:
        forms.append(name)
    return forms


def _findable(code: str, lang: str, context: SheetContext) -> bool:
    """Only a country we can recognise in ``lang`` can be missing from it."""
    country = context.countries.get(code)
    return country is not None and bool(_forms(country, lang))


def _name(code: str, context: SheetContext) -> str:
    country = context.countries.get(code)
    if country is None:
        return code
    name = country.name.get(context.languages[0]) or next(iter(country.name.values()), code)
    return f"{name} ({code})"
