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
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import pydantic
from pydantic import TypeAdapter

from ..errors import DataError, Location, Problem, UsageError
from .model import (
    CONTACT_PLAIN_FIELDS,
    CONTACT_TEXT_FIELDS,
    COUNTRY_PATTERN,
    KEY_PATTERN,
    LANG_PATTERN,
    RESERVED_KEYS,
    SHEET_ID_PATTERN,
    SOURCE_HASH_PATTERN,
    Activity,
    Contact,
    Country,
    DataPath,
    Ignore,
    ListBlock,
    ListItem,
    Paragraph,
    Project,
    Review,
    Section,
    Sheet,
    Subheading,
    Title,
    Unit,
)
from .yamlio import (
    COUNTRIES_FILE,
    SHEETS_DIR,
    YamlDocument,
    display_name,
    format_path,
    parse_yaml,
    read_text,
)

__all__ = ["COUNTRIES_FILE", "SHEETS_DIR", "display_name"]

_countries_adapter = TypeAdapter(dict[str, Country])
#: Every key the schema knows, to suggest the intended one for a typo.
_FIELD_NAMES = sorted({
    name
    for model in (Sheet, Section, Title, Paragraph, Subheading, ListBlock, ListItem, Activity,
                  Contact, Country, Ignore, Review)
    for name in model.model_fields
})
#: The model of a block, by the tag pydantic puts in an error's location.
_BLOCK_MODELS: dict[str, type[pydantic.BaseModel]] = {
    "title": Title, "paragraph": Paragraph, "subheading": Subheading, "list": ListBlock,
    "activity": Activity, "contact": Contact,
}
#: The model of the mappings in a list, by the list's key.
_ITEM_MODELS: dict[str, type[pydantic.BaseModel]] = {
    "sections": Section, "items": ListItem, "ignore": Ignore,
}
#: Date forms people type, tried (day first) to show the ISO date meant.
_DATE_FORMS = ("%Y-%m-%d", "%d.%m.%Y", "%d/%m/%Y", "%d %B %Y", "%d %b %Y", "%B %d, %Y",
               "%b %d, %Y", "%Y/%m/%d")
#: Keys whose value is a text per language.
_TEXT_FIELDS = frozenset({"text", "heading", "title", "organisation", "city", "unit", "street",
                          "name"})
#: The longest value a message repeats whole.
_SHOWN_CHARS = 60

_PATTERN_MESSAGES = {
    KEY_PATTERN: "not a valid key: use lower-case letters, digits, '-' and '.'",
    LANG_PATTERN: "not a language code (two or three lower-case letters)",
    COUNTRY_PATTERN: "not an ISO 3166-1 alpha-2 country code (two capital letters)",
    SHEET_ID_PATTERN: "not a valid sheet id: use lower-case letters, digits and '-'",
    SOURCE_HASH_PATTERN: "not a source hash (12 digits 0-9 and letters a-f, as check shows "
                         "it)",
}


class ReadCache(Protocol):
    """What a build remembers of files it has read and validated before, by their content
    (``text``, as read now): a file whose content, name and context are unchanged is not
    parsed or validated again. :func:`read_project` asks for ``countries.yaml`` first, and
    asks for sheets only when it was read without a problem; what it keeps was read
    without any."""

    def countries(self, shown: str, text: str) -> dict[str, Country] | None: ...

    def keep_countries(self, shown: str, text: str, countries: dict[str, Country]) -> None: ...

    def sheet(self, shown: str, stem: str | None, text: str) -> Sheet | None: ...

    def keep_sheet(self, shown: str, stem: str | None, text: str, sheet: Sheet) -> None: ...


