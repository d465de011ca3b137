"""The words a document prints per language (``templates/labels.yaml``).

Both the paged and the Word layer print them ("page", "of", "Tel:", "DRAFT" …),
so they are read here, once, and checked for the languages a document needs.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ..errors import DataError, TemplateError
from .yamlio import load_yaml

LABELS_FILE = "labels.yaml"

Labels = dict[str, Any]


def load_labels(templates_dir: Path) -> Labels:
    """``templates/labels.yaml`` as a mapping of language code → that language's words."""
    path = templates_dir / LABELS_FILE
    try:
        data = load_yaml(path, f"templates/{LABELS_FILE}").data
    except DataError as error:
        raise TemplateError(str(error)) from None
    if not isinstance(data, dict):
        raise TemplateError(f"templates/{LABELS_FILE}: expected a mapping per language")
    problem = _shape_problem(data)
    if problem:
        raise TemplateError(f"templates/{LABELS_FILE}: {problem}")
    return data


def _shape_problem(data: dict[Any, Any]) -> str | None:
    """What is wrong with the labels' shape, so that no document fails half-way on it: each
    language a mapping whose words are texts (or lists of texts), its ``locale`` (else its
    code) one Babel knows, and a group that one language has as a mapping (``contact``,
    ``pack``) a mapping in every language that has it. (A word a language lacks is named
    by the template that needs it.)"""
    from babel import Locale, UnknownLocaleError  # here: LABELS_FILE alone loads no Babel

    for lang, words in data.items():
        if not isinstance(words, dict):
            return f"{lang}: expected a mapping of that language's words, not {words!r}"
        locale = words.get("locale", lang)
        try:
            Locale.parse(str(locale))
        except (UnknownLocaleError, ValueError, TypeError):
            where = f"{lang}.locale" if "locale" in words else lang
            return f"{where}: Babel knows no locale {str(locale)!r}; give one with locale:"
        bad = _not_words(words, str(lang))
        if bad:
            return bad
    groups = {(lang, key) for lang, words in data.items() for key, value in words.items()
              if isinstance(value, dict)}
    for lang, key in sorted(groups):
        for other, words in data.items():
            if key in words and not isinstance(words[key], dict):
                return f"{other}.{key}: expected a mapping, as in {lang}"
    return None


def _not_words(value: object, where: str) -> str | None:
    if isinstance(value, dict):
        for key, item in value.items():
            bad = _not_words(item, f"{where}.{key}")
            if bad:
                return bad
        return None
    items = value if isinstance(value, list) else [value]
    if all(isinstance(item, str) for item in items):
        return None
    return f"{where}: expected text, a list of texts or a mapping, not {value!r}"


def labels_for(labels: Labels, languages: Iterable[str]) -> Labels:
    """The labels, once it is sure that every one of ``languages`` has its own."""
    missing = [lang for lang in languages if lang not in labels]
    if missing:
        raise TemplateError(
            f"templates/{LABELS_FILE}: no labels for language(s) {', '.join(missing)}"
        )
    return labels


def locales(labels: Labels, languages: tuple[str, str]) -> dict[str, str]:
    """The Babel locale of each language: ``locale`` in labels.yaml, else the code itself."""
    return {lang: str(labels[lang].get("locale", lang)) for lang in languages}
