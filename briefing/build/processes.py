"""What every process a build starts shares, light enough to import before anything else:
started quietly (:func:`quiet_children`), and ended with the build (:func:`watch_build`).

The build forks its layout process (:mod:`.early`) as soon as it begins, so this module
imports nothing of the project's data, templates or renderers.
"""

from __future__ import annotations

import contextlib
import os
import select
import signal
import threading
import time
from collections.abc import Iterator

#: How much lower a worker's scheduling priority is than its build's: the build process
#: assembles the compendium beside the packs' jobs after an edit, and is what the rebuild
#: waits for last; on two cores, three processes shared them evenly (one-edit rebuild of
#: the 120-sheet corpus, medians of 12 alternating runs: 4.6 s, 4.25 s with workers niced).
WORKER_NICENESS = 5
#: How often a worker looks for its build where it cannot wait on a process descriptor.
WATCH_SECONDS = 0.5


@contextlib.contextmanager
def quiet_children() -> Iterator[None]:
    """Processes started inside ignore Ctrl-C and write their stderr to /dev/null, as
    their own children do: errors are this process's to report, one line each, and so
    is Ctrl-C. Only from the main thread (it sets a signal handler)."""
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    saved = os.dup(2)
    quiet = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(quiet, 2)
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)
        os.close(quiet)
        signal.signal(signal.SIGINT, previous)


def watch_build(pid: int, niceness: int = WORKER_NICENESS) -> None:
    """A worker's first act: yield the processor to the build (by ``niceness``), and end
    as soon as the build process ``pid`` ends, however it ends.

    Workers are children of the fork server, not of the build, so ``PR_SET_PDEATHSIG``
    would watch the wrong process; and the workers keep the fork server (and it the
    resource tracker) alive. A thread waits on the build's process descriptor and ends
    the worker (which writes nothing: the build writes what workers render).
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the build handles Ctrl-C, and ends us
    if niceness:
        with contextlib.suppress(OSError):
            os.nice(niceness)
    handle: int | None
    try:
        handle = os.pidfd_open(pid)
    except ProcessLookupError:  # already gone
        os._exit(1)
    except (AttributeError, OSError):  # no process descriptors here (Linux before 5.3)
        handle = None
    threading.Thread(target=_end_with, args=(pid, handle), name="briefing-watchdog",
                     daemon=True).start()


def _end_with(pid: int, handle: int | None) -> None:
    if handle is not None:
        select.select([handle], [], [])  # readable once the process has ended
    else:
        while _alive(pid):
            time.sleep(WATCH_SECONDS)
    os._exit(1)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass
    return True