class Documents(Mapping[str, YamlDocument]):
    """The documents the sheets were read from, by sheet id. A sheet that came from a
    :class:`ReadCache` keeps its text, parsed only when a location in it is asked for
    (a finding of ``check`` on a sheet not checked before)."""

    def __init__(self, parsed: Mapping[str, YamlDocument],
                 unparsed: Mapping[str, tuple[str, str]] | None = None) -> None:
        self._parsed = dict(parsed)
        #: Sheet id → (its text, its display name).
        self._unparsed = dict(unparsed or {})
        self._order = [*self._parsed, *(i for i in self._unparsed if i not in self._parsed)]

    def __getitem__(self, sheet_id: str) -> YamlDocument:
        document = self._parsed.get(sheet_id)
        if document is None:
            text, shown = self._unparsed[sheet_id]
            document = self._parsed[sheet_id] = parse_yaml(text, shown, collect=True)
        return document

    def __iter__(self) -> Iterator[str]:
        return iter(self._order)

    def display_name(self, sheet_id: str) -> str:
        """The sheet file's name in locations, without parsing it."""
        unparsed = self._unparsed.get(sheet_id)
        return unparsed[1] if unparsed is not None and sheet_id not in self._parsed \
            else self[sheet_id].display_name

    def __len__(self) -> int:
        return len(self._order)

    def only(self, sheet_ids: Iterable[str]) -> Documents:
        """These sheets' documents, those not yet parsed still unparsed."""
        ids = list(sheet_ids)
        return Documents({i: self._parsed[i] for i in ids if i in self._parsed},
                         {i: self._unparsed[i] for i in ids
                          if i not in self._parsed and i in self._unparsed})


@dataclass(frozen=True)
class LoadedProject:
    """The validated project and the documents it was read from, for locations."""

    project: Project
    documents: Mapping[str, YamlDocument]
    files: dict[str, Path]

    def only(self, sheet_ids: Sequence[str]) -> LoadedProject:
        """The same project with only these sheets (for a job, or checking some sheets)."""
        documents = self.documents.only(sheet_ids) if isinstance(self.documents, Documents) \
            else {i: self.documents[i] for i in sheet_ids}
        return LoadedProject(Project(self.project.countries,
                                     {i: self.project.sheets[i] for i in sheet_ids}),
                             documents, {i: self.files[i] for i in sheet_ids})

    def locate(self, sheet_id: str, path: DataPath) -> Location:
        return self.documents[sheet_id].location(path)

    def display_name(self, sheet_id: str) -> str:
        """The sheet file as locations name it (``data/sheets/ID.yaml``)."""
        documents = self.documents
        return documents.display_name(sheet_id) if isinstance(documents, Documents) \
            else documents[sheet_id].display_name

    def problem(self, sheet_id: str, path: DataPath, message: str) -> Problem:
        return self.documents[sheet_id].problem(path, message)


def load_project(
    data_dir: Path, root: Path, only: Iterable[str] | None = None, *,
    files: Sequence[Path] = (), cache: ReadCache | None = None,
) -> LoadedProject:
    """Read and validate ``countries.yaml`` and the sheets (all, or those in ``only``).

    ``files`` are sheet files from elsewhere (``check`` of a file not yet added),
    read with the project's countries. Raises :class:`DataError` with every
    problem found, in every file, and :class:`UsageError` when ``only`` names a
    sheet the project does not have. ``cache`` spares parsing and validating files
    read before (the problems found are the same with it as without).
    """
    loaded, problems = read_project(data_dir, root, only, files=files, cache=cache)
    if problems:
        raise DataError(problems)
    return loaded


