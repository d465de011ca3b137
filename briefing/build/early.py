"""Processes started as a build begins, when it will likely lay documents out: judged
from the files' modification times, before the data is read.

- The workers' fork server, for a build of several documents. It imports what every
  worker needs (WeasyPrint's modules above all, a second or more) and no job can start
  before it is done. Started here, it does so beside this process's own imports, reading
  and checking, instead of after the data was read (:func:`briefing.build.pipeline.build`
  starts it then, if not here: 0.3 s later).
- A layout process, for a one-sheet build, whose one job runs in this process: it
  imports WeasyPrint alone meanwhile, then lays out the sheet's pages while this process
  writes its DOCX (:func:`layout`). On two cores, the build then waits for WeasyPrint's
  import and the data's reading at once, not one after the other. Watch mode forks one
  too, warm.

A layout process starts on the pages of a sheet just edited as soon as the data is read
(:func:`foresee`), while this process checks the data and plans the build.

The times are only a hint as to *when* to start them: what is built is decided by
content, as ever. A wrong guess costs a process started for nothing (beside a build that
lays nothing out), or started when the data has been read, as without this module.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any

from ..core.load import LoadedProject
from ..paged.layout import LayOut, Layout, here, lay_out
from .options import MANIFEST_FILE, BuildOptions, wanted_targets
from .processes import quiet_children, watch_build


@contextlib.contextmanager
def started_early(options: BuildOptions) -> Iterator[None]:
    """Start what the build will likely need (:func:`start_early`); end the layout
    process, if started, as the build ends."""
    start_early(options)
    try:
        yield
    finally:
        stop_layout_process()


def start_early(options: BuildOptions) -> None:
    """If inputs changed since the last build here (or no build yet): start the fork
    server if workers will lay documents out (:func:`in_workers`), or the layout process
    if the build's one job will (:func:`lays_out_apart`)."""
    if in_workers(options):
        if likely_changed(options):
            from .pool import start_fork_server

            start_fork_server(options.paths.templates)
    elif lays_out_apart(options) and likely_changed(options):
        start_layout_process()


def lays_out_beside_watch(options: BuildOptions) -> bool:
    """Whether watch mode, whose documents are laid out in its own process (one worker),
    would have its sheets' pages laid out by a layout process forked from it, warm, while it
    writes their DOCX: with a second core, and nothing against a fork (:func:`_alone`)."""
    return options.worker_count == 1 and (os.cpu_count() or 1) > 1 and _alone()


def lays_out_apart(options: BuildOptions) -> bool:
    """Whether a layout process would shorten the build, and can be forked: one sheet's
    documents (one job, run in this process), a second core for it, no WeasyPrint loaded
    here yet (where it is, as in a test, laying out here is quicker than starting a
    process), and nothing against a fork (:func:`_alone`)."""
    return _one_sheet(options) and options.worker_count > 1 \
        and "weasyprint" not in sys.modules and _alone()


def _alone() -> bool:
    """Whether this process may fork its layout process: no other thread runs (whose locks
    a fork would copy, held), and this is the main one (which alone sets the signal
    handlers that keep Ctrl-C from the layout process)."""
    return threading.current_thread() is threading.main_thread() \
        and threading.active_count() == 1


def in_workers(options: BuildOptions) -> bool:
    """Whether the documents of a build with ``options`` may be laid out in worker
    processes: more than one worker, and more than one document (one sheet's documents are
    one job, laid out in the build's own process)."""
    return options.worker_count > 1 and not _one_sheet(options)


def _one_sheet(options: BuildOptions) -> bool:
    """Whether the build makes one sheet's documents: one job."""
    return options.sheets is not None and len(options.sheets) == 1


def likely_changed(options: BuildOptions) -> bool:
    """Whether a data file, template or font was modified after the output folder's
    manifest was last written, or the build is forced, or there is no manifest."""
    if options.force:
        return True
    try:
        built = os.stat(options.output_dir / MANIFEST_FILE).st_mtime_ns
    except OSError:
        return True
    paths = options.paths
    return any(modified > built for modified in _modified(
        [paths.data, paths.templates, paths.fonts]))


def _modified(folders: list[Path]) -> Iterator[int]:
    """The modification time of each folder and of everything in it."""
    for folder in folders:
        for directory, _, files in os.walk(folder):
            yield os.stat(directory).st_mtime_ns
            for name in files:
                try:
                    yield os.stat(os.path.join(directory, name)).st_mtime_ns
                except OSError:  # gone since listed, or a dangling link: the build will say
                    continue


