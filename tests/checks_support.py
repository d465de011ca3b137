"""Builds small projects for the check tests: one sheet, the repository's countries and glossary."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import yaml

from briefing.checks import Finding, check_project

REPO = Path(__file__).resolve().parent.parent
SHEET_ID = "t"


def paragraph(en: str | None, ru: str | None, key: str = "s.p", **extra: Any) -> dict[str, Any]:
    return {"type": "paragraph", "key": key, "text": _texts(en, ru), **extra}


def activity(en: str, ru: str, start: str, end: str | None = None, *, host: str = "KZ",
             participants: tuple[str, ...] = (), key: str = "s.a") -> dict[str, Any]:
    block: dict[str, Any] = {"type": "activity", "key": key, "start": start}
    if end:
        block["end"] = end
    block.update({"city": {"en": "Almaty", "ru": "Алматы"}, "host": host,
                  "participants": list(participants), "role": "organised",
                  "text": {"en": en, "ru": ru}})
    return block


def write_project(root: Path, *blocks: dict[str, Any],
                  heading: tuple[str, str] = ("Heading", "Заголовок"),
                  section: dict[str, Any] | None = None) -> Path:
    """A project in ``root`` holding one sheet with one section of ``blocks``."""
    data = root / "data"
    (data / "sheets").mkdir(parents=True, exist_ok=True)
    shutil.copy(REPO / "data" / "countries.yaml", data / "countries.yaml")
    shutil.copy(REPO / "data" / "glossary.yaml", data / "glossary.yaml")
    sheet = {
        "id": SHEET_ID, "languages": ["en", "ru"],
        "title": {"en": "Participant Information", "ru": "Информация участника"},
        "organisation": {"en": "Forum", "ru": "Форум"},
        "sections": [{"key": "s", "heading": {"en": heading[0], "ru": heading[1]},
                      "blocks": list(blocks), **(section or {})}],
    }
    (data / "sheets" / f"{SHEET_ID}.yaml").write_text(
        yaml.safe_dump(sheet, allow_unicode=True, sort_keys=False, width=1000), encoding="utf-8")
    return root


def findings(root: Path, *blocks: dict[str, Any], **options: Any) -> list[Finding]:
    write_project(root, *blocks, **options)
    return check_project(root / "data", root).findings


def hits(root: Path, rule: str, *blocks: dict[str, Any], **options: Any) -> list[str]:
    """``key: message`` of the findings of one rule."""
    return [f"{f.key_path}: {f.message}" for f in findings(root, *blocks, **options)
            if f.rule == rule]


def _texts(en: str | None, ru: str | None) -> dict[str, str]:
    return {lang: text for lang, text in (("en", en), ("ru", ru)) if text is not None}
