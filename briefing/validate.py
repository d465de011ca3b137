"""Raw YAML → the typed model, collecting every problem with its location.

Pydantic checks the shape declared in :mod:`briefing.model`; this module adds
the rules that span files or units (known countries, unique keys, the file
name matching the sheet id, no unit without any text), translates every error
into a :class:`~briefing.errors.Problem` at the right line, and stops once,
with all of them.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pydantic
from pydantic import TypeAdapter

from .errors import DataError, Location, Problem
from .model import (
    COUNTRY_PATTERN,
    KEY_PATTERN,
    LANG_PATTERN,
    RESERVED_KEYS,
    SHEET_ID_PATTERN,
    Activity,
    Country,
    DataPath,
    Project,
    Sheet,
    Unit,
)
from .yamlio import YamlDocument, format_path, load_yaml

COUNTRIES_FILE = "countries.yaml"
SHEETS_DIR = "sheets"

_countries_adapter = TypeAdapter(dict[str, Country])

_PATTERN_MESSAGES = {
    KEY_PATTERN: "not a valid key: use lower-case letters, digits, '-' and '.'",
    LANG_PATTERN: "not a language code (two or three lower-case letters)",
    COUNTRY_PATTERN: "not an ISO 3166-1 alpha-2 country code (two capital letters)",
    SHEET_ID_PATTERN: "not a valid sheet id: use lower-case letters, digits and '-'",
}


@dataclass(frozen=True)
class LoadedProject:
    """The validated project and the documents it was read from, for locations."""

    project: Project
    documents: dict[str, YamlDocument]
    files: dict[str, Path]

    def locate(self, sheet_id: str, path: DataPath) -> Location:
        return self.documents[sheet_id].location(path)

    def problem(self, sheet_id: str, path: DataPath, message: str) -> Problem:
        return self.documents[sheet_id].problem(path, message)


def display_name(path: Path, root: Path) -> str:
    """The path as the user knows it: relative to the project when inside it."""
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path)


def load_project(data_dir: Path, root: Path, only: Iterable[str] | None = None) -> LoadedProject:
    """Read and validate ``countries.yaml`` and the sheets (all, or those in ``only``)."""
    problems: list[Problem] = []
    countries_path = data_dir / COUNTRIES_FILE
    countries: dict[str, Country] = {}
    documents: dict[str, YamlDocument] = {}
    files: dict[str, Path] = {}
    try:
        countries_doc = load_yaml(countries_path, display_name(countries_path, root))
        countries = _validate(countries_doc, _countries_adapter, problems) or {}
        problems.extend(_country_problems(countries_doc, countries))
    except DataError as error:
        problems.extend(error.problems)
    sheets: dict[str, Sheet] = {}
    wanted = set(only) if only is not None else None
    for path in sorted((data_dir / SHEETS_DIR).glob("*.yaml")):
        if wanted is not None and path.stem not in wanted:
            continue
        try:
            document = load_yaml(path, display_name(path, root))
        except DataError as error:
            problems.extend(error.problems)
            continue
        sheet = _validate(document, TypeAdapter(Sheet), problems)
        if sheet is None:
            continue
        sheet_problems = list(_sheet_problems(document, sheet, path.stem, countries))
        problems.extend(sheet_problems)
        if not sheet_problems:
            sheets[sheet.id] = sheet
            documents[sheet.id] = document
            files[sheet.id] = path
    if wanted is not None:
        for missing in sorted(wanted - {p.stem for p in (data_dir / SHEETS_DIR).glob("*.yaml")}):
            problems.append(Problem(Location(display_name(data_dir / SHEETS_DIR, root)), "",
                                    f"no sheet named {missing!r}"))
    if problems:
        raise DataError(problems)
    return LoadedProject(Project(countries, sheets), documents, files)


def missing_translations(loaded: LoadedProject) -> list[Problem]:
    """One problem per unit and language still awaiting translation."""
    found = []
    for sheet_id, sheet in loaded.project.sheets.items():
        for unit in sheet.units():
            for lang in sheet.languages:
                if not unit.text(lang):
                    found.append(loaded.problem(
                        sheet_id, unit.path, f"{unit.key}: no {lang} text yet"))
    return found


def _validate(document: YamlDocument, adapter: TypeAdapter[Any], problems: list[Problem]) -> Any:
    try:
        return adapter.validate_python(document.data)
    except pydantic.ValidationError as error:
        problems.extend(_translate(document, error))
        return None


def _translate(document: YamlDocument, error: pydantic.ValidationError) -> Iterator[Problem]:
    seen = set()
    for detail in error.errors(include_url=False):
        path = _data_path(document.data, detail["loc"])
        message = _message(detail)
        if (path, message) in seen:
            continue
        seen.add((path, message))
        at_key = detail["type"] == "extra_forbidden"
        if detail["type"] == "missing":
            yield Problem(document.location(path[:-1]), format_path(path), message)
        else:
            yield document.problem(path, message, at_key=at_key)


def _data_path(data: Any, loc: tuple[int | str, ...]) -> DataPath:
    """Pydantic's location → the path in the data (dropping union tags and key markers)."""
    path: list[str | int] = []
    current = data
    for part in loc:
        if part == "[key]":
            continue
        if isinstance(current, dict):
            if part in current:
                path.append(part)
                current = current[part]
            elif current.get("type") == part:
                continue  # the tag pydantic adds for a discriminated union
            else:
                path.append(part)
                current = None
        elif isinstance(current, list) and isinstance(part, int) and part < len(current):
            path.append(part)
            current = current[part]
        else:
            path.append(part)
            current = None
    return tuple(path)