class LayoutProcess:
    """A process of its own that lays out pages for this one (a :data:`LayOut`).

    Forked from this one (as a build begins: a copy of a process that has loaded little
    yet, and runs no other thread; or from watch mode's, warm), it imports WeasyPrint and
    what :func:`~briefing.paged.layout.lay_out` needs, nothing else, at once. It ignores
    Ctrl-C, writes nothing, and ends with this process however it ends. Should it die,
    what it was to lay out is laid out here instead.
    """

    def __init__(self) -> None:
        self._pool = ProcessPoolExecutor(
            max_workers=1, mp_context=multiprocessing.get_context("fork"),
            # Its priority not lowered, as workers' is: the build waits for its pages last.
            initializer=watch_build, initargs=(os.getpid(), 0))
        with quiet_children():  # the process starts at the first task
            #: What it was asked to do and has not done: whether it is at work.
            self._asked: list[Future[Any]] = [self._pool.submit(_load_weasyprint)]
        #: Layouts begun before they were asked for (:meth:`foresee`), by what they lay out.
        self._foreseen: dict[Layout, Future[bytes]] = {}

    def __call__(self, layout: Layout) -> Callable[[], bytes]:
        future = self._foreseen.pop(layout, None) or self._submit(layout)
        if future is None:
            return here(layout)

        def pdf() -> bytes:
            try:
                return future.result()
            except BrokenProcessPool:
                return lay_out(layout)

        return pdf

    def foresee(self, layouts: Sequence[Layout]) -> None:
        """Begin laying out ``layouts``, which this process will likely ask for next: asked
        for (:meth:`__call__`), each is taken as it stands. Those foreseen before and not
        asked for are forgotten, and dropped if not begun (watch mode foresees after every
        save)."""
        for future in self._foreseen.values():
            future.cancel()
        self._foreseen = {}
        for layout in layouts:
            begun = self._submit(layout)
            if begun is None:
                return
            self._foreseen[layout] = begun

    def _submit(self, layout: Layout) -> Future[bytes] | None:
        try:
            future: Future[bytes] = self._pool.submit(lay_out, layout)
        except (BrokenProcessPool, RuntimeError):  # died, or shut down
            return None
        # Those done are forgotten: watch mode asks it for pages after every save.
        self._asked = [*(asked for asked in self._asked if not asked.done()), future]
        return future

    def stop(self) -> None:
        """End the process: killed first if it is still at work (importing, laying out,
        as when the build failed early or was interrupted), as a dying worker would be, so
        that its pool's threads find it dead rather than being told to end it while they
        write to it; then its pool is shut down."""
        if not all(future.done() for future in self._asked):
            for process in list((self._pool._processes or {}).values()):
                process.kill()
        self._pool.shutdown(wait=True, cancel_futures=True)


def _load_weasyprint() -> None:
    import briefing.paged.pdf  # noqa: F401 - WeasyPrint and what laying out uses


#: This process's layout process, while a build runs with one.
_layout_process: LayoutProcess | None = None


def start_layout_process() -> None:
    global _layout_process
    if _layout_process is None:
        try:
            _layout_process = LayoutProcess()
        except OSError:  # no process to be had: the pages are laid out here
            _layout_process = None


def stop_layout_process() -> None:
    global _layout_process
    if _layout_process is not None:
        _layout_process.stop()
        _layout_process = None


def layout() -> LayOut:
    """Who lays out this process's pages: its layout process if it has one, else itself."""
    return _layout_process if _layout_process is not None else here


#: At most this many sheets read anew are foreseen: an edit, not a change of every sheet
#: (of the country names, say), whose pages are laid out as the build asks for them.
MAX_FORESEEN_SHEETS = 4


def foresee(loaded: LoadedProject, sheet_ids: Sequence[str], options: BuildOptions) -> None:
    """If this process has a layout process, start it on the pages (and footers) of the
    sheets just read anew (edited: ``sheet_ids``), as the sheets' jobs will ask for them
    unless the checks hold a sheet back or make it a draft: then the job asks for other
    pages, laid out then. It begins beside the checks and the plan rather than after them:
    in watch mode, a save's PDF is ready 0.1 s sooner."""
    wanted = [sheet_id for sheet_id in sheet_ids
              if options.sheets is None or sheet_id in options.sheets]
    if _layout_process is None or "sheets" not in wanted_targets(options) \
            or not wanted or len(wanted) > MAX_FORESEEN_SHEETS:
        return
    from ..paged.compendium import Place, sheet_piece, sheet_specimen
    from .pool import renderer_for

    renderer = renderer_for(options.paths.templates)
    place = Place(options.output_dir, options.paths.fonts, options.paths.fetchable)
    layouts: list[Layout] = []

    def collect(layout: Layout) -> Callable[[], bytes]:
        layouts.append(layout)
        return lambda: b""

    for sheet_id in wanted:
        sheet = loaded.project.sheets[sheet_id]
        # As :func:`.targets.render_sheet` asks for them: footers first, then pages.
        sheet_specimen(renderer, sheet, place, collect)
        sheet_piece(renderer, sheet, place, draft=False, lay_out=collect)
    _layout_process.foresee(layouts)
