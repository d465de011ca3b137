"""Validation and translation QA: what ``python3 generate.py check`` and every build run.

:mod:`~briefing.checks.runner` validates and runs the rules (one module per
family: completeness, script, numbers, identifiers, countries, activities,
glossary, typography, review); :mod:`~briefing.checks.report` prints the findings.
:mod:`~briefing.checks.findings` (what a finding and a result are) and
:mod:`~briefing.checks.targets` (what ``check PATHS…`` means) load no model: the
names below are imported from the runner only when first used, so that a
``check`` answered from the cache never builds the model.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .findings import CheckResult, Finding, Rule, Severity
    from .runner import (
        RULES,
        CheckFailedError,
        build_data_dir,
        build_findings,
        build_glossary,
        check_paths,
        check_project,
        run_checks,
    )
    from .targets import CheckTargets, targets_for_paths

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

#: The module each name comes from.
_HOMES = {
    **dict.fromkeys(("CheckResult", "Finding", "Rule", "Severity"), "findings"),
    **dict.fromkeys(("CheckTargets", "targets_for_paths"), "targets"),
}


def __getattr__(name: str) -> Any:
    if name not in __all__:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f".{_HOMES.get(name, 'runner')}", __name__), name)
    globals()[name] = value
    return value
