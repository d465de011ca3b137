"""Fixtures of the hostile cases: a folder outside the project, a loopback server, and a
guard that turns a hang (a read that never ends) into a failure."""

from __future__ import annotations

import signal
from collections.abc import Iterator
from pathlib import Path
from types import FrameType

import pytest

from tests.hostile.support import Loopback, serve_loopback

#: No hostile case may take longer; one that hangs fails here instead of never ending.
GUARD_SECONDS = 60


@pytest.fixture(autouse=True)
def no_hang() -> Iterator[None]:
    def give_up(signum: int, frame: FrameType | None) -> None:
        raise TimeoutError(f"the case took more than {GUARD_SECONDS} s (a read that never ends?)")

    previous = signal.signal(signal.SIGALRM, give_up)
    signal.alarm(GUARD_SECONDS)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A folder beside the project, where the test alone places files."""
    folder = tmp_path / "outside"
    folder.mkdir()
    return folder


@pytest.fixture
def loopback() -> Iterator[Loopback]:
    server_info, server = serve_loopback()
    try:
        yield server_info
    finally:
        server.shutdown()
        server.server_close()
