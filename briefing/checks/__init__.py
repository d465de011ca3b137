"""Validation and translation QA: what ``python3 generate.py check`` and every build run.

:mod:`~briefing.checks.runner` validates and runs the rules (one module per
family: completeness, script, numbers, identifiers, countries, activities,
glossary, typography, review); :mod:`~briefing.checks.report` prints the findings.
"""

from .base import Rule, Severity
from .runner import (
    RULES,
    CheckFailedError,
    CheckResult,
    CheckTargets,
    Finding,
    build_data_dir,
    build_findings,
    build_glossary,
    check_paths,
    check_project,
    run_checks,
    targets_for_paths,
)

__all__ = [
    "RULES",
    "CheckFailedError",
    "CheckResult",
    "CheckTargets",
    "Finding",
    "Rule",
    "Severity",
    "build_data_dir",
    "build_findings",
    "build_glossary",
    "check_paths",
    "check_project",
    "run_checks",
    "targets_for_paths",
]
