"""Raw YAML → the typed model, collecting every problem with its location.

Pydantic checks the shape declared in :mod:`briefing.model`; this module adds
the rules that span files or units (known countries, unique keys, the file
name matching the sheet id, no unit without any text), translates every error
into a :class:`~briefing.errors.Problem` at the right line, and stops once,
with all of them.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pydantic
from pydantic import TypeAdapter

from ..errors import DataError, Location, Problem
from .model import (
    CONTACT_PLAIN_FIELDS,
    CONTACT_TEXT_FIELDS,
    COUNTRY_PATTERN,
    KEY_PATTERN,
    LANG_PATTERN,
    RESERVED_KEYS,
    SHEET_ID_PATTERN,
    Activity,
    Contact,
    Country,
    DataPath,
    Ignore,
    ListBlock,
    ListItem,
    Paragraph,
    Project,
    Section,
    Sheet,
    Subheading,
    Title,
    Unit,
)
from .yamlio import YamlDocument, format_path, load_yaml

COUNTRIES_FILE = "countries.yaml"
SHEETS_DIR = "sheets"

_countries_adapter = TypeAdapter(dict[str, Country])
#: Every key the schema knows, to suggest the intended one for a typo.
_FIELD_NAMES = sorted({
    name
    for model in (Sheet, Section, Title, Paragraph, Subheading, ListBlock, ListItem, Activity,
                  Contact, Country, Ignore)
    for name in model.model_fields
})

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
    """Read and validate ``countries.yaml`` and the sheets (all, or those in ``only``).

    Raises :class:`DataError` with every problem found, in every file.
    """
    loaded, problems = read_project(data_dir, root, only)
    if problems:
        raise DataError(problems)
    return loaded


def read_project(
    data_dir: Path, root: Path, only: Iterable[str] | None = None
) -> tuple[LoadedProject, list[Problem]]:
    """The valid part of the project, and the problems of the rest."""
    problems: list[Problem] = []
    countries = _read_countries(data_dir / COUNTRIES_FILE, root, problems)
    sheets: dict[str, Sheet] = {}
    documents: dict[str, YamlDocument] = {}
    files: dict[str, Path] = {}
    available = sorted((data_dir / SHEETS_DIR).glob("*.yaml"))
    wanted = set(only) if only is not None else {path.stem for path in available}
    for path in available:
        if path.stem not in wanted:
            continue
        found_before = len(problems)
        document, sheet = _read_sheet(path, root, countries, problems)
        if sheet is not None and document is not None and len(problems) == found_before:
            sheets[sheet.id] = sheet
            documents[sheet.id] = document
            files[sheet.id] = path
    for missing in sorted(wanted - {path.stem for path in available}):
        problems.append(Problem(Location(display_name(data_dir / SHEETS_DIR, root)), "",
                                f"no sheet named {missing!r}"))
    return LoadedProject(Project(countries, sheets), documents, files), problems


def _read_countries(path: Path, root: Path, problems: list[Problem]) -> dict[str, Country]:
    try:
        document = load_yaml(path, display_name(path, root), collect=True)
    except DataError as error:
        problems.extend(error.problems)
        return {}
    problems.extend(document.problems)
    countries: dict[str, Country] = _validate(document, _countries_adapter, problems) or {}
    problems.extend(_country_problems(document, countries))
    return countries


def _read_sheet(
    path: Path, root: Path, countries: dict[str, Country], problems: list[Problem]
) -> tuple[YamlDocument | None, Sheet | None]:
    try:
        document = load_yaml(path, display_name(path, root), collect=True)
    except DataError as error:
        problems.extend(error.problems)
        return None, None
    problems.extend(document.problems)
    problems.extend(_raw_sheet_problems(document, path.stem, countries))
    sheet: Sheet | None = _validate(document, TypeAdapter(Sheet), problems)
    if sheet is not None:
        problems.extend(_sheet_problems(document, sheet))
    return document, sheet


def _validate(document: YamlDocument, adapter: TypeAdapter[Any], problems: list[Problem]) -> Any:
    try:
        return adapter.validate_python(document.data)
    except pydantic.ValidationError as error:
        problems.extend(_translate(document, error))
        return None


def _translate(document: YamlDocument, error: pydantic.ValidationError) -> Iterator[Problem]:
    seen = set()
    unreadable = {problem.key_path for problem in document.problems}
    for detail in error.errors(include_url=False):
        path = _data_path(document.data, detail["loc"])
        message = _message(detail)
        if (path, message) in seen or format_path(path) in unreadable:
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
        key = str(detail["loc"][-1])
        guess = difflib.get_close_matches(key, _FIELD_NAMES, n=1, cutoff=0.7)
        return f"unknown key (did you mean {guess[0]!r}?)" if guess else "unknown key"
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
    if kind == "value_error":
        return str(ctx.get("error", detail["msg"]))
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


def _raw_sheet_problems(
    document: YamlDocument, stem: str, countries: dict[str, Country]
) -> Iterator[Problem]:
    """Rules checked on the raw data, so they are reported even when the shape is wrong."""
    data = document.data if isinstance(document.data, dict) else {}
    sheet_id = data.get("id")
    if isinstance(sheet_id, str) and sheet_id != stem:
        yield document.problem(
            ("id",), f"sheet id {sheet_id!r} differs from the file name {stem!r}")
    keys_seen: dict[str, DataPath] = {}
    for key, key_path in _raw_keys(data):
        yield from _unique_key(document, key, key_path, keys_seen)
    for code, code_path in _raw_country_codes(data):
        if countries and code not in countries:
            yield document.problem(
                code_path, f"unknown country code {code!r} (not in {COUNTRIES_FILE})")


def _mappings(value: Any, path: DataPath, name: str) -> Iterator[tuple[dict[str, Any], DataPath]]:
    """The mappings in the list ``value[name]``, with their paths."""
    items = value.get(name) if isinstance(value, dict) else None
    if isinstance(items, list):
        for index, item in enumerate(items):
            if isinstance(item, dict):
                yield item, (*path, name, index)


def _raw_keys(data: dict[str, Any]) -> Iterator[tuple[str, DataPath]]:
    for section, s_path in _mappings(data, (), "sections"):
        yield from _raw_key(section, s_path)
        for block, b_path in _mappings(section, s_path, "blocks"):
            yield from _raw_key(block, b_path)
            for item, i_path in _mappings(block, b_path, "items"):
                yield from _raw_key(item, i_path)
            if block.get("type") == "contact" and isinstance(block.get("key"), str):
                # Every field's key is taken, present or not: each becomes a row of its own.
                for name in (*CONTACT_TEXT_FIELDS, *CONTACT_PLAIN_FIELDS):
                    yield f"{block['key']}.{name}", (*b_path, "key")


def _raw_key(value: dict[str, Any], path: DataPath) -> Iterator[tuple[str, DataPath]]:
    if isinstance(value.get("key"), str):
        yield value["key"], (*path, "key")


def _raw_country_codes(data: dict[str, Any]) -> Iterator[tuple[str, DataPath]]:
    for section, s_path in _mappings(data, (), "sections"):
        for block, b_path in _mappings(section, s_path, "blocks"):
            if block.get("type") != "activity":
                continue
            if isinstance(block.get("host"), str):
                yield block["host"], (*b_path, "host")
            participants = block.get("participants")
            if isinstance(participants, list):
                for index, code in enumerate(participants):
                    if isinstance(code, str):
                        yield code, (*b_path, "participants", index)


def _sheet_problems(document: YamlDocument, sheet: Sheet) -> Iterator[Problem]:
    """Rules that need the validated model."""
    languages = set(sheet.languages)
    for unit in sheet.units():
        yield from _unit_problems(document, unit, languages)
    for s_index, section in enumerate(sheet.sections):
        for b_index, block in enumerate(section.blocks):
            if isinstance(block, Activity):
                path: DataPath = ("sections", s_index, "blocks", b_index)
                yield from _activity_problems(document, block, path, languages)


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
    document: YamlDocument, activity: Activity, path: DataPath, languages: set[str]
) -> Iterator[Problem]:
    if activity.end is not None and activity.end < activity.start:
        yield document.problem((*path, "end"), f"ends ({activity.end}) before it starts "
                                               f"({activity.start})")
    for index, code in enumerate(activity.participants):
        if code in activity.participants[:index]:
            yield document.problem((*path, "participants", index), f"{code} is listed twice")
    for lang in activity.city:
        if lang not in languages:
            yield document.problem((*path, "city", lang), f"language {lang!r} is not one of the "
                                   f"sheet's languages {sorted(languages)}", at_key=True)
