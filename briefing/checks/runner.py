"""Validation and translation QA: what ``python3 generate.py check`` and every build run.

:func:`check_project` validates the data files (each sheet on its own, so that
one broken sheet does not hide the findings of the others) and then runs every
rule over every unit pair; :func:`run_checks` runs the rules over data already
loaded, as the build does. Each rule has an id and a severity (:data:`RULES`);
a unit, block or section silences a known finding with
``ignore: [{rule: <id>, lang: <code>, reason: "…"}]``.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

from ..core.labels import LABELS_FILE, Labels, load_labels
from ..core.load import LoadedProject, load_project
from ..core.model import Ignore, Sheet, Unit
from ..errors import BriefingError, DataError, Location, Problem, TemplateError
from . import (
    activities,
    completeness,
    countries,
    glossary,
    identifiers,
    numbers,
    review,
    script,
    typography,
)
from .base import Check, Hit, Rule, SheetContext, TermEntry, checked_units
from .findings import (
    MISSING_TRANSLATION,
    SCHEMA,
    CheckResult,
    Finding,
    Outcome,
    combine,
    schema_finding,
)
from .glossary import load_glossary
from .targets import CheckTargets, targets_for_paths, wanted_sheets

IGNORE_UNKNOWN = Rule("ignore-unknown", "error", "an ignore entry names a rule that does not exist")
IGNORE_UNUSED = Rule("ignore-unused", "warning", "an ignore entry silences nothing; remove it")

_FAMILIES = (completeness, script, numbers, identifiers, countries, activities, glossary,
             typography, review)
_CHECKS: tuple[Check, ...] = tuple(family.check for family in _FAMILIES)
#: Every rule by id, in the order the documentation lists them.
RULES: dict[str, Rule] = {
    rule.id: rule
    for rule in (SCHEMA, *(r for family in _FAMILIES for r in family.RULES),
                 IGNORE_UNKNOWN, IGNORE_UNUSED)
}


class CheckFailedError(BriefingError):
    """A final build was asked for while ``check`` finds errors."""

    def __init__(self, errors: Sequence[Finding]) -> None:
        self.errors = list(errors)
        missing = sum(1 for f in self.errors if f.rule == MISSING_TRANSLATION)
        awaiting = f" ({missing} text(s) still await translation)" if missing else ""
        super().__init__(f"{len(self.errors)} error(s) found by check{awaiting}; fix them, "
                         "or build with --draft to show placeholders")

    def lines(self) -> list[str]:
        return [*(str(f) for f in self.errors), f"Error: {self}"]


def check_project(
    data_dir: Path, root: Path, sheets: Iterable[str] | None = None, *,
    files: Sequence[Path] = (), draft: bool = False,
) -> CheckResult:
    """Validate and check the sheets named (default: all), never stopping at the first problem.

    ``files`` are sheet files from elsewhere, checked against the project's countries,
    glossary and labels without being copied in. With ``draft``, a missing translation
    is a warning, as a draft build takes it.
    """
    wanted = wanted_sheets(CheckTargets(None if sheets is None else list(sheets)), data_dir)
    # One sheet at a time, so that a broken sheet does not hide the others' findings;
    # with no sheet at all, countries.yaml is still validated.
    loads: list[tuple[list[str], list[Path]]] = [([sheet_id], []) for sheet_id in wanted]
    loads += [([], [path]) for path in files]
    parts = [load_part(data_dir, root, only, outside) for only, outside in loads or [([], [])]]
    terms, labels, shared = project_outcome(data_dir, root)
    matchers: dict[object, object] = {}
    outcomes = [part_outcome(part, terms, labels, matchers) for part in parts]
    return combine([shared, *outcomes], len(wanted) + len(files), draft=draft)


def load_part(data_dir: Path, root: Path, only: Sequence[str],
              files: Sequence[Path] = ()) -> LoadedProject | Outcome:
    """``countries.yaml`` and the sheets ``only`` (or the ``files``) read and validated; what
    was wrong with them if they do not validate."""
    try:
        return load_project(data_dir, root, only, files=files)
    except DataError as error:
        return Outcome(problems=tuple(schema_finding(problem) for problem in error.problems))


def project_outcome(
    data_dir: Path, root: Path
) -> tuple[tuple[TermEntry, ...], Labels | None, Outcome]:
    """The glossary and the labels every sheet is checked with, and their problems."""
    problems: set[Problem] = set()
    terms: tuple[TermEntry, ...] = ()
    try:
        terms = load_glossary(data_dir, root)
    except DataError as error:
        problems.update(error.problems)
    labels = _labels(root, problems)
    return terms, labels, Outcome(problems=tuple(sorted(schema_finding(p) for p in problems)))


def part_outcome(part: LoadedProject | Outcome, terms: Sequence[TermEntry],
                 labels: Labels | None, matchers: dict[object, object] | None = None) -> Outcome:
    """What ``check`` finds in a part that :func:`load_part` read: every rule over its units,
    and a language that ``labels.yaml`` cannot print. ``matchers`` keeps compiled matchers
    from one part to the next."""
    if isinstance(part, Outcome):
        return part
    findings = run_checks(part, terms, matchers)
    if labels is not None:
        findings.extend(label_findings(part, labels))
    return Outcome(findings=tuple(findings))


def check_paths(data_dir: Path, root: Path, paths: Sequence[Path], *,
                draft: bool = False) -> CheckResult:
    """``check PATHS…``: the sheets, folders and files named (none: the whole project)."""
    targets = targets_for_paths(paths, data_dir, root) if paths else CheckTargets()
    return check_project(data_dir, root, targets.sheets, files=targets.files, draft=draft)


def run_checks(loaded: LoadedProject, terms: Sequence[TermEntry] = (),
               cache: dict[object, object] | None = None) -> list[Finding]:
    """Every rule over every unit of every loaded sheet; ignored findings left out.

    ``cache`` keeps compiled matchers between calls (one per sheet, in ``check``).
    """
    findings: list[Finding] = []
    cache = {} if cache is None else cache
    for sheet_id, sheet in loaded.project.sheets.items():
        context = SheetContext(sheet, loaded.project.countries, tuple(terms), cache)
        findings.extend(_sheet_findings(loaded, sheet_id, sheet, context))
    return sorted(findings)


def build_findings(loaded: LoadedProject) -> list[Finding]:
    """What a build checks first, the glossary read from the loaded data's folder."""
    terms, findings = build_glossary(loaded)
    findings.extend(run_checks(loaded, terms))
    return findings


