"""A rebuild with nothing changed, and with one activity edited, at several corpus sizes.

For each ``--sheets`` size, generates the synthetic corpus of ``bench_corpus.py`` in a
temporary folder, builds it once (``-j`` all cores), then prints medians over
``--repeat`` runs, each a fresh ``generate.py`` process:

- the no-op rebuild (everything up to date; the read cache of ``reports/.cache/`` in use);
- the same with the cache removed before each run (what a rebuild cost before the cache:
  every file parsed and validated, every sheet checked);
- the rebuild after one activity's text was edited (that sheet's documents, the packs of
  the countries it names and the compendium are rebuilt), against a forced build of that
  one sheet (``build --sheet org-001 --force``), and the ratio of the two.

    .venv/bin/python bench/bench_noop.py [--sheets 20 200] [--activities 15]
        [--countries 40] [--repeat 3] [-j N]

The full builds take most of the time (at the corpus's default shape about 6 minutes
for 20 sheets on two cores); ``--activities 4 --countries 10`` keeps 200 sheets short.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_corpus import build, change_one_sheet, make_corpus

from briefing.build.cache import CACHE_DIR


def median_of(times: list[float]) -> float:
    return statistics.median(times)


def measure(sheets: int, args: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory(prefix="briefing-noop-") as folder:
        root = Path(folder) / "project"
        make_corpus(root, sheets, args.activities, args.countries)
        jobs = ["-j", str(args.jobs)]
        full = build(root, *jobs)
        print(f"{sheets} sheets ({sheets * args.activities} activities, {args.countries} "
              f"countries): full build {full.seconds:.1f} s "
              f"({full.output.splitlines()[-1]})", flush=True)
        noop = [build(root, *jobs) for _ in range(args.repeat)]
        cold = []
        for _ in range(args.repeat):
            shutil.rmtree(root / "reports" / CACHE_DIR, ignore_errors=True)
            cold.append(build(root, *jobs))
        edited = []
        for round_number in range(args.repeat):
            change_one_sheet(root, round_number)
            edited.append(build(root, *jobs))
        forced = [build(root, "build", "--sheet", "org-001", "--force", *jobs)
                  for _ in range(args.repeat)]
        one = median_of([run.seconds for run in edited])
        alone = median_of([run.seconds for run in forced])
        warm = median_of([run.seconds for run in noop])
        print(f"  no-op rebuild:                  median {warm:6.2f} s"
              f"  ({noop[-1].output.splitlines()[-1]})")
        print(f"  no-op rebuild, cache removed:   median "
              f"{median_of([run.seconds for run in cold]):6.2f} s")
        print(f"  one activity edited:            median {one:6.2f} s"
              f"  ({edited[-1].output.splitlines()[-1]})")
        print(f"  forced build of that one sheet: median {alone:6.2f} s"
              f"  → ratio {one / alone:.2f}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sheets", type=int, nargs="+", default=[20, 200])
    parser.add_argument("--activities", type=int, default=15, help="per sheet")
    parser.add_argument("--countries", type=int, default=40)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    print(f"{args.jobs} cores; medians of {args.repeat} runs, each a fresh process", flush=True)
    for sheets in args.sheets:
        measure(sheets, args)


if __name__ == "__main__":
    main()
