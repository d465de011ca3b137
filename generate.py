#!/usr/bin/env python3
"""Build the reports of this project: ``python generate.py --help`` lists the commands."""

import sys
from pathlib import Path

from briefing.cli import main

if __name__ == "__main__":
    project = Path(__file__).resolve().parent
    raise SystemExit(main(["--root", str(project), *sys.argv[1:]]))
