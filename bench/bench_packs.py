"""Pack build time and pages, before and after, side by side, measured in the same run.

Builds every country's pack (``generate.py packs --force``, each build a fresh process,
``SOURCE_DATE_EPOCH`` fixed) for three data sets:

- ``seed``: the real data, ``data/``;
- ``seed+sample``: the same with the fictional sample of ``examples/data/sheets/`` added
  (packs drawing on two organisations);
- ``corpus``: the synthetic corpus of ``bench_corpus.py`` (40 sheets by default);

once with this working tree's code and templates ("after"), once with an earlier
commit's ("before": by default the commit before issue 11's pack work), checked out in
a temporary git worktree that is removed at the end. Each version builds the same data
(the seed set includes the sample only where its name says so), the two versions taking
turns run after run. Prints, per data set and version, the median build time, the number
of packs, their pages in all and the pages of Kyrgyzstan's pack (of the largest pack for
the corpus), then the ratio after/before. The machines here are shared and noisy: take
``--runs 3`` or more before reading much into a ratio.

    .venv/bin/python bench/bench_packs.py [--before REV] [--runs 1] [--sheets 40] [-j N]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pikepdf
from bench_corpus import make_corpus

REPO = Path(__file__).resolve().parent.parent
#: The last commit before issue 11's work on the packs (the sample still in data/).
BEFORE = "78b5c63dff0b60488537ffeea58b8c57137b142f"
EPOCH = "1772323200"  # 1 March 2026


@dataclass(frozen=True)
class Measure:
    seconds: float
    packs: int
    pages: int
    #: Pages of the pack that is looked at: Kyrgyzstan's, or the largest.
    one_pack: int


@contextmanager
def worktree(revision: str, folder: Path) -> Iterator[Path]:
    """``revision`` checked out in ``folder``; the worktree is removed afterwards."""
    subprocess.run(["git", "-C", str(REPO), "worktree", "add", "--detach", "--quiet",
                    str(folder), revision], check=True)
    try:
        yield folder
    finally:
        subprocess.run(["git", "-C", str(REPO), "worktree", "remove", "--force", str(folder)],
                       check=False)
        subprocess.run(["git", "-C", str(REPO), "worktree", "prune"], check=False)


def project(code: Path, data: Path, folder: Path) -> Path:
    """A project folder with ``code``'s templates and fonts and the given data."""
    folder.mkdir(parents=True)
    shutil.copytree(code / "templates", folder / "templates")
    (folder / "fonts").symlink_to(code / "fonts", target_is_directory=True)
    shutil.copytree(data, folder / "data")
    return folder


def build(code: Path, root: Path, output: Path, jobs: int) -> Measure:
    """One build of every pack with ``code``'s generate.py, in a fresh process that imports
    ``code``'s package (PYTHONPATH), not the installed one."""
    shutil.rmtree(output, ignore_errors=True)
    command = [sys.executable, str(code / "generate.py"), "--root", str(root), "packs",
               "--force", "-j", str(jobs), "--output", str(output)]
    environment = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH, "PYTHONPATH": str(code)}
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, env=environment,
                          cwd=code, check=False)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"failed: {' '.join(command)}\n{done.stdout[-2000:]}{done.stderr[-2000:]}")
    pages = {}
    for pdf in sorted((output / "packs").glob("*.pdf")):
        with pikepdf.open(pdf) as document:
            pages[pdf.stem] = len(document.pages)
    one = pages.get("kg", max(pages.values(), default=0))
    return Measure(seconds, len(pages), sum(pages.values()), one)


def check_imports(code: Path) -> None:
    """The build of ``code`` must run ``code``'s package, not another copy."""
    probe = subprocess.run([sys.executable, "-c", "import briefing; print(briefing.__file__)"],
                           capture_output=True, text=True, check=True, cwd=code,
                           env={**os.environ, "PYTHONPATH": str(code)})
    found = Path(probe.stdout.strip()).resolve()
    if not found.is_relative_to(code.resolve()):
        sys.exit(f"{code}: the package imported is {found}, not this version's")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--before", default=BEFORE,
                        help="the earlier commit (default: %(default)s)")
    parser.add_argument("--runs", type=int, default=1, help="builds per version and data set")
    parser.add_argument("--sheets", type=int, default=40, help="sheets of the synthetic corpus")
    parser.add_argument("--activities", type=int, default=15, help="per corpus sheet")
    parser.add_argument("--countries", type=int, default=40, help="of the corpus")
    parser.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--no-corpus", action="store_true", help="only the seed data sets")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="briefing-bench-packs-") as folder:
        work = Path(folder)
        seed = REPO / "data"
        with_sample = work / "data-with-sample"
        shutil.copytree(seed, with_sample)
        for sheet in sorted((REPO / "examples" / "data" / "sheets").glob("*.yaml")):
            shutil.copy2(sheet, with_sample / "sheets" / sheet.name)
        sets = {"seed": seed, "seed+sample": with_sample}
        if not args.no_corpus:
            corpus = work / "corpus"
            make_corpus(corpus, args.sheets, args.activities, args.countries)
            sets[f"corpus ({args.sheets} sheets)"] = corpus / "data"
        with worktree(args.before, work / "before") as before:
            versions = {"before": before, "after": REPO}
            for code in versions.values():
                check_imports(code)
            print(f"before: {args.before[:12]}  after: this working tree  "
                  f"(-j {args.jobs}, {args.runs} run(s) each, median)", flush=True)
            results: dict[tuple[str, str], list[Measure]] = {}
            for name, data in sets.items():
                roots = {version: project(code, data, work / "projects" / version /
                                          name.split()[0])
                         for version, code in versions.items()}
                # Before and after take turns, so that a busy spell of the machine falls
                # on both rather than on one.
                for run in range(args.runs):
                    for version, code in versions.items():
                        measured = build(code, roots[version], work / "out" / version,
                                         args.jobs)
                        results.setdefault((name, version), []).append(measured)
                        print(f"  {name:<22} {version:<6} run {run + 1}: "
                              f"{measured.seconds:6.1f} s", flush=True)
    print()
    print(f"{'data':<22} {'':<6} {'time':>8} {'packs':>6} {'pages':>6} {'KG*':>5}")
    for name in sets:
        medians = {}
        for version in ("before", "after"):
            runs = results[name, version]
            medians[version] = statistics.median(r.seconds for r in runs)
            last = runs[-1]
            print(f"{name:<22} {version:<6} {medians[version]:7.1f}s {last.packs:>6} "
                  f"{last.pages:>6} {last.one_pack:>5}")
        ratio = medians["after"] / medians["before"] if medians["before"] else float("nan")
        print(f"{'':<22} {'ratio':<6} {ratio:7.2f}x")
    print("* pages of Kyrgyzstan's pack (seed data), of the largest pack (corpus)")


if __name__ == "__main__":
    main()