def build_glossary(loaded: LoadedProject) -> tuple[tuple[TermEntry, ...], list[Finding]]:
    """The glossary a build checks with, read from the loaded data's folder (none when no
    sheet is loaded), and its problems as findings."""
    data_dir = build_data_dir(loaded)
    if data_dir is None:
        return (), []
    try:
        return load_glossary(data_dir, data_dir.parent), []
    except DataError as error:
        return (), [schema_finding(problem) for problem in error.problems]


def _labels(root: Path, problems: set[Problem]) -> Labels | None:
    """``templates/labels.yaml``, which a sheet's languages need to be printed."""
    templates = root / "templates"
    if not templates.is_dir():
        return None
    try:
        return load_labels(templates)
    except TemplateError as error:
        problems.add(Problem(Location(f"templates/{LABELS_FILE}"), "", str(error)))
        return None


def label_findings(loaded: LoadedProject, labels: Labels) -> Iterator[Finding]:
    """A sheet in a language ``labels.yaml`` has no words for cannot be printed."""
    for sheet_id, sheet in loaded.project.sheets.items():
        for index, lang in enumerate(sheet.languages):
            if lang not in labels:
                yield schema_finding(loaded.problem(
                    sheet_id, ("languages", index),
                    f"templates/{LABELS_FILE} has no labels for {lang!r} (it has "
                    f"{', '.join(sorted(labels))}); add them there, or use one of those"))


def _sheet_findings(
    loaded: LoadedProject, sheet_id: str, sheet: Sheet, context: SheetContext
) -> Iterator[Finding]:
    used: set[int] = set()
    sources: dict[int, tuple[list[Ignore], tuple[str | int, ...], str]] = {}
    for unit in checked_units(sheet):
        ignores = unit.ignores
        if ignores:
            sources.setdefault(id(unit.source), (ignores, unit.path[:-1], unit.key))
        for check in _CHECKS:
            for hit in check(unit, context):
                silencing = _silencing(hit, ignores)
                if silencing is not None:
                    used.add(id(silencing))
                else:
                    yield _finding(loaded, sheet_id, hit)
    for ignores, path, key in sources.values():
        for index, ignore in enumerate(ignores):
            where = loaded.locate(sheet_id, (*path, "ignore", index))
            if ignore.rule not in RULES:
                guess = difflib.get_close_matches(ignore.rule, list(RULES), n=1, cutoff=0.6)
                meant = f"did you mean {guess[0]!r}? " if guess else ""
                yield Finding(where, IGNORE_UNKNOWN.severity, key,
                              f"ignore names rule {ignore.rule!r}, which does not exist "
                              f"({meant}rules: {', '.join(sorted(RULES))})", IGNORE_UNKNOWN.id)
            elif id(ignore) not in used:
                lang = f" in {ignore.lang}" if ignore.lang else ""
                yield Finding(where, IGNORE_UNUSED.severity, key,
                              f"ignore of {ignore.rule}{lang} silences nothing; remove it",
                              IGNORE_UNUSED.id)
    for (lang, key), message in review.orphans(sheet):
        yield Finding(loaded.locate(sheet_id, ("review", lang, key)),
                      review.REVIEW_STALE.severity, f"review.{lang}.{key}", message,
                      review.REVIEW_STALE.id)


def _silencing(hit: Hit, ignores: list[Ignore]) -> Ignore | None:
    return next((ignore for ignore in ignores
                 if ignore.rule == hit.rule and ignore.lang in (None, hit.lang)), None)


def _finding(loaded: LoadedProject, sheet_id: str, hit: Hit) -> Finding:
    rule = RULES[hit.rule]
    where = loaded.locate(sheet_id, hit.path) if hit.path is not None else \
        _locate(loaded, sheet_id, hit.unit, hit.lang)
    return Finding(where, rule.severity,
                   f"{hit.unit.key}.{hit.lang}" if hit.lang else hit.unit.key,
                   hit.message, rule.id)


def _locate(loaded: LoadedProject, sheet_id: str, unit: Unit, lang: str | None) -> Location:
    if lang is not None and lang in unit.texts:
        return loaded.locate(sheet_id, (*unit.path, lang))
    return loaded.locate(sheet_id, unit.path)


def build_data_dir(loaded: LoadedProject) -> Path | None:
    """The data folder a build's glossary is read from: that of its first sheet."""
    sheet_file = next(iter(loaded.files.values()), None)
    return sheet_file.parent.parent if sheet_file is not None else None

