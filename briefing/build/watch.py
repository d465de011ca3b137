"""Watch mode: build, then rebuild what each save changes, with the renderer kept warm.

A save under ``data/``, ``templates/`` or ``fonts/`` runs the build again: the
manifest tells which documents' inputs changed, so only those are rendered, by
worker processes started once for the whole watch (or this process, with ``-j 1``),
in which WeasyPrint, the fonts and the templates are already loaded. With one worker
and a second core, a sheet's pages are laid out by a process forked from this one,
warm, while this one writes the sheet's DOCX (:mod:`.early`). The build's own checks
run first and print their findings; an error in the data is printed and the watch
goes on, the previous reports untouched (a failed build writes nothing). Ctrl-C, or
``stop`` being set, ends it.
"""

from __future__ import annotations

import importlib
import threading
import time
from collections.abc import Callable
from concurrent.futures import Executor
from pathlib import Path

from ..core.load import display_name
from ..errors import BriefingError
from .early import lays_out_beside_watch, start_layout_process, stop_layout_process
from .options import BuildOptions, BuildReport, LineProgress, wanted_targets
from .pipeline import build
from .pool import stop_pool, warm_pool, warm_this_process

Tell = Callable[[str], None]
#: Saves closer together than this (milliseconds) are one change: an editor writes a
#: file in several steps, and a person may save several files at once.
DEBOUNCE_MS = 300
#: A change is taken once no other came for this long (milliseconds): watchfiles' 50 put
#: 0.1 s between a save and its build; an editor's save is its writes of a few
#: milliseconds, and a later one makes one more build.
STEP_MS = 20
#: What a rebuild of an edited sheet loads that a build with nothing to do does not.
REBUILD_MODULES = ("briefing.core.load", "briefing.checks.runner", "briefing.build.unfinished")
#: What assembles the compendium here while workers lay out the rest (WeasyPrint's modules,
#: pikepdf): else imported by the first rebuild, beside its sheet's job.
COMPENDIUM_MODULE = "briefing.paged.compendium"


def watch(options: BuildOptions, tell: Tell, *, stop: threading.Event | None = None,
          debounce_ms: int = DEBOUNCE_MS) -> None:
    """Build, then wait for saves and rebuild after each, until ``stop`` or Ctrl-C."""
    import watchfiles

    paths = options.paths
    folders = [folder for folder in (paths.data, paths.templates, paths.fonts)
               if folder.is_dir()]
    executor = warm_pool(options.worker_count, paths.templates)
    try:
        run(options, tell, executor)
        # What a rebuild needs, loaded before the first save, not after it: the checks
        # and the model here, and the renderer too if the jobs run here.
        assembles = executor is not None and "compendium" in wanted_targets(options)
        for name in (*REBUILD_MODULES, *([COMPENDIUM_MODULE] if assembles else [])):
            importlib.import_module(name)
        if executor is None:
            warm_this_process(paths.templates)
            if lays_out_beside_watch(options):
                start_layout_process()  # forked warm: WeasyPrint, fonts, style sheets
        tell(f"watching {', '.join(display_name(f, paths.root) + '/' for f in folders)} "
             "(Ctrl-C stops)")
        for changes in watchfiles.watch(*folders, stop_event=stop, debounce=debounce_ms,
                                        step=STEP_MS, raise_interrupt=False,
                                        watch_filter=_saved):
            names = sorted({display_name(Path(path), paths.root) for _, path in changes})
            tell(f"changed {', '.join(names)}")
            run(options, tell, executor)
    finally:
        stop_layout_process()
        if executor is not None:
            stop_pool(executor)
    tell("stopped watching")


def run(options: BuildOptions, tell: Tell, executor: Executor | None = None) -> BuildReport | None:
    """One build whose every line goes to ``tell``, its documents rendered by ``executor``'s
    warm workers (or in this process); an error is told, not raised."""
    start = time.perf_counter()
    try:
        report = build(options, progress=LineProgress(tell), warn=tell, executor=executor)
    except BriefingError as error:
        for line in error.lines():
            tell(line)
        return None
    for path in report.removed:
        tell(f"removed {display_name(path, options.paths.root)} (its document is no longer made)")
    tell(f"{len(report.written)} file(s) written, {len(report.unchanged)} unchanged, "
         f"{len(report.up_to_date)} up to date in {time.perf_counter() - start:.1f} s")
    return report


def _saved(change: object, path: str) -> bool:
    """A file a person saved, not one the tool or an editor writes on the side."""
    name = Path(path).name
    return not (name.startswith(".") or name.endswith((".tmp", "~", ".swp", ".swx")))
