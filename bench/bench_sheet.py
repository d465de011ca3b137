"""Start-up and one sheet's build, each against its baseline measured in the same run.

Prints medians over ``--runs`` runs of, each as a fresh process (what a user waits for):
- ``generate.py check`` on the seed, against ``python -c "import yaml, pydantic"``
  (the least any validating command must load);
- the whole build, ``generate.py build --sheet ID`` into an empty folder, against the
  WeasyPrint command line writing a PDF from the very HTML the build produced;
and, in this process, WeasyPrint alone once warm. Ratios are against the baseline of the
same run, since machines here are noisy. Peak memory is the largest resident set of any
build process (including worker processes, if any).

    .venv/bin/python bench/bench_sheet.py [--runs 5] [--sheet budapest-process]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

# Runs a Python script as __main__ and reports its peak RSS (self and children, in KiB).
_MEASURED = """
import resource, runpy, sys
script, *args = sys.argv[1:]
sys.argv = [script, *args]
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



def timed(command: list[str]) -> tuple[float, int]:
    """Wall time of a fresh process, and its peak RSS in KiB (0 if it did not say)."""
    start = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        sys.exit(f"failed: {' '.join(command)}\n{result.stderr}")
    peak = 0
    for line in result.stderr.splitlines():
        if line.startswith("PEAK_KIB "):
            peak = int(line.split()[1])
    return elapsed, peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--sheet", default="budapest-process")
    args = parser.parse_args()

    python = sys.executable
    build_times, build_peaks, alone_times, check_times, import_times = [], [], [], [], []
    with tempfile.TemporaryDirectory() as scratch:
        html = Path()
        for run in range(args.runs):
            output = Path(scratch) / f"run{run}"
            elapsed, peak = timed([python, "-c", _MEASURED, str(REPO / "generate.py"),
                                   "build", "--sheet", args.sheet, "--output", str(output)])
            build_times.append(elapsed)
            build_peaks.append(peak)
            html = output / f"{args.sheet}.html"
            # The WeasyPrint command line, same HTML, interleaved with the build.
            elapsed, _ = timed([python, "-m", "weasyprint", str(html),
                                str(Path(scratch) / f"alone{run}.pdf")])
            alone_times.append(elapsed)
            check_times.append(timed([python, str(REPO / "generate.py"), "check"])[0])
            import_times.append(timed([python, "-c", "import yaml, pydantic"])[0])

        import weasyprint

        weasyprint.HTML(filename=str(html)).write_pdf()  # warm up fonts and caches
        warm = []
        for _ in range(args.runs):
            start = time.perf_counter()
            weasyprint.HTML(filename=str(html)).write_pdf()
            warm.append(time.perf_counter() - start)

    build = statistics.median(build_times)
    alone = statistics.median(alone_times)
    check = statistics.median(check_times)
    bare = statistics.median(import_times)
    print(f"sheet {args.sheet}, {args.runs} runs, medians, each a fresh process")
    print(f"  generate.py check                           {check:6.2f} s")
    print(f"  python -c 'import yaml, pydantic'           {bare:6.2f} s")
    print(f"  ratio check / bare import                   {check / bare:6.2f}")
    print(f"  whole build (generate.py build --sheet)     {build:6.2f} s")
    print(f"  WeasyPrint command line (same HTML)         {alone:6.2f} s")
    print(f"  ratio build / WeasyPrint command line       {build / alone:6.2f}")
    print(f"  WeasyPrint alone, warm, in process          {statistics.median(warm):6.2f} s")
    print(f"  peak memory of the build                    {max(build_peaks) / 1024:6.0f} MiB")


if __name__ == "__main__":
    main()