def read_project(
    data_dir: Path, root: Path, only: Iterable[str] | None = None, *,
    files: Sequence[Path] = (), cache: ReadCache | None = None,
) -> tuple[LoadedProject, list[Problem]]:
    """The valid part of the project, and the problems of the rest."""
    available = sorted((data_dir / SHEETS_DIR).glob("*.yaml"))
    wanted = set(only) if only is not None else {path.stem for path in available}
    refuse_unknown_sheets(wanted, available, display_name(data_dir / SHEETS_DIR, root))
    problems: list[Problem] = []
    found_before = len(problems)
    countries = _read_countries(data_dir / COUNTRIES_FILE, root, problems, cache)
    if len(problems) != found_before:
        cache = None  # a sheet's problems depend on the countries: none kept or reused
    sheets: dict[str, Sheet] = {}
    documents: dict[str, YamlDocument] = {}
    unparsed: dict[str, tuple[str, str]] = {}
    paths: dict[str, Path] = {}
    chosen = [path for path in available if path.stem in wanted]
    # A file from elsewhere may be named anything until it is added as <id>.yaml.
    for path, stem in [*((path, path.stem) for path in chosen), *((path, None) for path in files)]:
        found_before = len(problems)
        document, sheet = _read_sheet(path, root, countries, problems, stem, cache)
        if sheet is None or len(problems) != found_before:
            continue
        if isinstance(document, YamlDocument):
            documents[sheet.id] = document
        elif document is not None:
            unparsed[sheet.id] = document
        else:
            continue
        sheets[sheet.id] = sheet
        paths[sheet.id] = path
    loaded = LoadedProject(Project(countries, sheets), Documents(documents, unparsed), paths)
    return loaded, problems


def refuse_unknown_sheets(wanted: Iterable[str], available: Sequence[Path], folder: str) -> None:
    """``Error: no sheet named 'x' in data/sheets/; its sheets: a, b``, before reading."""
    missing = sorted(set(wanted) - {path.stem for path in available})
    if not missing:
        return
    names = ", ".join(repr(name) for name in missing)
    existing = ", ".join(path.stem for path in available)
    have = f"its sheets: {existing}" if existing else "it holds no sheet yet"
    raise UsageError(f"no sheet named {names} in {folder}/; {have}")


def _read_countries(path: Path, root: Path, problems: list[Problem],
                    cache: ReadCache | None = None) -> dict[str, Country]:
    shown = display_name(path, root)
    try:
        text = read_text(path, shown)
        kept = cache.countries(shown, text) if cache is not None else None
        if kept is not None:
            return kept
        document = parse_yaml(text, shown, collect=True)
    except DataError as error:
        problems.extend(error.problems)
        return {}
    found_before = len(problems)
    problems.extend(document.problems)
    countries: dict[str, Country] = _validate(document, _countries_adapter, problems) or {}
    problems.extend(_country_problems(document, countries))
    if cache is not None and len(problems) == found_before:
        cache.keep_countries(shown, text, countries)
    return countries


def _read_sheet(
    path: Path, root: Path, countries: dict[str, Country], problems: list[Problem],
    stem: str | None, cache: ReadCache | None = None,
) -> tuple[YamlDocument | tuple[str, str] | None, Sheet | None]:
    """The sheet in ``path`` and its document (or, when it came from ``cache``, the text
    and display name to parse it from should a location be needed)."""
    shown = display_name(path, root)
    try:
        text = read_text(path, shown)
        kept = cache.sheet(shown, stem, text) if cache is not None else None
        if kept is not None:
            return (text, shown), kept
        document = parse_yaml(text, shown, collect=True)
    except DataError as error:
        problems.extend(error.problems)
        return None, None
    found_before = len(problems)
    problems.extend(document.problems)
    raw = list(_raw_sheet_problems(document, stem, countries))
    problems.extend(raw)
    # One mistake, one line: the schema's view of a value already reported is left out.
    reported = {problem.key_path for problem in raw}
    sheet: Sheet | None = _validate(document, TypeAdapter(Sheet), problems, reported)
    if sheet is not None:
        problems.extend(_sheet_problems(document, sheet))
        if cache is not None and len(problems) == found_before:
            cache.keep_sheet(shown, stem, text, sheet)
    return document, sheet


def _validate(document: YamlDocument, adapter: TypeAdapter[Any], problems: list[Problem],
              reported: set[str] | None = None) -> Any:
    try:
        return adapter.validate_python(document.data)
    except pydantic.ValidationError as error:
        root_model = Sheet if adapter is not _countries_adapter else None
        problems.extend(_translate(document, error, root_model, reported or set()))
        return None


