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
    return data


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
