"""Files as the tool reads and writes them.

Reading: only regular files, never more than a stated number of bytes (a size
in ``st_size`` is not trusted: a device or a pipe claims 0), and, where a
folder is given, only files that resolve inside it, so that a link cannot make
the tool read (or publish) a file from outside the project.

Writing: whole or not at all, and several files together: each is written to
a temporary file beside it first, and only when all are written are they
renamed into place; a rename that fails puts back the files already renamed.
The same inputs give the same bytes (:data:`FIXED_DATE`).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import os
import stat
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

from ..errors import RenderError

#: The creation and modification date written into every PDF and DOCX, so that the same
#: inputs give byte-identical files.
FIXED_DATE = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)

#: How the tool's temporary files end: ``.<name>.<random>`` + this, beside the final file.
TEMPORARY_SUFFIX = ".briefing-tmp"

_READ_CHUNK = 1 << 20


class FileRefusedError(OSError):
    """A file the tool will not read: not a regular file, too large, or outside its folder.

    An :class:`OSError`, so that a caller reporting ``cannot read: {strerror}`` for a
    missing file reports these the same way.
    """

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(errno.EPERM, reason, str(path))


def _kind(mode: int) -> str:
    kinds = ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a pipe"),
             (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
             (stat.S_ISSOCK, "a socket"))
    return next((name for test, name in kinds if test(mode)), "not a regular file")


def resolve_inside(path: Path, folder: Path) -> Path:
    """``path`` with every link followed, once it is sure that it stays inside ``folder``
    (itself resolved first: the folder may be a link, what is in it may not lead out)."""
    root = folder.resolve()
    target = path.resolve()
    if not target.is_relative_to(root):
        raise FileRefusedError(path, f"a link to {target}, outside {folder.name}/")
    return target


def read_bounded(path: Path, limit: int, *, within: Path | None = None) -> bytes:
    """The bytes of the regular file ``path``, refusing it if it holds more than ``limit``.

    Anything but a regular file (a folder, a device such as ``/dev/zero``, a pipe, a
    socket) is refused before it is read, and never more than ``limit`` + 1 bytes are
    read, whatever the file's size claims. With ``within``, the file must resolve inside
    that folder. Raises :class:`FileRefusedError`, or the :class:`OSError` of a file that
    cannot be opened (``strerror`` says why in words).
    """
    if within is not None:
        path = resolve_inside(path, within)
    status = os.stat(path)
    if not stat.S_ISREG(status.st_mode):
        # Refused by its type before it is opened: opening a device can have effects.
        raise FileRefusedError(path, f"not a regular file ({_kind(status.st_mode)})")
    if status.st_size > limit:
        raise FileRefusedError(path, f"file is {status.st_size} bytes, larger than the "
                                     f"{limit} bytes allowed")
    flags = os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY | getattr(os, "O_CLOEXEC", 0)
    descriptor = os.open(path, flags)
    try:
        opened = os.fstat(descriptor)  # what was opened, if the path changed since
        if not stat.S_ISREG(opened.st_mode):
            raise FileRefusedError(path, f"not a regular file ({_kind(opened.st_mode)})")
        chunks: list[bytes] = []
        left = limit + 1
        while left > 0:
            chunk = os.read(descriptor, min(left, _READ_CHUNK))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
    finally:
        os.close(descriptor)
    content = b"".join(chunks)
    if len(content) > limit:
        raise FileRefusedError(path, f"file is larger than the {limit} bytes allowed")
    return content


def same_content(path: Path, content: bytes) -> bool:
    """``path`` is a regular file holding exactly ``content`` (read no further than that)."""
    try:
        return read_bounded(path, len(content)) == content
    except OSError:
        return False


def write_atomic(path: Path, content: bytes) -> None:
    """Replace ``path`` with ``content`` in one step, never leaving a partial file."""
    write_together([(path, content)])


def write_together(files: Sequence[tuple[Path, bytes]],
                   before_install: Callable[[], None] | None = None) -> None:
    """Replace every file in ``files``, or none of them.

    Each is first written whole (and synced) to a temporary file in its folder; only then,
    after ``before_install`` (a record to update first), are they renamed into place. A
    failure names the file that could not be written (never a temporary file) and leaves
    every one of them as it was. Raises :class:`RenderError`.
    """
    staged: list[tuple[Path, Path]] = []
    try:
        for path, content in files:
            staged.append((path, _stage(path, content)))
        if before_install is not None and staged:
            before_install()
        _install(staged)
    finally:
        for _, temporary in staged:
            _remove(temporary)


def _stage(path: Path, content: bytes) -> Path:
    """``content`` in a temporary file beside ``path``, synced to disk."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise _write_error(path.parent, error, "cannot create the folder") from None
    if os.path.isdir(path) and not os.path.islink(path):
        raise RenderError(f"cannot write {path}: a folder is in its place")
    try:
        handle, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=TEMPORARY_SUFFIX,
                                        dir=path.parent)
    except OSError as error:
        raise _write_error(path, error) from None
    temporary = Path(name)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(content)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, 0o666 & ~_umask())
    except BaseException as error:
        _remove(temporary)
        if isinstance(error, OSError):
            raise _write_error(path, error) from None
        raise
    return temporary


def _install(staged: Sequence[tuple[Path, Path]]) -> None:
    """Rename each staged file into place; if one rename fails, undo those before it."""
    done: list[tuple[Path, _Previous]] = []
    try:
        for path, temporary in staged:
            previous = _keep_previous(path)
            try:
                os.replace(temporary, path)
            except OSError as error:
                previous.discard()
                raise _write_error(path, error) from None
            done.append((path, previous))
    except BaseException:
        for path, previous in reversed(done):
            previous.restore(path)
        raise
    for _, previous in done:
        previous.discard()
    for folder in {path.parent for path, _ in staged}:
        _sync_folder(folder)


class _Previous:
    """What stood at a path before a rename, to put it back: nothing, or a second name."""

    def __init__(self, existed: bool, backup: Path | None) -> None:
        self.existed = existed
        self.backup = backup

    def restore(self, path: Path) -> None:
        try:
            if self.backup is not None:
                os.replace(self.backup, path)
            elif not self.existed:
                path.unlink(missing_ok=True)
            # else: no second name could be made (no hard links here): the new file stays
        except OSError:
            pass

    def discard(self) -> None:
        if self.backup is not None:
            _remove(self.backup)


def _keep_previous(path: Path) -> _Previous:
    """A second name for the file at ``path`` (a hard link), to put it back if needed."""
    if not os.path.lexists(path):
        return _Previous(False, None)
    backup = path.with_name(f".{path.name}.previous{TEMPORARY_SUFFIX}")
    try:
        _remove(backup)
        os.link(path, backup, follow_symlinks=False)
    except OSError:
        return _Previous(True, None)
    return _Previous(True, backup)


def _sync_folder(folder: Path) -> None:
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)


def _write_error(path: Path, error: OSError, doing: str = "cannot write") -> RenderError:
    reason = error.strerror or str(error)
    if isinstance(error, FileExistsError | NotADirectoryError) and doing != "cannot write":
        reason = "a file is in the way of a folder"
    return RenderError(f"{doing} {path}: {reason}")


def _remove(path: Path) -> None:
    with contextlib.suppress(OSError):
        path.unlink(missing_ok=True)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