def _translate(
    document: YamlDocument, error: pydantic.ValidationError,
    root_model: type[pydantic.BaseModel] | None, reported: set[str],
) -> Iterator[Problem]:
    seen = set()
    skipped = reported | {problem.key_path for problem in document.problems}
    details = error.errors(include_url=False)
    # A key typed wrong is one mistake: its "unknown key" line says which key was meant,
    # and the "required key is missing" of that key is left out.
    meant = set()
    for detail in details:
        if detail["type"] == "extra_forbidden":
            guess = _guess(detail["loc"], root_model)
            if guess is not None:
                meant.add((*_data_path(document.data, detail["loc"])[:-1], guess))
    for detail in details:
        path = _data_path(document.data, detail["loc"])
        if format_path(path) in skipped or (detail["type"] == "missing" and path in meant):
            continue
        message = _message(detail, document, path, root_model)
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


def _model_at(
    loc: tuple[int | str, ...], root_model: type[pydantic.BaseModel] | None
) -> type[pydantic.BaseModel] | None:
    """The model of the mapping at pydantic's location ``loc`` (with union tags), if known."""
    if not loc:
        return root_model
    last = loc[-1]
    if isinstance(last, str) and last in _BLOCK_MODELS and len(loc) >= 2 \
            and isinstance(loc[-2], int):
        return _BLOCK_MODELS[last]
    if isinstance(last, int) and len(loc) >= 2 and loc[-2] in _ITEM_MODELS:
        return _ITEM_MODELS[str(loc[-2])]
    if root_model is Sheet and len(loc) == 3 and loc[0] == "review":
        return Review
    if root_model is None and len(loc) == 1:
        return Country
    return None


def _guess(loc: tuple[int | str, ...], root_model: type[pydantic.BaseModel] | None) -> str | None:
    """The key meant by the unknown key at ``loc``: a close one of its mapping's keys."""
    model = _model_at(loc[:-1], root_model)
    names = sorted(model.model_fields) if model is not None else _FIELD_NAMES
    guess = difflib.get_close_matches(str(loc[-1]), names, n=1, cutoff=0.7)
    return guess[0] if guess else None


def _message(detail: Any, document: YamlDocument, path: DataPath,
             root_model: type[pydantic.BaseModel] | None) -> str:
    kind = detail["type"]
    ctx = detail.get("ctx", {})
    got = detail.get("input")
    if kind == "missing":
        return "required key is missing"
    if kind == "extra_forbidden":
        guess = _guess(detail["loc"], root_model)
        if guess is not None:
            return f"unknown key (did you mean {guess!r}?)"
        model = _model_at(detail["loc"][:-1], root_model)
        if model is None:
            return "unknown key"
        return f"unknown key; the keys here are {', '.join(_keys_of(model))}"
    if kind == "string_pattern_mismatch":
        pattern = ctx.get("pattern")
        message = f"{_PATTERN_MESSAGES.get(pattern, 'not in the expected form')}: {got!r}"
        meant = _in_pattern(str(got), str(pattern))
        if meant is None:
            return message
        # A mapping's key (a language code in a text) is written before its colon.
        return f"{message}; write {meant}:" if "[key]" in detail["loc"] else \
            f"{message}; write {_shown_key(path)}{meant}"
    if kind.startswith("date"):
        return _date_message(got, path)
    if kind == "string_type":
        return _not_text_message(got, document, path)
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return _not_mapping_message(got, document, path)
    if kind == "list_type":
        if isinstance(got, str | int | float) and not isinstance(got, bool):
            return f"expected a list, got {_type_name(got)}; write it in brackets: " \
                   f"{_shown_key(path)}[{_shorten(str(got))}]"
        return f"expected a list, got {_type_name(got)}"
    if kind == "bool_type" or kind == "bool_parsing":
        return f"expected true or false, got {got!r}"
    if kind == "union_tag_invalid":
        return f"unknown block type {ctx.get('tag')!r}; expected one of {ctx.get('expected_tags')}"
    if kind == "union_tag_not_found":
        return f"block has no 'type'; add one of: {', '.join(_BLOCK_MODELS)}"
    if kind == "literal_error":
        return f"must be one of {ctx.get('expected')}, not {got!r}"
    if kind == "value_error":
        return str(ctx.get("error", detail["msg"]))
    if kind in ("too_short", "too_long") and path == ("languages",):
        return "a sheet has two languages, the left column's first: write languages: [en, ru]"
    if kind == "too_short":
        return f"needs at least {ctx.get('min_length')} item(s)"
    if kind == "too_long":
        return f"allows at most {ctx.get('max_length')} item(s)"
    message = str(detail["msg"])
    return message[:1].lower() + message[1:]


