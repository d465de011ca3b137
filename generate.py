#!/usr/bin/env python3
"""Build the reports of this project: ``python3 generate.py --help`` lists the commands.

Any Python 3.11+ will do: where the packages the tool needs are missing, it runs
itself again under the project's ``.venv`` (made by ``make``), or says to run
``make``. Everything else is :func:`briefing.cli.main`'s.
"""

import os
import sys
from importlib.util import find_spec
from pathlib import Path

PROJECT = Path(__file__).resolve().parent
VENV_PYTHON = PROJECT / ".venv" / "bin" / "python"
#: The distributions the tool imports (pyproject.toml's dependencies), by module name.
REQUIRED_MODULES = ("weasyprint", "jinja2", "yaml", "docx", "ruamel", "pydantic", "babel",
                    "pikepdf", "tqdm", "lxml", "pyuca", "watchfiles")
_REEXEC = "BRIEFING_GENERATE_REEXEC"


def missing_modules() -> list[str]:
    return [name for name in REQUIRED_MODULES if find_spec(name) is None]


def start() -> int:
    if sys.version_info < (3, 11):  # noqa: UP036 - any python3 may start this file
        print("Error: briefing needs Python 3.11 or newer", file=sys.stderr)
        return 1
    missing = missing_modules()
    if missing:
        if VENV_PYTHON.exists() and not os.environ.get(_REEXEC):
            os.environ[_REEXEC] = "1"
            os.execv(VENV_PYTHON, [str(VENV_PYTHON), str(Path(__file__).resolve()), *sys.argv[1:]])
        print(f"Error: the packages briefing needs are not installed ({', '.join(missing)}); "
              f"run `make` in {PROJECT} first", file=sys.stderr)
        return 1
    from briefing.cli import main

    return main(["--root", str(PROJECT), *sys.argv[1:]])


if __name__ == "__main__":
    raise SystemExit(start())
