"""Files as the tool writes them: whole or not at all, and the same bytes for the same input."""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from pathlib import Path

from ..errors import RenderError

#: The creation and modification date written into every PDF and DOCX, so that the same
#: inputs give byte-identical files.
FIXED_DATE = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)


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
