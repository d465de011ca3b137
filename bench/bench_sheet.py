"""Start-up and one sheet's build, each against its baseline measured in the same run.

Prints, side by side, medians over ``--runs`` rounds of fresh processes (what a user waits
for), the commands of a round taking turns so that a busy machine slows all of them alike:

- ``generate.py check`` on the seed, against ``python -c "import yaml, pydantic"`` (the
  least any validating command must load; and beside it, that import with the data's
  pydantic models built, the least a check that validates must do first): cold
  (``reports/.cache`` removed before each run, so every sheet is read, validated and
  checked) and warm (nothing changed since the last check: its findings are read from
  the cache);
- the whole build, ``generate.py build --sheet ID`` into an empty folder (so with no cache
  either), against the WeasyPrint command line writing a PDF from the very HTML the build
  produced;

and, in this process, WeasyPrint alone once warm. Ratios are against the baseline of the
same run, since machines here are noisy; beside the wall time, the CPU time (user and
system, of every process of the command), which a busy machine disturbs less. Peak memory
is the largest resident set of any build process (the renderer process, workers).

``check`` runs in a temporary copy of the project (data/ and templates/, fonts linked), so
that the project's own reports/ is neither read nor changed. Every command runs with its
bytecode cached, in a temporary folder (``PYTHONPYCACHEPREFIX``), as an installed package
has it; ``--no-bytecode-cache`` runs them with the environment as it is (where
``PYTHONDONTWRITEBYTECODE`` is set, the project's own modules are then compiled anew in
every process, and only the libraries' are cached).

    .venv/bin/python bench/bench_sheet.py [--runs 5] [--sheet budapest-process]
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Mapping
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

# Runs a Python script as __main__, as ``python SCRIPT`` would (its folder first on the
# path), and reports its peak RSS (self and children, in KiB).
_MEASURED = """
import os, resource, runpy, sys
script, *args = sys.argv[1:]
sys.argv = [script, *args]
sys.path[0] = os.path.dirname(os.path.abspath(script))
try:
    runpy.run_path(script, run_name="__main__")
except SystemExit as exit_:
    code = exit_.code
else:
    code = 0
peak = max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
           resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
print(f"PEAK_KIB {peak}", file=sys.stderr)
sys.exit(code)
"""

#: The least a check with no cache loads: the bare import, and pydantic's models of the
#: data built (``briefing.core.model``), before it reads a file.
MODEL_LOADED = "import yaml, pydantic, briefing.core.model"
MODEL_ROW = "import yaml, pydantic + the model built"
#: What is within its target, the ratio at most this (issue 8, item 5).
TARGETS = {"check, warm": 2.0, "build": 1.15}


def timed(command: list[str], env: Mapping[str, str], *, ok: tuple[int, ...] = (0,)
          ) -> tuple[float, float, int]:
    """Wall time of a fresh process, its CPU time (user and system, its own and that of the
    processes it waited for), and its peak RSS in KiB (0 if it did not say)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True, check=False, env=env)
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode not in ok:
        sys.exit(f"failed: {' '.join(command)}\n{result.stderr}")
    peak = 0
    for line in result.stderr.splitlines():
        if line.startswith("PEAK_KIB "):
            peak = int(line.split()[1])
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return elapsed, cpu, peak


