"""Validation and translation QA: what ``python3 generate.py check`` and every build run.

:mod:`~briefing.checks.runner` validates and runs the rules (one module per
family: completeness, script, numbers, identifiers, countries, glossary,
typography); :mod:`~briefing.checks.report` prints the findings.
"""

from .base import Rule, Severity
from .runner import (
    RULES,
    CheckFailedError,
    CheckResult,
    Finding,
    build_findings,
    check_project,
    run_checks,
    sheets_for_paths,
)

__all__ = [
    "RULES",
    "CheckFailedError",
    "CheckResult",
    "Finding",
    "Rule",
    "Severity",
    "build_findings",
    "check_project",
    "run_checks",
    "sheets_for_paths",
]
