"""The one in-process runner for every command-line test (as Click's ``CliRunner``)."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from collections.abc import Mapping
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


def run_in_fresh_process(project: Path, *argv: str, report: str,
                         env: Mapping[str, str] | None = None) -> str:
    """``briefing --root project argv…`` in a new Python process (so that what it imports
    and the processes it starts are its own), its output discarded; then ``report``, an
    expression of the modules ``sys`` and ``multiprocessing.forkserver`` evaluated there.
    Returns the exit code and the expression's value, as printed: ``"0 False"``."""
    program = (
        "import io, sys, multiprocessing.forkserver\n"
        "from briefing.cli import main\n"
        f"code = main(['--root', {str(project)!r}, *{list(argv)!r}], io.StringIO(), "
        "io.StringIO())\n"
        f"print(code, {report})\n"
    )
    result = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True,
                            check=False, env={**os.environ, **(env or {})})
    assert result.returncode == 0, result.stderr
    return result.stdout.splitlines()[-1]


def assert_built_as_here(project: Path, sheet_id: str, reports: Path, here: Path) -> None:
    """The sheet's HTML, PDF and DOCX in ``reports`` are byte for byte those of a build of
    it laid out in this process alone (``-j 1``), made now into ``here``."""
    assert run(project, "--output", str(here), "build", "--sheet", sheet_id, "-j", "1").code == 0
    for suffix in (".html", ".pdf", ".docx"):
        name = f"{sheet_id}{suffix}"
        assert (reports / name).read_bytes() == (here / name).read_bytes(), name
