"""The one in-process runner for every command-line test (as Click's ``CliRunner``)."""

from __future__ import annotations

import io
from pathlib import Path
from typing import NamedTuple

from briefing.cli import main


class Result(NamedTuple):
    """Exit status and what was printed: ``code, out, err = run(…)``."""

    code: int
    out: str
    err: str


def run(project: Path | None, *argv: str) -> Result:
    """``briefing [--root project] argv…`` in this process, with its output captured."""
    stdout, stderr = io.StringIO(), io.StringIO()
    root = ["--root", str(project)] if project is not None else []
    code = main([*root, *argv], stdout=stdout, stderr=stderr)
    return Result(code, stdout.getvalue(), stderr.getvalue())
