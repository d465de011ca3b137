"""Time, throughput and memory of the whole batch on a synthetic corpus, in one run.

Generates a corpus in a temporary folder (``corpus.py``; seeded, so the same files every
time): ``--shape adversarial`` (the default; every organisation touching most of 40
made-up countries) or ``--shape real`` (each organisation working with 3–8 of 32 real
countries, its activities naming only those; 3 description paragraphs, a contact block
with telephone, e-mail and website), ``--sheets`` sheets of ``--activities`` activities.
Every build is a fresh ``generate.py`` process (``-j`` all cores unless said). Prints, as
it goes and as a table at the end:

- full build into an empty folder, with ``-j 1`` (unless ``--no-serial``) and ``-j N``,
  median of ``--repeat`` runs, and the speed-up between the two;
- PDF pages written: the pages of every PDF under ``reports/`` (sheets, packs, compendium,
  counted with pikepdf; the parts the build keeps in hidden folders such as ``.parts/``
  are counted apart, not as pages written), and pages per second per core: pages ÷
  seconds ÷ cores used (``-j``, at most the machine's cores);
- WeasyPrint alone: ``weasyprint.HTML(filename=reports/org-001.html, base_url=reports/)
  .write_pdf()`` in this process, on the very HTML the build wrote for that sheet, median
  of ``--weasyprint-runs`` after one warm-up, taken after the full build and again at the
  end of the run (a machine whose speed drifts over minutes would make one short sample
  unfair to the long build), the sheet's HTML as the full build wrote it; its pages per
  second, and the ratio of the
  build's pages/s/core to it (issue 10 asks for ≥ 1); the same per CPU-second (the CPU
  time of every process of the build, from /proc; WeasyPrint's from ``process_time``),
  which others' load on a shared machine changes far less than wall time;
- rebuild with nothing changed, median of 3 × ``--repeat``;
- rebuild after one activity's text of org-001 was edited in both languages (rebuilds
  that sheet, the packs of the countries the activity names and the compendium), each
  followed by ``build --sheet org-001 --force`` (that sheet alone, fresh process):
  medians of 3 × ``--repeat`` and the ratio one-edit ÷ one-sheet (asked: ≤ 3); the
  rebuild's CPU time over every process, and that divided by the cores (a rebuild bound
  by its CPU time can take no less);
- watch mode (``generate.py watch`` as a process, as ``bench_watch.py`` does it in
  process: edit, wait for the new PDF): from saving the same kind of edit to the updated
  ``org-001.pdf``, and to the end of that rebuild ("… file(s) written"), median of
  ``--watch-runs``, for ``watch`` of the whole project and for ``watch --sheet org-001``;
  each against the forced one-sheet build above (asked: ≤ 0.5);
- every command runs with its bytecode cached, in a temporary folder
  (``PYTHONPYCACHEPREFIX``), as an installed package has it (where
  ``PYTHONDONTWRITEBYTECODE`` is set, each process would otherwise compile the
  package's modules anew); ``--no-bytecode-cache`` runs them with the environment as it is;
- peak memory: the largest sum of resident memory of a run's processes (main and
  workers, sampled every 0.1 s from /proc), and the largest single process, for the full
  builds and for any run (watch included).

    .venv/bin/python bench/bench_corpus.py [--shape adversarial|real] [--sheets 40]
        [--activities 15] [--countries 40] [--repeat 1] [-j N] [--no-serial]
        [--weasyprint-runs 5] [--watch-runs 3] [--no-bytecode-cache]

On two cores, the default run (40 adversarial sheets, the -j 1 build included) took 15
minutes before pieces were laid out once; ``--shape real --sheets 120 --no-serial`` takes
4 minutes, ``--shape real --sheets 200 --no-serial`` 7; most of it is the full build.
"""

from __future__ import annotations

import argparse
import io
import logging
import os
import queue
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pikepdf
from corpus import COUNTRIES, EDITED_SHEET, SHAPES, change_one_sheet, make_corpus

