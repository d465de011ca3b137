"""Watch mode: from a save of a sheet's YAML to its updated PDF, against a fresh build.

In a copy of the project, ``watch`` runs (in a thread, one sheet's documents); each of
``--runs`` edits changes one word of the sheet and the time until the new PDF is in
place is taken. The baseline, in the same run: ``generate.py build --sheet ID --force``
as a fresh process (what one waits for without watch mode). Prints medians and the ratio
(the target is at most 0.5).

    .venv/bin/python bench/bench_watch.py [--runs 5] [--sheet budapest-process]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from briefing.build.options import BuildOptions, ProjectPaths  # noqa: E402
from briefing.build.watch import watch  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--sheet", default="budapest-process")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch) / "project"
        root.mkdir()
        for name in ("data", "templates", "fonts"):
            shutil.copytree(REPO / name, root / name)
        sheet_file = root / "data" / "sheets" / f"{args.sheet}.yaml"
        pdf = root / "reports" / f"{args.sheet}.pdf"
        fresh = []
        for _ in range(args.runs):
            start = time.perf_counter()
            subprocess.run([sys.executable, str(REPO / "generate.py"), "--root", str(root),
                            "build", "--sheet", args.sheet, "--force"], check=True,
                           capture_output=True)
            fresh.append(time.perf_counter() - start)
        lines: list[str] = []
        stop = threading.Event()
        options = BuildOptions(ProjectPaths(root), root / "reports", sheets=[args.sheet],
                               workers=1)
        thread = threading.Thread(target=watch, args=(options, lines.append),
                                  kwargs={"stop": stop, "debounce_ms": 50}, daemon=True)
        thread.start()
        while not any(line.startswith("watching") for line in lines):
            time.sleep(0.02)
        saved_to_pdf = []
        text = sheet_file.read_text(encoding="utf-8")
        for run in range(args.runs):
            before = pdf.stat().st_mtime_ns
            start = time.perf_counter()
            sheet_file.write_text(text.replace("Secretariat", f"Secretariat {run}", 1),
                                  encoding="utf-8")
            while not pdf.exists() or pdf.stat().st_mtime_ns == before:
                time.sleep(0.01)
            saved_to_pdf.append(time.perf_counter() - start)
        stop.set()
        thread.join()
    watched, baseline = statistics.median(saved_to_pdf), statistics.median(fresh)
    print(f"sheet {args.sheet}, {args.runs} runs, medians")
    print(f"  fresh process: build --sheet --force       {baseline:6.2f} s")
    print(f"  watch: save → updated PDF                   {watched:6.2f} s")
    print(f"  ratio watch / fresh build                   {watched / baseline:6.2f}")


if __name__ == "__main__":
    main()
