"""Writing reports atomically: everything is rendered first, then each file replaced whole.

A build stages its outputs in memory and commits them only when all rendered,
each through a temporary file in the same folder and a rename, so a failure at
any point leaves the previous reports byte-for-byte as they were.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ..core.files import write_atomic


@dataclass(frozen=True)
class Output:
    path: Path
    content: bytes


def commit(outputs: Iterable[Output]) -> list[Path]:
    """Write staged outputs; files whose content is unchanged are not touched."""
    written = []
    for output in outputs:
        if output.path.exists() and output.path.read_bytes() == output.content:
            continue
        write_atomic(output.path, output.content)
        written.append(output.path)
    return written
