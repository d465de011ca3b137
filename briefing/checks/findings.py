"""What ``check`` reports, and nothing it needs to find it: rules, findings, results.

Importing this module loads neither the model (pydantic) nor the rules, so that a
``check`` whose findings are known already (:mod:`briefing.build.cache`) prints them at
the cost of reading its inputs. :func:`combine` is the one place where the findings of
each sheet become the result ``check`` prints, whether they were just found or kept.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Literal

from ..errors import Location, Problem

Severity = Literal["error", "warning"]
#: The rule of a missing translation, which ``--draft`` takes as a warning.
MISSING_TRANSLATION = "missing-translation"


@dataclass(frozen=True)
class Rule:
    """A check with a stable id (used in ``ignore:`` entries) and a default severity."""

    id: str
    severity: Severity
    summary: str


SCHEMA = Rule("schema", "error", "the data does not validate: a file, key or value is wrong")


@dataclass(frozen=True, order=True)
class Finding:
    """One line of ``check``: where, how bad, which key, what, and the rule's id."""

    location: Location
    severity: Severity
    key_path: str
    message: str
    rule: str

    def __str__(self) -> str:
        key = f"{self.key_path}: " if self.key_path else ""
        return f"{self.location}: {self.severity}: {key}{self.message} [{self.rule}]"


def schema_finding(problem: Problem) -> Finding:
    """A problem of the data (it does not validate) as a finding of the ``schema`` rule."""
    return Finding(problem.location, SCHEMA.severity, problem.key_path, problem.message,
                   SCHEMA.id)


@dataclass(frozen=True)
class CheckResult:
    findings: list[Finding]
    sheets_checked: int

    @property
    def errors(self) -> list[Finding]:
        return [finding for finding in self.findings if finding.severity == "error"]

    def strict(self) -> CheckResult:
        """Every warning made an error, for a CI that accepts none."""
        return CheckResult([replace(f, severity="error") for f in self.findings],
                           self.sheets_checked)


@dataclass(frozen=True)
class Outcome:
    """What ``check`` finds in one part of the project: the problems of reading and
    validating it (as ``schema`` findings, which are the same, and said once, wherever
    several parts share a file) and the findings of the rules."""

    problems: tuple[Finding, ...] = ()
    findings: tuple[Finding, ...] = ()


def combine(outcomes: Iterable[Outcome], sheets_checked: int, *,
            draft: bool = False) -> CheckResult:
    """The result of ``check`` from the outcome of each part (the project's own files, and
    each sheet read with ``countries.yaml``): problems said once, everything in order.
    With ``draft``, a missing translation is a warning, as a draft build takes it."""
    problems: set[Finding] = set()
    findings: list[Finding] = []
    for outcome in outcomes:
        problems.update(outcome.problems)
        findings.extend(outcome.findings)
    every = [*problems, *findings]
    if draft:
        every = [replace(f, severity="warning") if f.rule == MISSING_TRANSLATION else f
                 for f in every]
    return CheckResult(sorted(every), sheets_checked)
