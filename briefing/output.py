"""Writing reports atomically: everything is rendered first, then each file replaced whole.

A build stages its outputs in memory and commits them only when all rendered,
each through a temporary file in the same folder and a rename, so a failure at
any point leaves the previous reports byte-for-byte as they were.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .errors import RenderError


@dataclass(frozen=True)
class Output:
    path: Path
    content: bytes


def write_atomic(path: Path, content: bytes) -> None:
    """Replace ``path`` with ``content`` in one step, never leaving a partial file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(content)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, 0o666 & ~_umask())
        os.replace(temporary, path)
    except OSError as error:
        Path(temporary).unlink(missing_ok=True)
        raise RenderError(f"cannot write {path}: {error.strerror}") from None


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def commit(outputs: Iterable[Output]) -> list[Path]:
    """Write staged outputs; files whose content is unchanged are not touched."""
    written = []
    for output in outputs:
        if output.path.exists() and output.path.read_bytes() == output.content:
            continue
        write_atomic(output.path, output.content)
        written.append(output.path)
    return written