REPO = Path(__file__).resolve().parent.parent
PAGE_KIB = os.sysconf("SC_PAGE_SIZE") // 1024
TICKS = os.sysconf("SC_CLK_TCK")
#: How long a watch may take to start or to rebuild before the benchmark gives up.
WATCH_TIMEOUT = 900.0

__all__ = ["Run", "build", "change_one_sheet", "make_corpus"]


@dataclass(frozen=True)
class Run:
    seconds: float
    #: User and system time of the build's processes (see :class:`Sampler`).
    cpu_seconds: float
    peak_total_kib: int
    peak_single_kib: int
    output: str


@dataclass(frozen=True)
class Watched:
    """Edits saved while ``watch`` ran: seconds to the updated PDF and to the rebuild's end."""

    to_pdf: list[float]
    to_done: list[float]
    peak_total_kib: int
    peak_single_kib: int


def descendants(pid: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="utf-8") as stat:
                parent = int(stat.read().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(parent, []).append(int(entry))
    found, stack = [], [pid]
    while stack:
        current = stack.pop()
        found.append(current)
        stack.extend(children.get(current, []))
    return found


def rss_kib(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/statm", encoding="utf-8") as statm:
            return int(statm.read().split()[1]) * PAGE_KIB
    except (OSError, IndexError, ValueError):
        return 0


def cpu_ticks(pid: int) -> int | None:
    """User and system time the process itself has used, in clock ticks."""
    try:
        with open(f"/proc/{pid}/stat", encoding="utf-8") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        return int(fields[11]) + int(fields[12])
    except (OSError, IndexError, ValueError):
        return None


class Sampler(threading.Thread):
    """A process tree, every 0.1 s until it ends: peak resident memory of all its processes
    and of the largest; the CPU time each has used (last seen; the workers a build's pool
    forks are not all waited for by the build, so ``RUSAGE_CHILDREN`` misses them)."""

    def __init__(self, process: subprocess.Popen[str]) -> None:
        super().__init__(daemon=True)
        self.process = process
        self.peak_total = self.peak_single = 0
        self.ticks: dict[int, int] = {}

    def run(self) -> None:
        while self.process.poll() is None:
            tree = descendants(self.process.pid)
            sizes = [rss_kib(pid) for pid in tree]
            self.peak_total = max(self.peak_total, sum(sizes))
            self.peak_single = max([self.peak_single, *sizes])
            for pid in tree:
                ticks = cpu_ticks(pid)
                if ticks is not None:
                    self.ticks[pid] = max(ticks, self.ticks.get(pid, 0))
            time.sleep(0.1)

    @property
    def cpu_seconds(self) -> float:
        return sum(self.ticks.values()) / TICKS


#: The environment of every command run: see ``--no-bytecode-cache``.
ENVIRONMENT: dict[str, str] = dict(os.environ)


def command(root: Path, *args: str) -> list[str]:
    return [sys.executable, str(REPO / "generate.py"), "--root", str(root), *args]


def build(root: Path, *args: str) -> Run:
    """One fresh ``generate.py`` process, timed, its process tree's memory sampled."""
    before = children_cpu()
    start = time.perf_counter()
    process = subprocess.Popen(command(root, *args), env=ENVIRONMENT, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True)
    sampler = Sampler(process)
    sampler.start()
    output, _ = process.communicate()
    elapsed = time.perf_counter() - start
    sampler.join()
    if process.returncode != 0:
        sys.exit(f"failed: {' '.join(command(root, *args))}\n{output[-3000:]}")
    # Both miss some: the sampler a process's last 0.1 s, the rusage what was not waited for.
    cpu = max(sampler.cpu_seconds, children_cpu() - before)
    return Run(elapsed, cpu, sampler.peak_total, sampler.peak_single, output)


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def pdf_pages(folder: Path) -> tuple[int, int, int]:
    """The documents' PDF files under ``folder`` and their pages; and the pages of the PDFs
    in hidden folders (laid-out parts kept for reuse, such as ``.parts/``: not documents)."""
    files = pages = hidden = 0
    for path in sorted(folder.rglob("*.pdf")):
        with pikepdf.open(path) as pdf:
            count = len(pdf.pages)
        if any(part.startswith(".") for part in path.relative_to(folder).parts):
            hidden += count
        else:
            files, pages = files + 1, pages + count
    return files, pages, hidden


def weasyprint_alone(html: Path, runs: int) -> tuple[int, list[float], list[float]]:
    """Pages of ``html`` rendered by WeasyPrint in this process; the seconds and CPU seconds
    of each of ``runs`` renders."""
    import weasyprint

    logging.getLogger("weasyprint").setLevel(logging.ERROR)

    def render() -> bytes:
        pdf: bytes = weasyprint.HTML(filename=str(html), base_url=str(html.parent)).write_pdf()
        return pdf

    with pikepdf.open(io.BytesIO(render())) as pdf:  # the warm-up
        pages = len(pdf.pages)
    times, cpu = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        render()
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return pages, times, cpu


def watch_edits(root: Path, args: Sequence[str], runs: int, first_round: int) -> Watched:
    """``generate.py watch`` started; ``runs`` edits of the sheet, each timed to its PDF."""
    pdf = root / "reports" / f"{EDITED_SHEET}.pdf"
    process = subprocess.Popen(command(root, "watch", *args), stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True,
                               env={**ENVIRONMENT, "PYTHONUNBUFFERED": "1"})
    sampler = Sampler(process)
    sampler.start()
    lines: queue.Queue[str | None] = queue.Queue()

    def read() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            lines.put(line.rstrip("\n"))
        lines.put(None)

    threading.Thread(target=read, daemon=True).start()
    seen: list[str] = []

    def wait_for(*starts: str, contains: str = "\0") -> None:
        deadline = time.monotonic() + WATCH_TIMEOUT
        while time.monotonic() < deadline:
            try:
                line = lines.get(timeout=1)
            except queue.Empty:
                continue
            if line is None:
                sys.exit("watch ended early:\n" + "\n".join(seen[-30:]))
            seen.append(line)
            if line.startswith(starts) or contains in line:
                return
        sys.exit("watch gave no answer in time:\n" + "\n".join(seen[-30:]))

    to_pdf, to_done = [], []
    try:
        wait_for("watching")
        for run in range(runs):
            before = pdf.stat().st_mtime_ns
            start = time.perf_counter()
            change_one_sheet(root, first_round + run)
            while not pdf.exists() or pdf.stat().st_mtime_ns == before:
                if process.poll() is not None or time.perf_counter() - start > WATCH_TIMEOUT:
                    sys.exit("watch did not update the PDF:\n" + "\n".join(seen[-30:]))
                time.sleep(0.01)
            to_pdf.append(time.perf_counter() - start)
            wait_for("Error", contains="file(s) written")
            to_done.append(time.perf_counter() - start)
            if seen[-1].startswith("Error"):
                sys.exit("watch: " + "\n".join(seen[-30:]))
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        sampler.join()
    return Watched(to_pdf, to_done, sampler.peak_total, sampler.peak_single)


def median(runs: Sequence[Run]) -> float:
    return statistics.median(run.seconds for run in runs)


def mib(kib: int) -> str:
    return f"{kib / 1024:.0f} MiB"


def main() -> None:
    started = time.perf_counter()
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shape", choices=SHAPES, default="adversarial",
                        help="adversarial: most countries per organisation; real: 3-8")
    parser.add_argument("--sheets", type=int, default=40)
    parser.add_argument("--activities", type=int, default=15, help="per sheet")
    parser.add_argument("--countries", type=int, default=40,
                        help=f"adversarial shape only (real: {len(COUNTRIES)})")
    parser.add_argument("--repeat", type=int, default=1,
                        help="runs of each full build (rebuilds run 3 times as many)")
    parser.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--no-serial", action="store_true",
                        help="skip the -j 1 build (for large corpora)")
    parser.add_argument("--weasyprint-runs", type=int, default=5)
    parser.add_argument("--watch-runs", type=int, default=3)
    parser.add_argument("--no-bytecode-cache", action="store_true",
                        help="run every command with the environment as it is")
    args = parser.parse_args()
    cores = min(args.jobs, os.cpu_count() or 1)
    jobs = ["-j", str(args.jobs)]
    countries = len(COUNTRIES) if args.shape == "real" else args.countries
    title = (f"{args.shape} corpus: {args.sheets} sheets, {args.sheets * args.activities} "
             f"activities, {countries} countries; -j {args.jobs}, {cores} of "
             f"{os.cpu_count()} cores; repeat {args.repeat}")
    print(title, flush=True)
    with tempfile.TemporaryDirectory(prefix="briefing-bench-") as folder:
        if not args.no_bytecode_cache:  # as an installed package has it: see bench_sheet.py
            ENVIRONMENT.pop("PYTHONDONTWRITEBYTECODE", None)
            ENVIRONMENT["PYTHONPYCACHEPREFIX"] = str(Path(folder) / "bytecode")
        root = Path(folder) / "project"
        reports = root / "reports"
        make_corpus(root, args.sheets, args.activities, args.countries, shape=args.shape)
        full: dict[int, list[Run]] = {args.jobs: []} if args.no_serial else {1: [], args.jobs: []}
        for _ in range(args.repeat):
            for workers in full:
                shutil.rmtree(reports, ignore_errors=True)
                full[workers].append(build(root, "-j", str(workers)))
                print(f"  full build -j {workers}: {full[workers][-1].seconds:.1f} s "
                      f"(CPU {full[workers][-1].cpu_seconds:.1f} s)", flush=True)
        last = full[args.jobs][-1].output.splitlines()[-1]
        files, pages, hidden = pdf_pages(reports)
        print(f"  {files} PDF files, {pages} pages, and {hidden} pages of parts in hidden "
              f"folders ({last})", flush=True)
        # Measured twice, after the full build and at the end of the run: a machine whose
        # speed drifts for minutes would make one short sample beside a long build unfair.
        # The sheet as built now (its copy, beside it for the fonts' relative URLs): the
        # edits below change the sheet's own HTML.
        alone_html = reports / f".bench-{EDITED_SHEET}.html"
        shutil.copyfile(reports / f"{EDITED_SHEET}.html", alone_html)
        sheet_pages, alone_times, alone_cpus = weasyprint_alone(alone_html,
                                                                args.weasyprint_runs)
        print(f"  WeasyPrint alone, {EDITED_SHEET} ({sheet_pages} pages): "
              f"{statistics.median(alone_times):.2f} s (CPU {statistics.median(alone_cpus):.2f} s)",
              flush=True)
        unchanged = [build(root, *jobs) for _ in range(3 * args.repeat)]
        print(f"  nothing changed: {median(unchanged):.2f} s", flush=True)
        one_changed, one_sheet = [], []
        for round_number in range(3 * args.repeat):
            change_one_sheet(root, round_number)
            one_changed.append(build(root, *jobs))
            one_sheet.append(build(root, "build", "--sheet", EDITED_SHEET, "--force", *jobs))
            print(f"  one activity edited: {one_changed[-1].seconds:.1f} s; forced build of "
                  f"{EDITED_SHEET}: {one_sheet[-1].seconds:.2f} s", flush=True)
        rebuilt = one_changed[-1].output.splitlines()[-1]
        watched: dict[str, Watched] = {}
        for label, extra in (("watch", ()), (f"watch --sheet {EDITED_SHEET}",
                                             ("--sheet", EDITED_SHEET))):
            watched[label] = watch_edits(root, extra, args.watch_runs, 100 * (len(watched) + 1))
            print(f"  {label}: edit → PDF "
                  f"{', '.join(f'{t:.2f}' for t in watched[label].to_pdf)} s; → rebuilt "
                  f"{', '.join(f'{t:.2f}' for t in watched[label].to_done)} s", flush=True)

        again = weasyprint_alone(alone_html, args.weasyprint_runs)
        alone_times += again[1]
        alone_cpus += again[2]
        print(f"  WeasyPrint alone again: {statistics.median(again[1]):.2f} s (CPU "
              f"{statistics.median(again[2]):.2f} s)", flush=True)

    alone, alone_cpu = statistics.median(alone_times), statistics.median(alone_cpus)
    all_runs = [run for runs in full.values() for run in runs] + unchanged + one_changed + one_sheet
    alone_rate = sheet_pages / alone
    edit, sheet = median(one_changed), median(one_sheet)
    edit_cpu = statistics.median(run.cpu_seconds for run in one_changed)
    rows: list[tuple[str, str, str]] = []
    for workers, runs in full.items():
        used = min(workers, cores)
        rate = pages / median(runs) / used
        rows += [(f"full build -j {workers}", f"{median(runs):.1f} s", ""),
                 (f"  pages/s/core (÷ {used})", f"{rate:.2f}", "")]
    if 1 in full:
        rows.append((f"  speed-up -j 1 → -j {args.jobs}",
                     f"{median(full[1]) / median(full[args.jobs]):.2f}x", ""))
    build_rate = pages / median(full[args.jobs]) / cores
    build_cpu = statistics.median(run.cpu_seconds for run in full[args.jobs])
    rows += [
        ("PDF pages written", f"{pages}", f"{files} files (+ {hidden} pages of parts)"),
        (f"WeasyPrint alone, {EDITED_SHEET} ({sheet_pages} p.)", f"{alone:.2f} s",
         f"{alone_rate:.1f} pages/s"),
        ("ratio build pages/s/core ÷ WeasyPrint", f"{build_rate / alone_rate:.2f}", "asked ≥ 1"),
        (f"  the same in CPU time: build -j {args.jobs}", f"{build_cpu:.1f} s",
         f"{pages / build_cpu:.2f} pages/CPU-s"),
        ("  WeasyPrint alone", f"{alone_cpu:.2f} s", f"{sheet_pages / alone_cpu:.1f} pages/CPU-s"),
        ("  ratio build ÷ WeasyPrint, per CPU-s",
         f"{pages / build_cpu / (sheet_pages / alone_cpu):.2f}", "less noisy than wall time"),
        ("rebuild, nothing changed", f"{median(unchanged):.2f} s", ""),
        ("rebuild, one activity edited", f"{edit:.2f} s", rebuilt),
        ("  its CPU time, every process", f"{edit_cpu:.2f} s",
         f"÷ {cores} cores: {edit_cpu / cores:.2f} s, the least wall time it allows"),
        (f"build --sheet {EDITED_SHEET} --force", f"{sheet:.2f} s", ""),
        ("ratio one-edit ÷ one-sheet", f"{edit / sheet:.2f}", "asked ≤ 3"),
    ]
    for label, result in watched.items():
        to_pdf = statistics.median(result.to_pdf)
        rows += [(f"{label}: edit → PDF", f"{to_pdf:.2f} s",
                  f"rebuilt {statistics.median(result.to_done):.2f} s"),
                 ("  ratio ÷ forced one-sheet build", f"{to_pdf / sheet:.2f}", "asked ≤ 0.5")]
    for workers, runs in full.items():
        rows.append((f"peak memory, full build -j {workers}",
                     mib(max(r.peak_total_kib for r in runs)),
                     f"largest process {mib(max(r.peak_single_kib for r in runs))}"))
    rows.append(("peak memory, any run",
                 mib(max([r.peak_total_kib for r in all_runs]
                         + [w.peak_total_kib for w in watched.values()])),
                 "largest process " + mib(max([r.peak_single_kib for r in all_runs]
                                              + [w.peak_single_kib for w in watched.values()]))))
    print(f"\n{title}; medians")
    width = max(len(row[0]) for row in rows)
    for name, value, note in rows:
        print(f"  {name:<{width}}  {value:>9}  {note}".rstrip())
    print(f"bench run: {(time.perf_counter() - started) / 60:.1f} min")


if __name__ == "__main__":
    main()
