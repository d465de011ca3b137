"""Writing reports: a document's files together or not at all, one build at a time per folder.

A document's files (a sheet's HTML, PDF and DOCX) are staged in memory, then
committed together (:func:`~briefing.core.files.write_together`): all written to
temporary files first, then renamed into place, so a failure at any point
leaves the previous files byte-for-byte as they were. A build holds its output
folder (:func:`holding`, a lock on the folder) from reading the manifest to
writing it, so that two builds in one folder never interleave.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..core.files import TEMPORARY_SUFFIX, same_content, write_together
from ..errors import BriefingError


@dataclass(frozen=True)
class Output:
    path: Path
    content: bytes
    #: A PDF's page count, where whoever made it knows it (else the manifest counts them).
    pages: int | None = None


class OutputFolderError(BriefingError):
    """The output folder cannot be used: not a folder, not writable, or taken by a build."""


def commit(outputs: Iterable[Output],
           before_install: Callable[[list[Path]], None] | None = None) -> list[Path]:
    """Write one document's staged outputs together, or none of them (raising
    :class:`~briefing.errors.RenderError`); files whose content is unchanged are not
    touched. ``before_install`` is told which files are about to change, once all are
    written to temporary files and just before they are renamed into place. Returns the
    paths written."""
    changed = [output.path for output in outputs
               if not same_content(output.path, output.content)]
    contents = {output.path: output.content for output in outputs}
    write_together([(path, contents[path]) for path in changed],
                   None if before_install is None else lambda: before_install(changed))
    return changed


@contextlib.contextmanager
def holding(folder: Path, shown: str, subfolders: Sequence[str] = ()) -> Iterator[None]:
    """Hold ``folder`` (named ``shown`` in messages) for one build: created if needed,
    refused with one line if it is not a writable folder or another build holds it.

    The hold is a lock (``flock``) on the folder itself, so it leaves no file behind, and
    the system releases it when the process ends, however it ends: a killed build never
    leaves the folder taken. Temporary files left by a build that was killed are removed
    from the folder and the ``subfolders`` the build writes (not from others, which another
    command may be writing), and a folder made for a build that then wrote nothing is
    removed again.
    """
    existed = os.path.isdir(folder)  # False for any name the system refuses (too long…)
    descriptor = _lock(folder, shown)
    places = [folder / name for name in subfolders]
    made = [place for place in places if not os.path.isdir(place)]
    try:
        for place in (folder, *places):
            remove_temporaries(place)
        yield
    finally:
        # Made for this build, which wrote nothing there: not left behind (the deepest
        # first; rmdir removes only an empty folder).
        for place in sorted(made, key=lambda path: len(path.parts), reverse=True):
            with contextlib.suppress(OSError):
                place.rmdir()
        if not existed:
            with contextlib.suppress(OSError):
                folder.rmdir()
        os.close(descriptor)


def _lock(folder: Path, shown: str) -> int:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError):
        raise OutputFolderError(f"cannot write reports into {shown}: not a folder") from None
    except OSError as error:
        raise OutputFolderError(f"cannot create the output folder {shown}: "
                                f"{error.strerror}") from None
    try:
        descriptor = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    except OSError as error:
        raise OutputFolderError(f"cannot write reports into {shown}: {error.strerror}") from None
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(descriptor)
        raise OutputFolderError(f"another build is running in {shown}; wait for it to end, "
                                "or write elsewhere with --output") from None
    try:
        _try_writing(folder)
    except OSError as error:
        os.close(descriptor)
        raise OutputFolderError(f"cannot write reports into {shown}: {error.strerror}") from None
    return descriptor


def _try_writing(folder: Path) -> None:
    """Create and remove a file in ``folder``: refused here, not half-way through a build."""
    handle, name = tempfile.mkstemp(prefix=".probe.", suffix=TEMPORARY_SUFFIX, dir=folder)
    os.close(handle)
    os.unlink(name)


def remove_temporaries(folder: Path) -> None:
    """Remove the temporary files of writes that never ended (a build that was killed)."""
    for path in folder.glob(f".*{TEMPORARY_SUFFIX}"):
        if path.is_file() and not path.is_symlink():
            with contextlib.suppress(OSError):
                path.unlink()
