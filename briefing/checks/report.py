"""``check``'s findings as text lines (compiler form) or as JSON for a CI."""

from __future__ import annotations

import json
from collections import Counter

from .findings import CheckResult


def text_lines(result: CheckResult) -> list[str]:
    """One line per finding, then the summary line."""
    return [*(str(finding) for finding in result.findings), summary(result)]


def summary(result: CheckResult) -> str:
    sheets = f"{result.sheets_checked} sheet{'s' if result.sheets_checked != 1 else ''}"
    if not result.findings:
        return f"{sheets} checked: no findings"
    errors = len(result.errors)
    warnings = len(result.findings) - errors
    per_rule = Counter(finding.rule for finding in result.findings)
    counts = ", ".join(f"{rule} {count}" for rule, count in sorted(per_rule.items()))
    return (f"{sheets} checked: {errors} error{'s' if errors != 1 else ''}, "
            f"{warnings} warning{'s' if warnings != 1 else ''} ({counts})")


def json_text(result: CheckResult) -> str:
    per_rule = Counter(finding.rule for finding in result.findings)
    document = {
        "findings": [
            {
                "file": finding.location.file,
                "line": finding.location.line,
                "column": finding.location.column,
                "severity": finding.severity,
                "key": finding.key_path,
                "message": finding.message,
                "rule": finding.rule,
            }
            for finding in result.findings
        ],
        "summary": {
            "sheets": result.sheets_checked,
            "errors": len(result.errors),
            "warnings": len(result.findings) - len(result.errors),
            "rules": dict(sorted(per_rule.items())),
        },
    }
    return json.dumps(document, ensure_ascii=False, indent=2)
