"""The independent validators the tests run on every kind of output, in process.

- PDF: ``pdfua`` (the machine-checkable part of PDF/UA-1 and WCAG 2.1, 12 rules).
- DOCX: ``openxml-audit`` (the Open XML SDK's validation and Word's app-compat
  rules) in ``microsoft365`` mode.

``python -m tests.validators FILE…`` prints the figures of each file, one line each,
then every finding.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

import pdfua.rules.structure
from openxml_audit import FileFormat, OpenXmlValidator  # type: ignore[import-untyped]
from pdfua import validate


def _as_integer(value: object) -> int | None:
    """pdfua 0.1.3's ``as_integer`` asks ``getattr(value, "is_integer", False)``, which
    raises ``ValueError`` (not ``AttributeError``) on a pikepdf 10 Array or Name: the
    empty-heading rule (UA-14-001) is then skipped on every WeasyPrint file, and
    neither the findings nor the exit code say so. This one answers the same."""
    if isinstance(value, bool):
        return None
    return int(value) if isinstance(value, int) else None


pdfua.rules.structure.as_integer = _as_integer  # type: ignore[attr-defined]


@dataclass(frozen=True)
class Figures:
    """What a validator found in one file: errors, warnings, and rules it could not run."""

    path: Path
    errors: list[str]
    warnings: list[str]
    skipped: list[str]
    rules: int

    def line(self) -> str:
        skipped = f", {len(self.skipped)} rule(s) skipped" if self.skipped else ""
        return (f"{self.path}: {len(self.errors)} errors, {len(self.warnings)} warnings"
                f"{skipped} ({self.rules} rules)")


def pdfua_figures(path: Path) -> Figures:
    """pdfua on a PDF; info findings count as warnings."""
    report = validate(str(path))
    errors = [f"{f.rule_id} {f.message} ({f.location.describe()})" for f in report.findings
              if f.severity.name == "ERROR"]
    warnings = [f"{f.rule_id} {f.severity.name.lower()}: {f.message} "
                f"({f.location.describe()})" for f in report.findings
                if f.severity.name != "ERROR"]
    skipped = [f"{o.rule_id}: {o.skipped_reason}" for o in report.outcomes if o.skipped]
    return Figures(path, errors, warnings, skipped, len(report.outcomes))


def openxml_figures(path: Path) -> Figures:
    """openxml-audit (microsoft365) on a DOCX; info findings count as warnings."""
    result = OpenXmlValidator(file_format=FileFormat.MICROSOFT_365, max_errors=0).validate(path)
    errors = [str(e) for e in result.errors if e.severity.name == "ERROR"]
    warnings = [str(e) for e in result.errors if e.severity.name != "ERROR"]
    return Figures(path, errors, warnings, [], 0)


def figures(path: Path) -> Figures:
    return pdfua_figures(path) if path.suffix == ".pdf" else openxml_figures(path)


def main(paths: list[str]) -> int:
    worst = 0
    for name in paths:
        found = figures(Path(name))
        print(found.line().replace(" (0 rules)", ""))
        for finding in found.errors + found.warnings + found.skipped:
            print(f"  {finding}")
        if found.errors or found.warnings or found.skipped:
            worst = 1
    return worst


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