def project_copy(folder: Path) -> Path:
    """data/ and templates/ copied (fonts linked), with a reports/ folder to keep a cache."""
    for name in ("data", "templates"):
        shutil.copytree(REPO / name, folder / name)
    (folder / "fonts").symlink_to(REPO / "fonts", target_is_directory=True)
    (folder / "reports").mkdir()
    return folder


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--sheet", default="budapest-process")
    parser.add_argument("--no-bytecode-cache", action="store_true",
                        help="run every command with the environment as it is")
    args = parser.parse_args()

    python = sys.executable
    generate = str(REPO / "generate.py")
    times: dict[str, list[tuple[float, float]]] = {}
    peaks: list[int] = []
    with tempfile.TemporaryDirectory() as scratch_name:
        scratch = Path(scratch_name)
        env = dict(os.environ)
        if not args.no_bytecode_cache:
            env.pop("PYTHONDONTWRITEBYTECODE", None)
            env["PYTHONPYCACHEPREFIX"] = str(scratch / "bytecode")
        project = project_copy(scratch / "project")
        cache = project / "reports" / ".cache"
        check = [python, generate, "--root", str(project), "check"]
        # A check exits 1 on errors: the seed has none, but a bench of other data may.
        ok = (0, 1)
        html = scratch / "run-1" / f"{args.sheet}.html"

        def build(run: int) -> tuple[float, float]:
            output = scratch / f"run{run}"
            elapsed, cpu, peak = timed([python, "-c", _MEASURED, generate, "build", "--sheet",
                                        args.sheet, "--output", str(output)], env)
            peaks.append(peak)
            return elapsed, cpu

        def weasyprint_alone(run: int) -> tuple[float, float]:
            return timed([python, "-m", "weasyprint", str(html),
                          str(scratch / f"alone{run}.pdf")], env)[:2]

        def cold_check(run: int) -> tuple[float, float]:
            shutil.rmtree(cache, ignore_errors=True)
            return timed(check, env, ok=ok)[:2]

        def warm_check(run: int) -> tuple[float, float]:
            timed(check, env, ok=ok)  # keeps what it found, should the last run have not
            return timed(check, env, ok=ok)[:2]

        def bare_import(run: int) -> tuple[float, float]:
            return timed([python, "-c", "import yaml, pydantic"], env)[:2]

        def model_import(run: int) -> tuple[float, float]:
            return timed([python, "-c", MODEL_LOADED], env)[:2]

        round_: dict[str, Callable[[int], tuple[float, float]]] = {
            "build": build, "WeasyPrint command line": weasyprint_alone,
            "check, cold": cold_check, "check, warm": warm_check,
            "import yaml, pydantic": bare_import, MODEL_ROW: model_import,
        }
        for run in range(-1, args.runs):  # round -1 warms up caches (bytecode, fonts, disk)
            for name, measure in round_.items():
                figures = measure(run)
                if run >= 0:
                    times.setdefault(name, []).append(figures)
        peaks = peaks[1:]

        import weasyprint

        weasyprint.HTML(filename=str(html)).write_pdf()  # warm up fonts and caches
        warm = []
        for _ in range(args.runs):
            start = time.perf_counter()
            weasyprint.HTML(filename=str(html)).write_pdf()
            warm.append(time.perf_counter() - start)

    wall = {name: statistics.median(w for w, _ in values) for name, values in times.items()}
    cpu = {name: statistics.median(c for _, c in values) for name, values in times.items()}
    bytecode = "as the environment has it" if args.no_bytecode_cache else \
        "bytecode cached in a temporary folder"
    print(f"sheet {args.sheet}, {args.runs} runs, medians, each a fresh process ({bytecode})")
    print(f"  {'':50s} {'wall':>7s} {'baseline':>8s} {'ratio':>6s} {'target':>9s}"
          f"  {'CPU':>6s} {'ratio':>6s}")
    rows = [
        ("check, cold (no cache: reads, validates, checks)", "check, cold",
         "import yaml, pydantic"),
        ("check, warm (nothing changed: from the cache)", "check, warm",
         "import yaml, pydantic"),
        (f"build --sheet {args.sheet} (empty folder)", "build", "WeasyPrint command line"),
    ]
    for label, name, baseline in rows:
        ratio = wall[name] / wall[baseline]
        target = TARGETS.get(name)
        verdict = "" if target is None else f"≤ {target:g} {'ok' if ratio <= target else 'no'}"
        print(f"  {label:50s} {wall[name]:5.2f} s {wall[baseline]:6.2f} s {ratio:5.2f}x "
              f"{verdict:>9s}  {cpu[name]:4.2f} s {cpu[name] / cpu[baseline]:5.2f}x")
    print("  baselines, in the same rounds: python -c 'import yaml, pydantic' for check; the")
    print("  WeasyPrint command line (python -m weasyprint) on the HTML the build wrote")
    for name in ("import yaml, pydantic", "WeasyPrint command line"):
        print(f"  {name:50s} {wall[name]:5.2f} s {'':19s}  {cpu[name]:4.2f} s")
    floor = wall[MODEL_ROW] / wall["import yaml, pydantic"]
    print(f"  {MODEL_ROW:50s} {wall[MODEL_ROW]:5.2f} s {'':8s}{floor:5.2f}x      "
          f"{cpu[MODEL_ROW]:4.2f} s")
    print("  (what a check with no cache loads before it reads a file: pydantic's models")
    print("  built; ratio against the bare import)")
    print(f"  {'WeasyPrint alone, warm, in process':50s} {statistics.median(warm):5.2f} s")
    print(f"  {'peak memory of the build (any of its processes)':50s} "
          f"{max(peaks) / 1024:5.0f} MiB")

if __name__ == "__main__":
    main()