def _message(detail: Any) -> str:
    kind = detail["type"]
    ctx = detail.get("ctx", {})
    got = detail.get("input")
    if kind == "missing":
        return "required key is missing"
    if kind == "extra_forbidden":
        return "unknown key"
    if kind == "string_pattern_mismatch":
        return f"{_PATTERN_MESSAGES.get(ctx.get('pattern'), 'not in the expected form')}: {got!r}"
    if kind.startswith("date"):
        return f"not a valid ISO date (YYYY-MM-DD): {got!r}"
    if kind == "string_type":
        return f"expected text, got {_type_name(got)}"
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return f"expected a mapping, got {_type_name(got)}"
    if kind == "list_type":
        return f"expected a list, got {_type_name(got)}"
    if kind == "bool_type" or kind == "bool_parsing":
        return f"expected true or false, got {got!r}"
    if kind == "union_tag_invalid":
        return f"unknown block type {ctx.get('tag')!r}; expected one of {ctx.get('expected_tags')}"
    if kind == "union_tag_not_found":
        return "block has no 'type'"
    if kind == "literal_error":
        return f"must be one of {ctx.get('expected')}, not {got!r}"
    if kind == "too_short":
        return f"needs at least {ctx.get('min_length')} item(s)"
    if kind == "too_long":
        return f"allows at most {ctx.get('max_length')} item(s)"
    message = str(detail["msg"])
    return message[:1].lower() + message[1:]


def _type_name(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, dt.date):
        return "a date"
    return {bool: "true/false", int: "a number", float: "a number", list: "a list",
            dict: "a mapping", str: "text"}.get(type(value), type(value).__name__)


def _country_problems(document: YamlDocument, countries: dict[str, Country]) -> Iterator[Problem]:
    for code, country in countries.items():
        if not re.match(COUNTRY_PATTERN, code):
            yield document.problem((code,), _PATTERN_MESSAGES[COUNTRY_PATTERN] + f": {code!r}",
                                   at_key=True)
        if not country.name:
            yield document.problem((code, "name"), "needs a name in at least one language")


def _sheet_problems(
    document: YamlDocument, sheet: Sheet, stem: str, countries: dict[str, Country]
) -> Iterator[Problem]:
    if sheet.id != stem:
        yield document.problem(
            ("id",), f"sheet id {sheet.id!r} differs from the file name {stem!r}")
    languages = set(sheet.languages)
    keys_seen: dict[str, DataPath] = {}
    for unit in sheet.units():
        yield from _unit_problems(document, unit, languages)
        if unit.source is not None:
            yield from _unique_key(document, unit.key, (*unit.path[:-1], "key"), keys_seen)
    for s_index, section in enumerate(sheet.sections):
        for b_index, block in enumerate(section.blocks):
            path: DataPath = ("sections", s_index, "blocks", b_index)
            if isinstance(block, Activity):
                yield from _activity_problems(document, block, path, countries, languages)
            elif block.type in ("list", "contact"):
                yield from _unique_key(document, block.key, (*path, "key"), keys_seen)


def _unique_key(
    document: YamlDocument, key: str, key_path: DataPath, keys_seen: dict[str, DataPath]
) -> Iterator[Problem]:
    if key in RESERVED_KEYS:
        yield document.problem(key_path, f"key {key!r} is reserved for the sheet itself")
    elif key in keys_seen:
        first = document.location(keys_seen[key])
        yield document.problem(key_path, f"duplicate key {key!r} (first used on line {first.line})")
    else:
        keys_seen[key] = key_path


def _unit_problems(document: YamlDocument, unit: Unit, languages: set[str]) -> Iterator[Problem]:
    for lang in unit.texts:
        if lang not in languages:
            yield document.problem((*unit.path, lang),
                                   f"language {lang!r} is not one of the sheet's "
                                   f"languages {sorted(languages)}", at_key=True)
    if not any(text.strip() for text in unit.texts.values()):
        yield document.problem(unit.path, f"{unit.key}: has no text in any language")


def _activity_problems(
    document: YamlDocument, activity: Activity, path: DataPath,
    countries: dict[str, Country], languages: set[str],
) -> Iterator[Problem]:
    if activity.end is not None and activity.end < activity.start:
        yield document.problem((*path, "end"), f"ends ({activity.end}) before it starts "
                                               f"({activity.start})")
    if activity.host not in countries:
        yield document.problem((*path, "host"), f"unknown country code {activity.host!r} "
                                                f"(not in {COUNTRIES_FILE})")
    for index, code in enumerate(activity.participants):
        if code not in countries:
            yield document.problem((*path, "participants", index),
                                   f"unknown country code {code!r} (not in {COUNTRIES_FILE})")
        if code in activity.participants[:index]:
            yield document.problem((*path, "participants", index), f"{code} is listed twice")
    for lang in activity.city:
        if lang not in languages:
            yield document.problem((*path, "city", lang), f"language {lang!r} is not one of the "
                                   f"sheet's languages {sorted(languages)}", at_key=True)
