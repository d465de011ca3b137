"""The summary line and the JSON document of check_report."""

from __future__ import annotations

import json

from briefing.checks import CheckResult, Finding
from briefing.checks.report import json_text, summary, text_lines
from briefing.errors import Location

WARNING = Finding(Location("data/sheets/x.yaml", 3, 7), "warning", "s.p.ru",
                  "number 3 in en has no counterpart in ru", "number-mismatch")
ERROR = Finding(Location("data/sheets/x.yaml", 9, 7), "error", "s.q.ru",
                "no ru translation yet", "missing-translation")


def test_lines_are_in_compiler_form_then_a_summary() -> None:
    result = CheckResult([WARNING, ERROR], 1)
    assert text_lines(result) == [
        "data/sheets/x.yaml:3:7: warning: s.p.ru: number 3 in en has no counterpart in ru "
        "[number-mismatch]",
        "data/sheets/x.yaml:9:7: error: s.q.ru: no ru translation yet [missing-translation]",
        "1 sheet checked: 1 error, 1 warning (missing-translation 1, number-mismatch 1)",
    ]


def test_a_clean_run_says_so() -> None:
    assert summary(CheckResult([], 2)) == "2 sheets checked: no findings"


def test_json_lists_each_finding_and_counts() -> None:
    document = json.loads(json_text(CheckResult([WARNING, ERROR], 1).strict()))
    assert document["findings"][0] == {
        "file": "data/sheets/x.yaml", "line": 3, "column": 7, "severity": "error",
        "key": "s.p.ru", "message": "number 3 in en has no counterpart in ru",
        "rule": "number-mismatch"}
    assert document["summary"] == {"sheets": 1, "errors": 2, "warnings": 0,
                                   "rules": {"missing-translation": 1, "number-mismatch": 1}}
