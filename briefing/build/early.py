"""The workers' fork server started as a build begins, when it will likely lay documents
out: judged from the files' modification times, before the data is read.

The fork server imports what every worker needs (WeasyPrint's modules above all, a second
or more) and no job can start before it is done. Started here, it does so beside this
process's own imports, reading and checking, instead of after the data was read
(:func:`briefing.build.pipeline.build` starts it then, if not here: 0.3 s later). The
times are only a hint as to *when* to start it: what is built is decided by content, as
ever. A wrong guess costs a server started for nothing (beside a build that lays nothing
out), or started when the data has been read, as without this module.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

from .manifest import MANIFEST_FILE
from .options import BuildOptions


def start_early(options: BuildOptions) -> None:
    """Start the fork server now if workers will lay documents out
    (:func:`in_workers`) and inputs changed since the last build here (or no build yet)."""
    if not in_workers(options) or not likely_changed(options):
        return
    from .pool import start_fork_server

    start_fork_server(options.paths.templates)


def in_workers(options: BuildOptions) -> bool:
    """Whether the documents of a build with ``options`` may be laid out in worker
    processes: more than one worker, and more than one document (one sheet's documents are
    one job, laid out in the build's own process)."""
    single = options.sheets is not None and len(options.sheets) == 1
    return options.worker_count > 1 and not single


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