def _in_pattern(text: str, pattern: str) -> str | None:
    """``text`` made to fit a key, id or code pattern ("Intro Text" → "intro-text"), if it can."""
    if pattern == COUNTRY_PATTERN:
        meant = text.strip().upper()
    elif pattern == LANG_PATTERN:
        meant = text.strip().lower()
    else:
        keep = "a-z0-9." if pattern == KEY_PATTERN else "a-z0-9"
        meant = re.sub(f"[^{keep}]+", "-", text.strip().lower())
        meant = re.sub(r"-*([.])-*", r"\1", meant).strip("-.")
    return meant if meant != text and re.fullmatch(pattern, meant) else None


def _keys_of(model: type[pydantic.BaseModel]) -> list[str]:
    return [name for name in model.model_fields if name != "type"]


def _shown_key(path: DataPath) -> str:
    """``telephone: `` for a value under a key, nothing for an item of a list."""
    return f"{path[-1]}: " if path and isinstance(path[-1], str) else ""


def _shorten(text: str) -> str:
    if len(text) <= _SHOWN_CHARS:
        return text
    return text[: _SHOWN_CHARS // 2 - 1] + "…" + text[-(_SHOWN_CHARS // 2 - 1):]


def _quote(text: str) -> str:
    """``text`` as a YAML double-quoted text."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _not_text_message(got: Any, document: YamlDocument, path: DataPath) -> str:
    """Text was expected: a value YAML reads as a number, date or true/false is quoted."""
    written = document.plain_scalars.get(path)
    if got is None:
        if not path or not isinstance(path[-1], str):
            return "no value; write one, or remove the empty item"
        awaits = " (or leave it out while it awaits translation)" \
            if len(path) >= 2 and path[-2] in _TEXT_FIELDS else ""
        return f'no value; write it after "{path[-1]}:"{awaits}'
    if written:
        read_as = str(got).lower() if isinstance(got, bool) else _type_name(got)
        return (f"YAML reads {written} as {read_as}; put it in quotes to make it text: "
                f"{_shown_key(path)}{_quote(written)}")
    return f"expected text, got {_type_name(got)}"


def _not_mapping_message(got: Any, document: YamlDocument, path: DataPath) -> str:
    """A text given without its language gets the sheet's first language in the example."""
    if isinstance(got, str) and path and path[-1] in _TEXT_FIELDS:
        data = document.data if isinstance(document.data, dict) else {}
        languages = data.get("languages")
        lang = languages[0] if isinstance(languages, list) and languages and \
            isinstance(languages[0], str) else "en"
        return (f"a text is given per language; write {_shown_key(path)}"
                f"{{{lang}: {_quote(_shorten(got))}}}")
    return f"expected a mapping, got {_type_name(got)}"


def _date_message(got: Any, path: DataPath) -> str:
    meant = _read_date(got) if isinstance(got, str) else None
    if meant is not None:
        return f"not an ISO date: {got!r}; write {_shown_key(path)}{meant.isoformat()}"
    return f"not a valid ISO date (YYYY-MM-DD): {got!r}"


def _read_date(text: str) -> dt.date | None:
    for form in _DATE_FORMS:
        try:
            return dt.datetime.strptime(text.strip(), form).date()
        except ValueError:
            continue
    return None


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
    document: YamlDocument, stem: str | None, countries: dict[str, Country]
) -> Iterator[Problem]:
    """Rules checked on the raw data, so they are reported even when the shape is wrong;
    ``stem``, the file name the sheet id must equal (``None``: a file from elsewhere)."""
    data = document.data if isinstance(document.data, dict) else {}
    sheet_id = data.get("id")
    if isinstance(sheet_id, str) and stem is not None and sheet_id != stem:
        rename = f", or name the file {sheet_id}.yaml" \
            if re.fullmatch(SHEET_ID_PATTERN, sheet_id) else ""
        yield document.problem(
            ("id",), f"sheet id {sheet_id!r} differs from the file name {stem!r}; write "
                     f"id: {stem}{rename}")
    keys_seen: dict[str, DataPath] = {}
    for key, key_path in _raw_keys(data):
        yield from _unique_key(document, key, key_path, keys_seen)
    if countries:
        names = _country_names(countries)
        for code, code_path in _raw_country_codes(data):
            if code not in countries:
                yield document.problem(code_path, _country_message(code, names, countries))


