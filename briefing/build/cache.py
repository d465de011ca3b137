"""``reports/.cache/data.json``: what a build or ``check`` has read, validated and checked,
by content.

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

``check`` keeps what it prints in the same file, section ``check`` (as ruff and mypy keep
theirs; only in a reports folder there is: ``check`` makes none): per sheet, read with
``countries.yaml`` as ``check`` reads each sheet, under the sheet's key with those of the
glossary and the labels; and for the glossary and labels themselves. A build records there
what it checked too. A ``check`` whose inputs are all unchanged (:func:`check_with_cache`)
reads them, hashes them and prints what is kept: it neither parses the YAML nor builds the
model. Its lines are the same as without the cache.

Only what was read without a problem is kept for a build (``check`` keeps the problems it
printed, under the same keys); a file with problems is read, and its problems found, as
without the cache. The file is written atomically: by a build once it is done, only if it
succeeded and the content changed, holding the folder; by ``check`` when it found
something not kept yet (without holding the folder: losing a race to a build only loses
entries, never gives a wrong one). A cache that is missing, of another format, damaged
(its SHA-256 is in its first line), or whose entries do not validate is ignored, entry by
entry or whole: never a traceback, never trusted.

Importing this module loads no model and no rule: those are imported once something has
to be validated or checked.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, get_args

from ..checks.findings import CheckResult, Finding, Outcome, Severity, combine
from ..checks.targets import GLOSSARY_FILE, CheckTargets, targets_for_paths, wanted_sheets
from ..core.files import read_bounded
from ..core.labels import LABELS_FILE
from ..core.memo import remember
from ..core.yamlio import COUNTRIES_FILE, SHEETS_DIR, display_name, read_text
from ..errors import BriefingError, DataError, Location

if TYPE_CHECKING:
    from pydantic import TypeAdapter

    from ..checks.base import TermEntry
    from ..core.labels import Labels
    from ..core.load import LoadedProject
    from ..core.model import Country, Sheet


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

_SECTIONS = ("countries", "sheets", "findings", "glossary", "packs", "check")
_SEVERITIES = frozenset(get_args(Severity))
#: The distributions whose versions the cached results depend on (besides Python's).
_DISTRIBUTIONS = ("briefing", "pydantic", "pydantic_core", "pyyaml", "babel")
#: The ``check`` entry of the glossary and labels (those of the sheets: ``part:<name>``).
_PROJECT_ENTRY = "project"


@cache
def _countries_adapter() -> TypeAdapter[dict[str, Country]]:
    from pydantic import TypeAdapter

    from ..core.model import Country

    return TypeAdapter(dict[str, Country])


def run_checks(loaded: LoadedProject, terms: Sequence[TermEntry] = (),
               cache: dict[object, object] | None = None) -> list[Finding]:
    """:func:`briefing.checks.run_checks`, whose rules are loaded when first needed."""
    from ..checks.runner import run_checks as run

    return run(loaded, terms, cache)


@cache
def code_fingerprint() -> str:
    """What the cached results were computed by: the sources that read, validate and check
    the data, and the versions of the tool, Python and the libraries they use."""
    package = Path(__file__).resolve().parent.parent
    digest = hashlib.sha256("\0".join([sys.version, *installed_versions(_DISTRIBUTIONS)])
                            .encode())
    sources = [*sorted((package / "core").glob("*.py")), *sorted((package / "checks").glob("*.py")),
               package / "errors.py", Path(__file__).resolve()]
    for source in sources:
        digest.update(source.relative_to(package).as_posix().encode() + b"\0")
        try:
            digest.update(source.read_bytes())
        except OSError:
            digest.update(b"unreadable")
    return digest.hexdigest()


def installed_versions(names: Iterable[str]) -> list[str]:
    """``name version`` of each distribution, as ``importlib.metadata`` finds it (the first
    ``.dist-info`` or ``.egg-info`` folder on ``sys.path``), without importing the library,
    or importlib.metadata (a tenth of ``check``'s time): from the folder's name, or from
    its metadata where the name has none (``briefing.egg-info``, which building the wheel
    leaves in the source tree: read as "no version", it gave ``generate.py`` in the project
    folder a cache of its own, ignored by the ``briefing`` command and the other way round)."""
    wanted = {_normalised(name) for name in names}
    found: dict[str, str] = {}
    for entry in sys.path:
        try:
            listing = os.listdir(entry or ".")
        except OSError:
            continue
        for item in sorted(listing):
            stem, dot, suffix = item.rpartition(".")
            if suffix not in ("dist-info", "egg-info") or not dot:
                continue
            name, _, version = stem.partition("-")
            key = _normalised(name)
            if key in wanted and key not in found:
                found[key] = version or _metadata_version(Path(entry or ".", item))
    return [f"{name} {found.get(name, '?')}" for name in sorted(wanted)]


def _metadata_version(folder: Path) -> str:
    """The ``Version:`` of a metadata folder's ``METADATA`` or ``PKG-INFO``, or ``?``."""
    for name in ("METADATA", "PKG-INFO"):
        try:
            with open(folder / name, encoding="utf-8", errors="replace") as metadata:
                for line in metadata:
                    if line.startswith("Version:"):
                        return line.partition(":")[2].strip()
                    if not line.strip():
                        break  # the headers end: the description follows
        except OSError:
            continue
    return "?"


def _normalised(name: str) -> str:
    return re.sub(r"[-_.]+", "_", name).lower()


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


def _countries_key(shown: str, text: str) -> str:
    return _key("countries", shown, text)


def _sheet_key(shown: str, stem: str | None, countries_key: str, text: str) -> str:
    return _key("sheet", shown, repr(stem), countries_key, text)


def _part_key(sheet_key: str, glossary: str, labels: str) -> str:
    """A sheet's ``check`` entry: the sheet (and the countries) read, the glossary it is
    checked with and the labels its languages must have."""
    return _key("check", sheet_key, glossary, labels)


def _project_key(glossary_shown: str, glossary: str, labels: str, templates: bool) -> str:
    """The ``check`` entry of the glossary's and the labels' own problems."""
    return _key("check-project", glossary_shown, glossary, labels, repr(templates))


#: Sheets validated in this process, by key, with the cache entry they were validated from
#: (or kept as): watch mode builds again and again, and validating every unchanged sheet
#: anew from the cache took 0.12 s of each rebuild of the 120-sheet corpus. Used only where
#: the cache on disk holds the same key (the models are frozen); what is kept then is the
#: entry remembered, sound whatever became of the file's.
_validated: dict[str, tuple[Sheet, dict[str, Any]]] = {}
#: Sheets remembered at most (the oldest are forgotten).
MAX_VALIDATED = 2000


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
        #: The sheets read anew in this build (their files edited since the last), in order.
        self.fresh_sheets: list[str] = []

    @property
    def path(self) -> Path:
        return self.output_dir / CACHE_DIR / CACHE_FILE

    @classmethod
    def load(cls, output_dir: Path, templates_dir: Path) -> BuildCache:
        """The cache recorded in ``output_dir``; a missing, foreign or damaged one is empty."""
        return cls(output_dir, templates_dir, _read(output_dir))

    # ReadCache

    def countries(self, shown: str, text: str) -> dict[str, Country] | None:
        self._countries_key = key = _countries_key(shown, text)
        entry = self._old["countries"].get(shown)
        if not isinstance(entry, dict) or entry.get("key") != key:
            self.parsed += 1
            return None
        try:
            countries: dict[str, Country] = _countries_adapter().validate_python(entry["value"])
        except (KeyError, TypeError, ValueError, RecursionError):  # ValidationError included
            self.parsed += 1
            return None
        self._new["countries"][shown] = entry
        return countries

    def keep_countries(self, shown: str, text: str, countries: dict[str, Country]) -> None:
        self._countries_key = key = _countries_key(shown, text)
        self._new["countries"][shown] = {
            "key": key, "value": _countries_adapter().dump_python(countries, mode="json",
                                                                  exclude_unset=True)}

    def _sheet_key(self, shown: str, stem: str | None, text: str) -> str | None:
        if self._countries_key is None:
            return None
        return _sheet_key(shown, stem, self._countries_key, text)

    def sheet(self, shown: str, stem: str | None, text: str) -> Sheet | None:
        key = self._sheet_key(shown, stem, text)
        entry = self._old["sheets"].get(shown)
        if key is None or not isinstance(entry, dict) or entry.get("key") != key:
            self.parsed += 1
            return None
        if key in _validated:
            sheet, entry = _validated[key]  # the entry it was validated from, kept sound
        else:
            from ..core.model import Sheet

            try:
                sheet = Sheet.model_validate(entry["sheet"])
            except (KeyError, TypeError, ValueError, RecursionError):  # ValidationError too
                self.parsed += 1
                return None
            remember(_validated, key, (sheet, entry), MAX_VALIDATED)
        self._new["sheets"][shown] = entry
        self._sheets[sheet.id] = (shown, key)
        return sheet

    def keep_sheet(self, shown: str, stem: str | None, text: str, sheet: Sheet) -> None:
        key = self._sheet_key(shown, stem, text)
        if key is None:
            return
        self._new["sheets"][shown] = entry = {
            "key": key, "sheet": sheet.model_dump(mode="json", exclude_unset=True)}
        remember(_validated, key, (sheet, entry), MAX_VALIDATED)
        self._sheets[sheet.id] = (shown, key)
        self.fresh_sheets.append(sheet.id)

    # Findings

    def findings(self, loaded: LoadedProject) -> list[Finding]:
        """:func:`~briefing.checks.build_findings` of ``loaded``, the same findings in the
        same order, checking only the sheets whose findings are not in the cache. What
        ``check`` would print of each sheet is kept too (:func:`check_with_cache`)."""
        from ..checks.runner import build_data_dir, build_glossary

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
        terms: tuple[TermEntry, ...] = ()
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
        if keep and glossary is not None and labels is not None and data_dir is not None:
            self._keep_check(loaded, found, data_dir, glossary, labels)
        return [*glossary_findings,
                *sorted(finding for findings in found.values() for finding in findings)]

    def _keep_check(self, loaded: LoadedProject, found: Mapping[str, list[Finding]],
                    data_dir: Path, glossary: str, labels: str) -> None:
        """What ``check`` prints of each sheet of ``loaded``, which was read without a
        problem: the findings just found, and a language ``labels.yaml`` lacks; and of the
        glossary and labels, when not kept yet."""
        from ..checks.runner import label_findings, project_outcome

        root = self.templates_dir.parent
        check_old, check_new = self._old["check"], self._new["check"]
        project_key = _project_key(display_name(data_dir / GLOSSARY_FILE, root), glossary,
                                   labels, self.templates_dir.is_dir())
        label_words: Labels | None = None
        kept = _kept_outcome(check_old.get(_PROJECT_ENTRY), project_key)
        if kept is not None:
            check_new[_PROJECT_ENTRY] = check_old[_PROJECT_ENTRY]
        else:
            _, label_words, outcome = project_outcome(data_dir, root)
            check_new[_PROJECT_ENTRY] = _outcome_entry(project_key, outcome)
        for sheet_id, findings in found.items():
            shown, sheet_key = self._sheets.get(sheet_id, ("", ""))
            if not sheet_key:
                continue
            name, key = f"part:{shown}", _part_key(sheet_key, glossary, labels)
            if _kept_outcome(check_old.get(name), key) is not None:
                check_new[name] = check_old[name]
                continue
            if label_words is None:
                label_words = project_outcome(data_dir, root)[1]
            extra = label_findings(loaded.only([sheet_id]), label_words) \
                if label_words is not None else ()
            check_new[name] = _outcome_entry(key, Outcome(findings=(*findings, *extra)))

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
        if name not in self._new[section]:
            self._new[section][name] = {"key": key, "findings": _finding_items(findings)}

    # Packs

    def pack(self, loaded: LoadedProject, name: str, sheet_ids: Sequence[str],
             compute: Callable[[], PackPlan]) -> PackPlan:
        """A pack's plan, ``compute()``-d from what it prints, which depends on the sheets
        naming its country (``sheet_ids``: an edit of another sheet computes it no more),
        the countries, and ``name`` (its country and what else it depends on)."""
        keys = [self._sheets.get(sheet_id, ("", ""))[1] for sheet_id in sheet_ids]
        key = _key("pack", name, self._countries_key, *sheet_ids, *keys) \
            if self._countries_key is not None and all(keys) else None
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

    # Writing

    def save(self, *, everything: bool) -> None:
        """Write what this build read and checked (atomically; not at all if unchanged).
        A build of only some sheets (``everything`` false) keeps the other entries too;
        so does every build for ``check``'s, but of a sheet no longer there."""
        sections = {name: ({**self._old[name], **self._new[name]} if not everything
                           else self._new[name]) for name in _SECTIONS}
        if everything:
            present = {f"part:{shown}" for shown, _ in self._sheets.values()}
            sections["check"] = {**{name: entry for name, entry in self._old["check"].items()
                                    if name in present or name == _PROJECT_ENTRY},
                                 **self._new["check"]}
        if not any(sections.values()) and not os.path.lexists(self.path):
            return
        _write(self.path, sections)


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


def _finding_items(findings: Iterable[Finding]) -> list[list[Any]]:
    return [[f.location.file, f.location.line, f.location.column, f.severity, f.key_path,
             f.message, f.rule] for f in findings]


def _outcome_entry(key: str, outcome: Outcome) -> dict[str, Any]:
    return {"key": key, "problems": _finding_items(outcome.problems),
            "findings": _finding_items(outcome.findings)}


def _kept_outcome(entry: object, key: str | None) -> Outcome | None:
    """The outcome a ``check`` entry holds, if it has the key ``key`` and is sound."""
    if key is None or not isinstance(entry, dict) or entry.get("key") != key:
        return None
    try:
        return Outcome(tuple(_finding(item) for item in entry["problems"]),
                       tuple(_finding(item) for item in entry["findings"]))
    except (KeyError, TypeError, ValueError):
        return None


def _write(path: Path, sections: Mapping[str, Mapping[str, Any]]) -> None:
    """The cache file, with its checksum, written atomically; not at all if it cannot be
    (the next build or check is only slower)."""
    from .output import Output, commit

    payload = json.dumps({"code": code_fingerprint(), **sections}, sort_keys=True,
                         ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    header = json.dumps({"format": FORMAT_VERSION,
                         "sha256": hashlib.sha256(payload).hexdigest()}).encode()
    with contextlib.suppress(BriefingError):
        commit([Output(path, header + b"\n" + payload)])


# ``check``


@dataclass(frozen=True)
class _Part:
    """One sheet as ``check`` reads it (with ``countries.yaml``): its id, its entry's name
    in the cache and its key (``None`` if a file could not be read: never kept)."""

    sheet_id: str
    name: str
    key: str | None


def check_with_cache(data_dir: Path, root: Path, output_dir: Path, paths: Sequence[Path],
                     *, draft: bool = False) -> CheckResult:
    """``check PATHS…`` (:func:`briefing.checks.check_paths`, the same result), each sheet's
    findings and those of the glossary and labels taken from the cache in ``output_dir``
    while its inputs are unchanged. What is not kept yet is checked, then kept if
    ``output_dir`` exists (a file from elsewhere is always checked, never kept)."""
    targets = targets_for_paths(paths, data_dir, root) if paths else CheckTargets()
    wanted = wanted_sheets(targets, data_dir)
    old = _read(output_dir)
    entries = dict(old.get("check", {}))
    parts, project_key = _check_keys(data_dir, root, wanted)
    outcomes = {part.name: _kept_outcome(entries.get(part.name), part.key) for part in parts}
    project = _kept_outcome(entries.get(_PROJECT_ENTRY), project_key)
    missing = [part for part in parts if outcomes[part.name] is None]
    if project is not None and not missing and not targets.files:
        return combine([project, *(o for o in outcomes.values() if o is not None)],
                       len(wanted), draft=draft)
    from ..checks.runner import load_part, part_outcome, project_outcome

    loaded = [load_part(data_dir, root, [part.sheet_id] if part.sheet_id else [])
              for part in missing]
    outside = [load_part(data_dir, root, [], [path]) for path in targets.files]
    terms, labels, project = project_outcome(data_dir, root)
    matchers: dict[object, object] = {}
    for part, read in zip(missing, loaded, strict=True):
        outcomes[part.name] = part_outcome(read, terms, labels, matchers)
    others = [part_outcome(read, terms, labels, matchers) for read in outside]
    result = combine([project, *(o for o in outcomes.values() if o is not None), *others],
                     len(wanted) + len(targets.files), draft=draft)
    # Kept under the keys of what was read before checking, if still the same after.
    again, project_again = _check_keys(data_dir, root, wanted)
    kept = {part.name: _outcome_entry(part.key, outcome) for part, later in zip(
        parts, again, strict=True) if part.key is not None and part.key == later.key
        and (outcome := outcomes[part.name]) is not None}
    if project_key is not None and project_key == project_again:
        kept[_PROJECT_ENTRY] = _outcome_entry(project_key, project)
    if not paths:  # the whole project: a sheet no longer there is forgotten
        entries = {name: entry for name, entry in entries.items() if name == _PROJECT_ENTRY}
    # Kept beside the build's, in a reports folder there is: check alone never makes one.
    if output_dir.is_dir() and {**entries, **kept} != old.get("check"):
        _write(output_dir / CACHE_DIR / CACHE_FILE,
               {**{name: old.get(name, {}) for name in _SECTIONS}, "check": {**entries, **kept}})
    return result


def _check_keys(data_dir: Path, root: Path,
                wanted: Sequence[str]) -> tuple[list[_Part], str | None]:
    """Each sheet's ``check`` part, with its key, and the key of the project's own part."""
    countries_path = data_dir / COUNTRIES_FILE
    countries_shown = display_name(countries_path, root)
    countries = _text(countries_path, countries_shown)
    countries_key = _countries_key(countries_shown, countries) if countries is not None \
        else None
    glossary_path = data_dir / GLOSSARY_FILE
    glossary = file_key(glossary_path)
    templates = root / "templates"
    labels = file_key(templates / LABELS_FILE)
    known = glossary is not None and labels is not None and countries_key is not None
    project_key = _project_key(display_name(glossary_path, root), glossary, labels,
                               templates.is_dir()) \
        if glossary is not None and labels is not None else None
    if not wanted:  # countries.yaml alone
        key = _key("check-countries", countries_key) if countries_key is not None else None
        return [_Part("", f"countries:{countries_shown}", key)], project_key
    parts = []
    for sheet_id in wanted:
        path = data_dir / SHEETS_DIR / f"{sheet_id}.yaml"
        shown = display_name(path, root)
        text = _text(path, shown) if known else None
        key = _part_key(_sheet_key(shown, sheet_id, countries_key, text), glossary, labels) \
            if text is not None and countries_key is not None and glossary is not None \
            and labels is not None else None
        parts.append(_Part(sheet_id, f"part:{shown}", key))
    return parts, project_key


def _text(path: Path, shown: str) -> str | None:
    """The text of a data file as the loader reads it; ``None`` if it cannot be read."""
    try:
        return read_text(path, shown)
    except DataError:
        return None
