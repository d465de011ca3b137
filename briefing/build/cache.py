"""``reports/.cache/data.json``: what a build has read, validated and checked, by content.

A rebuild reads every data file again (that is cheap), but a file whose bytes, name and
context are those of a file read before is neither parsed nor validated again, and a
sheet checked before is not checked again: its validated model and its findings (with
their ``file:line:col``) come from here. What each entry depends on is in its key, a
SHA-256 over:

- ``countries.yaml``: its name and text;
- a sheet: its name, file stem and text, and the key of ``countries.yaml`` (the sheet's
  country codes are checked against it);
- a sheet's findings: the sheet's key, the bytes of ``glossary.yaml`` and
  ``templates/labels.yaml``;
- everything: the code that reads and checks (the sources of ``briefing/core``,
  ``briefing/checks``, this module), the tool's version and that of the libraries it
  parses and validates with, in ``code``: another one ignores the whole cache.

Only what was read without a problem is kept; a file with problems is read, and its
problems found, as without the cache. The file is written atomically, once the build is
done and only if it succeeded and the content changed, by the build holding the folder.
A cache that is missing, of another format, damaged (its SHA-256 is in its first line),
or whose entries do not validate is ignored, entry by entry or whole: never a traceback,
never trusted.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sys
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, get_args

import babel
import pydantic
import yaml
from pydantic import TypeAdapter

from .. import __version__
from ..checks import Finding, Severity, build_data_dir, build_glossary, run_checks
from ..checks.glossary import GLOSSARY_FILE
from ..core.files import read_bounded
from ..core.labels import LABELS_FILE
from ..core.load import LoadedProject
from ..core.model import Country, Sheet
from ..errors import BriefingError, Location
from .output import Output, commit


@dataclass(frozen=True)
class PackPlan:
    """What planning a pack found: its input hash, the sheets it draws on, whether it is a
    draft and the errors that hold it back (see :mod:`~briefing.build.unfinished`)."""

    inputs: str
    sheets: tuple[str, ...]
    draft: bool = False
    held: tuple[str, ...] = ()


def _pack_plan(entry: dict[str, Any]) -> PackPlan | None:
    inputs, sheets = entry.get("inputs"), entry.get("sheets")
    draft, held = entry.get("draft"), entry.get("held")
    if not (isinstance(inputs, str) and isinstance(draft, bool)
            and isinstance(sheets, list) and all(isinstance(i, str) for i in sheets)
            and isinstance(held, list) and all(isinstance(h, str) for h in held)):
        return None
    return PackPlan(inputs, tuple(sheets), draft, tuple(held))


CACHE_DIR = ".cache"
CACHE_FILE = "data.json"
FORMAT_VERSION = 1
#: The largest cache read (200 sheets take a few MiB); a larger one is ignored.
MAX_CACHE_BYTES = 256 * 1024 * 1024
#: The largest glossary or labels file hashed (the YAML reader's cap is smaller).
MAX_HASHED_BYTES = 64 * 1024 * 1024

_countries_adapter = TypeAdapter(dict[str, Country])
_SECTIONS = ("countries", "sheets", "findings", "glossary", "packs")
_SEVERITIES = frozenset(get_args(Severity))


@cache
def code_fingerprint() -> str:
    """What the cached results were computed by: the sources that read, validate and check
    the data, and the versions of the tool, Python and the libraries they use."""
    package = Path(__file__).resolve().parent.parent
    digest = hashlib.sha256("\0".join([
        __version__, sys.version, pydantic.VERSION, yaml.__version__, babel.__version__,
    ]).encode())
    sources = [*sorted((package / "core").glob("*.py")), *sorted((package / "checks").glob("*.py")),
               package / "errors.py", Path(__file__).resolve()]
    for source in sources:
        digest.update(source.relative_to(package).as_posix().encode() + b"\0")
        try:
            digest.update(source.read_bytes())
        except OSError:
            digest.update(b"unreadable")
    return digest.hexdigest()


def _key(*parts: str) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part.encode("utf-8", "surrogatepass") + b"\0")
    return digest.hexdigest()


def file_key(path: Path) -> str | None:
    """The content key of an optional file: its hash, ``absent``, or ``None`` if it cannot
    be read (nothing depending on it is then kept)."""
    if not os.path.exists(path):
        return "absent"
    try:
        return hashlib.sha256(read_bounded(path, MAX_HASHED_BYTES, within=path.parent)).hexdigest()
    except OSError:
        return None


class BuildCache:
    """The cache of one output folder: what was read from it, and what this build keeps.

    Implements :class:`~briefing.core.load.ReadCache` for :func:`load_project`, and gives a
    build's findings (:meth:`findings`) as :func:`~briefing.checks.build_findings` does.
    """

    def __init__(self, output_dir: Path, templates_dir: Path,
                 entries: Mapping[str, Mapping[str, Any]] | None = None) -> None:
        self.output_dir = output_dir
        self.templates_dir = templates_dir
        self._old: dict[str, dict[str, Any]] = {name: dict((entries or {}).get(name, {}))
                                                 for name in _SECTIONS}
        self._new: dict[str, dict[str, Any]] = {name: {} for name in _SECTIONS}
        self._countries_key: str | None = None
        #: Sheet id → (display name, key) of each sheet read through the cache.
        self._sheets: dict[str, tuple[str, str]] = {}
        #: How many files were parsed and validated, and sheets checked, in this build.
        self.parsed = 0
        self.checked = 0

    @property
    def path(self) -> Path:
        return self.output_dir / CACHE_DIR / CACHE_FILE

    @classmethod
    def load(cls, output_dir: Path, templates_dir: Path) -> BuildCache:
        """The cache recorded in ``output_dir``; a missing, foreign or damaged one is empty."""
        return cls(output_dir, templates_dir, _read(output_dir))

    # ReadCache

    def countries(self, shown: str, text: str) -> dict[str, Country] | None:
        self._countries_key = key = _key("countries", shown, text)
        entry = self._old["countries"].get(shown)
        if not isinstance(entry, dict) or entry.get("key") != key:
            self.parsed += 1
            return None
        try:
            countries: dict[str, Country] = _countries_adapter.validate_python(entry["value"])
        except (pydantic.ValidationError, KeyError, TypeError, ValueError, RecursionError):
            self.parsed += 1
            return None
        self._new["countries"][shown] = entry
        return countries

    def keep_countries(self, shown: str, text: str, countries: dict[str, Country]) -> None:
        self._countries_key = key = _key("countries", shown, text)
        self._new["countries"][shown] = {
            "key": key, "value": _countries_adapter.dump_python(countries, mode="json",
                                                                exclude_unset=True)}

    def _sheet_key(self, shown: str, stem: str | None, text: str) -> str | None:
        if self._countries_key is None:
            return None
        return _key("sheet", shown, repr(stem), self._countries_key, text)

    def sheet(self, shown: str, stem: str | None, text: str) -> Sheet | None:
        key = self._sheet_key(shown, stem, text)
        entry = self._old["sheets"].get(shown)
        if key is None or not isinstance(entry, dict) or entry.get("key") != key:
            self.parsed += 1
            return None
        try:
            sheet = Sheet.model_validate(entry["sheet"])
        except (pydantic.ValidationError, KeyError, TypeError, ValueError, RecursionError):
            self.parsed += 1
            return None
        self._new["sheets"][shown] = entry
        self._sheets[sheet.id] = (shown, key)
        return sheet

    def keep_sheet(self, shown: str, stem: str | None, text: str, sheet: Sheet) -> None:
        key = self._sheet_key(shown, stem, text)
        if key is None:
            return
        self._new["sheets"][shown] = {
            "key": key, "sheet": sheet.model_dump(mode="json", exclude_unset=True)}
        self._sheets[sheet.id] = (shown, key)

    # Findings

    def findings(self, loaded: LoadedProject) -> list[Finding]:
        """:func:`~briefing.checks.build_findings` of ``loaded``, the same findings in the
        same order, checking only the sheets whose findings are not in the cache."""
        data_dir = build_data_dir(loaded)
        glossary = file_key(data_dir / GLOSSARY_FILE) if data_dir is not None else "none"
        labels = file_key(self.templates_dir / LABELS_FILE)
        found: dict[str, list[Finding]] = {}
        stale: dict[str, str | None] = {}
        for sheet_id in loaded.project.sheets:
            shown, sheet_key = self._sheets.get(sheet_id, ("", ""))
            key = _key("findings", sheet_key, glossary, labels) \
                if sheet_key and glossary is not None and labels is not None else None
            kept = self._kept_findings("findings", shown, key)
            if kept is None:
                stale[sheet_id] = key
            else:
                found[sheet_id] = kept
        glossary_key = _key("glossary", glossary) if glossary is not None else None
        glossary_findings = self._kept_findings("glossary", "glossary", glossary_key)
        if stale or glossary_findings is None:
            terms, glossary_findings = build_glossary(loaded)
            # Nothing computed from a glossary that changed while it was read is kept.
            keep = glossary is not None and (data_dir is None or
                                             file_key(data_dir / GLOSSARY_FILE) == glossary)
            if keep and glossary_key is not None:
                self._keep_findings("glossary", "glossary", glossary_key, glossary_findings)
            matchers: dict[object, object] = {}
            for sheet_id, key in stale.items():
                found[sheet_id] = run_checks(loaded.only([sheet_id]), terms, matchers)
                self.checked += 1
                if keep and key is not None:
                    self._keep_findings("findings", self._sheets[sheet_id][0], key,
                                        found[sheet_id])
        return [*glossary_findings,
                *sorted(finding for findings in found.values() for finding in findings)]

    def _kept_findings(self, section: str, name: str, key: str | None) -> list[Finding] | None:
        entry = self._old[section].get(name)
        if key is None or not isinstance(entry, dict) or entry.get("key") != key:
            return None
        try:
            findings = [_finding(item) for item in entry["findings"]]
        except (KeyError, TypeError, ValueError):
            return None
        self._new[section][name] = entry
        return findings

    def _keep_findings(self, section: str, name: str, key: str,
                       findings: Iterable[Finding]) -> None:
        self._new[section][name] = {"key": key, "findings": [
            [f.location.file, f.location.line, f.location.column, f.severity, f.key_path,
             f.message, f.rule] for f in findings]}

    # Packs

    def pack(self, loaded: LoadedProject, name: str,
             compute: Callable[[], PackPlan]) -> PackPlan:
        """A pack's plan, ``compute()``-d from what it prints, which depends on every sheet
        and the countries (so any change to them computes every pack's again), and
        ``name`` (its country and what else it depends on)."""
        project = self._project_key(loaded)
        key = _key("pack", name, project) if project is not None else None
        entry = self._old["packs"].get(name)
        if key is not None and isinstance(entry, dict) and entry.get("key") == key:
            kept = _pack_plan(entry)
            if kept is not None and all(i in loaded.project.sheets for i in kept.sheets):
                self._new["packs"][name] = entry
                return kept
        plan = compute()
        if key is not None:
            self._new["packs"][name] = {"key": key, "inputs": plan.inputs,
                                        "sheets": list(plan.sheets), "draft": plan.draft,
                                        "held": list(plan.held)}
        return plan

    def _project_key(self, loaded: LoadedProject) -> str | None:
        """The key of every sheet of ``loaded`` and of the countries, if all are known."""
        keys = [self._sheets.get(sheet_id, ("", ""))[1] for sheet_id in loaded.project.sheets]
        if self._countries_key is None or not all(keys):
            return None
        return _key("project", self._countries_key, *loaded.project.sheets, *keys)

    # Writing

    def save(self, *, everything: bool) -> None:
        """Write what this build read and checked (atomically; not at all if unchanged).
        A build of only some sheets (``everything`` false) keeps the other entries too."""
        sections = {name: ({**self._old[name], **self._new[name]} if not everything
                           else self._new[name]) for name in _SECTIONS}
        if not any(sections.values()) and not os.path.lexists(self.path):
            return
        payload = json.dumps({"code": code_fingerprint(), **sections}, sort_keys=True,
                             ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        header = json.dumps({"format": FORMAT_VERSION,
                             "sha256": hashlib.sha256(payload).hexdigest()}).encode()
        with contextlib.suppress(BriefingError):  # unwritten, the next build is only slower
            commit([Output(self.path, header + b"\n" + payload)])


def _finding(item: object) -> Finding:
    """A finding as the cache holds it, refused (ValueError) unless every field is sound."""
    if not isinstance(item, list) or len(item) != 7:
        raise ValueError("not a finding")
    file, line, column, severity, key_path, message, rule = item
    texts = (file, key_path, message, rule)
    if not all(isinstance(text, str) for text in texts) or severity not in _SEVERITIES or \
            not all(type(number) is int and number >= 0 for number in (line, column)):
        raise ValueError("not a finding")
    return Finding(Location(file, line, column), severity, key_path, message, rule)


def _read(output_dir: Path) -> dict[str, Any]:
    """The sections of the cache in ``output_dir``, or none."""
    try:
        content = read_bounded(output_dir / CACHE_DIR / CACHE_FILE, MAX_CACHE_BYTES,
                               within=output_dir)
        first, _, payload = content.partition(b"\n")
        header = json.loads(first)
        if not isinstance(header, dict) or header.get("format") != FORMAT_VERSION or \
                header.get("sha256") != hashlib.sha256(payload).hexdigest():
            return {}
        data = json.loads(payload)
        if not isinstance(data, dict) or data.get("code") != code_fingerprint():
            return {}
        return {name: data[name] for name in _SECTIONS if isinstance(data.get(name), dict)}
    except (OSError, ValueError, RecursionError):
        return {}