def _country_names(countries: dict[str, Country]) -> dict[str, list[str]]:
    """Every way ``countries.yaml`` names a country (codes, names, forms), folded to lower
    case → the codes it names."""
    names: dict[str, list[str]] = {}
    for code, country in countries.items():
        spellings = [code, *country.name.values(),
                     *(form for forms in country.forms.values() for form in forms)]
        for spelling in spellings:
            codes = names.setdefault(spelling.casefold(), [])
            if code not in codes:
                codes.append(code)
    return names


def _country_message(value: str, names: dict[str, list[str]],
                     countries: dict[str, Country]) -> str:
    """What to write for a country given by name, in lower case, or with a typo."""
    codes = names.get(value.strip().casefold())
    if codes is None:
        close = difflib.get_close_matches(value.strip().casefold(), list(names), n=1, cutoff=0.85)
        codes = names[close[0]] if close and len(close[0]) > 2 else None
    if codes:
        use = " or ".join(f"{code} ({_country_name(countries[code])})" for code in codes)
        return f"not a country code: {value!r}; use the code {use}"
    if re.match(COUNTRY_PATTERN, value):
        return f"unknown country code {value!r} (not in {COUNTRIES_FILE})"
    return f"not a country code: {value!r}; use the country's two-letter code from " \
           f"{COUNTRIES_FILE}"


def _country_name(country: Country) -> str:
    return country.name.get("en") or next(iter(country.name.values()), "")


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
        yield document.problem(key_path, f"key {key!r} is reserved for the sheet itself; "
                                         "choose another")
    elif key in keys_seen:
        first = document.location(keys_seen[key])
        yield document.problem(key_path, f"duplicate key {key!r} (first used on line "
                                         f"{first.line}); keys are unique in a sheet: give "
                                         "this one another")
    else:
        keys_seen[key] = key_path


def _unit_problems(document: YamlDocument, unit: Unit, languages: set[str]) -> Iterator[Problem]:
    for lang in unit.texts:
        if lang not in languages:
            yield document.problem((*unit.path, lang), _foreign_language(lang, languages),
                                   at_key=True)
    if not any(text.strip() for text in unit.texts.values()):
        yield document.problem(unit.path, f"{unit.key}: has no text in any language; write "
                                          f"it in {' or '.join(sorted(languages))}")


def _activity_problems(
    document: YamlDocument, activity: Activity, path: DataPath, languages: set[str]
) -> Iterator[Problem]:
    if activity.end is not None and activity.end < activity.start:
        yield document.problem((*path, "end"), f"ends ({activity.end}) before it starts "
                                               f"({activity.start})")
    for index, code in enumerate(activity.participants):
        if code in activity.participants[:index]:
            yield document.problem((*path, "participants", index),
                                   f"{code} is listed twice; remove this one")
    for lang in activity.city:
        if lang not in languages:
            yield document.problem((*path, "city", lang), _foreign_language(lang, languages),
                                   at_key=True)


def _foreign_language(lang: str, languages: set[str]) -> str:
    return (f"language {lang!r} is not one of the sheet's languages "
            f"({', '.join(sorted(languages))}); give the text in one of them")
