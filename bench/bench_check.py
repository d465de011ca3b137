"""Time of ``check``: validation alone, against validation plus every rule, in this process.

Prints medians over ``--runs`` runs of loading and validating the data
(``load_project``), of the rules alone over the loaded data (``run_checks``, what a
build adds before rendering) and of the whole ``check_project``; the ratio is the
whole check against validation alone in the same run, since machines here are noisy.

    .venv/bin/python bench/bench_check.py [--runs 20]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from timing import median_ms  # noqa: E402

from briefing.checks import check_project, run_checks  # noqa: E402
from briefing.checks.base import checked_units  # noqa: E402
from briefing.checks.glossary import load_glossary  # noqa: E402
from briefing.core.load import load_project  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    runs = parser.parse_args().runs
    data = REPO / "data"
    loaded = load_project(data, REPO)
    terms = load_glossary(data, REPO)
    units = sum(1 for sheet in loaded.project.sheets.values() for _ in checked_units(sheet))
    check_project(data, REPO)  # warm: imports, Babel's locale data
    validate = median_ms(lambda: load_project(data, REPO), runs)
    rules = median_ms(lambda: run_checks(loaded, terms), runs)
    whole = median_ms(lambda: check_project(data, REPO), runs)
    print(f"{len(loaded.project.sheets)} sheets, {units} units, {runs} runs (medians)")
    print(f"validation (load_project):      {validate:7.1f} ms")
    print(f"rules alone (run_checks):       {rules:7.1f} ms  ({rules / units:.2f} ms per unit)")
    print(f"whole check (check_project):    {whole:7.1f} ms  ({whole / validate:.2f}x validation)")


if __name__ == "__main__":
    main()
