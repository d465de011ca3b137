"""Key terms: a term of ``data/glossary.yaml`` found in one text must be in the other.

Country names cannot tell "South Eastern Europe" from "Southern Europe"; a small
glossary of the forum's key terms, each with its forms per language, can. A
form ending a word with ``*`` matches any ending ("Юго-Восточн*" matches
"Юго-Восточной"); matching ignores case and takes whole words, leftmost and
longest first, so "South Eastern Europe" is the south-east term and not
"Eastern Europe".
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated

import pydantic
from pydantic import StringConstraints, TypeAdapter
from pydantic_core import ErrorDetails

from ..core.model import KEY_PATTERN, LangCode, Unit
from ..core.yamlio import display_name, load_yaml
from ..errors import DataError
from .base import Hit, Rule, SheetContext, TermEntry, reading_text
from .targets import GLOSSARY_FILE as GLOSSARY_FILE

TERM_MISMATCH = Rule("term-mismatch", "warning",
                     "a key term of data/glossary.yaml is in one text but not in the other")
RULES = (TERM_MISMATCH,)

_Form = Annotated[str, StringConstraints(min_length=1, pattern=r"\S")]
_TermId = Annotated[str, StringConstraints(pattern=KEY_PATTERN)]
_schema = TypeAdapter(dict[_TermId, dict[LangCode, Annotated[list[_Form], pydantic.Field(
    min_length=1)]]])


def load_glossary(data_dir: Path, root: Path) -> tuple[TermEntry, ...]:
    """The glossary's terms (none if there is no glossary file); DataError if invalid."""
    path = data_dir / GLOSSARY_FILE
    if not path.exists():
        return ()
    document = load_yaml(path, display_name(path, root))
    try:
        raw = _schema.validate_python(document.data or {})
    except pydantic.ValidationError as error:
        problems = []
        for detail in error.errors(include_url=False):
            where, message = _problem(detail)
            problems.append(document.problem(where, message, at_key="[key]" in detail["loc"]))
        raise DataError(problems) from None
    return tuple(TermEntry(term, {lang: tuple(forms) for lang, forms in by_lang.items()})
                 for term, by_lang in raw.items())


def _problem(detail: ErrorDetails) -> tuple[tuple[str | int, ...], str]:
    at_key = "[key]" in detail["loc"]
    where = tuple(part for part in detail["loc"] if part != "[key]")
    if at_key and len(where) == 1:
        message = f"not a term id (lower-case letters, digits, '-', '.'): {detail['input']!r}"
    elif at_key:
        message = f"not a language code (two or three lower-case letters): {detail['input']!r}"
    elif detail["type"] == "too_short":
        message = "needs at least one form"
    elif detail["type"] == "list_type" and isinstance(detail["input"], str):
        message = f"the forms are a list: write {where[-1]}: [{detail['input']}]"
    elif detail["type"] in ("dict_type", "list_type", "string_type"):
        message = ("expected term → language → list of forms, as in south-east: "
                   "{en: [South East], ru: [Юго-Восточн*]}")
    else:
        message = str(detail["msg"])
    return where, message


def check(unit: Unit, context: SheetContext) -> Iterator[Hit]:
    if not context.terms:
        return
    first, second = context.languages
    left, right = unit.text(first), unit.text(second)
    if not (left and right):
        return
    found = {first: terms_in(reading_text(left), first, context),
             second: terms_in(reading_text(right), second, context)}
    differences: list[tuple[str, str]] = []
    for lang, partner in ((first, second), (second, first)):
        for term, shown in found[lang].items():
            if term not in found[partner] and _has_forms(term, partner, context):
                differences.append((partner, f"{term} (“{shown}”) is in {lang} but not in "
                                             f"{partner}"))
    if differences:
        yield Hit(unit, differences[0][0], TERM_MISMATCH.id,
                  "glossary term " + "; ".join(text for _, text in differences))


def terms_in(text: str, lang: str, context: SheetContext) -> dict[str, str]:
    """Term id → the words that named it first, for every term the text uses."""
    matcher = _matcher(lang, context)
    if matcher is None:
        return {}
    pattern, terms = matcher
    found: dict[str, str] = {}
    for match in pattern.finditer(text):
        term = terms[match.lastgroup or ""]
        found.setdefault(term, " ".join(match.group().split()))
    return found


def _matcher(lang: str, context: SheetContext) -> tuple[re.Pattern[str], dict[str, str]] | None:
    def build() -> tuple[re.Pattern[str], dict[str, str]] | None:
        forms = [(form, entry.id) for entry in context.terms for form in entry.forms.get(lang, ())]
        if not forms:
            return None
        forms.sort(key=lambda item: len(item[0]), reverse=True)
        terms = {f"t{index}": term for index, (_, term) in enumerate(forms)}
        alternatives = "|".join(f"(?P<t{index}>{_form_pattern(form)})"
                                for index, (form, _) in enumerate(forms))
        return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.I), terms
    return context.cached(("terms", lang), build)


def _form_pattern(form: str) -> str:
    words = []
    for word in form.split():
        stem = word.endswith("*")
        words.append(re.escape(word.rstrip("*")) + (r"\w*" if stem else ""))
    return r"\s+".join(words)


def _has_forms(term: str, lang: str, context: SheetContext) -> bool:
    return any(entry.id == term and entry.forms.get(lang) for entry in context.terms)
