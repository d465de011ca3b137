"""What the hostile cases share: the state of a project on disk, the lines a command printed,
probes that notice a read outside the project, and a loopback HTTP server.

Every case runs in its own copy of the project (the ``project`` fixture) and checks the
same four things: the exit status, exactly the expected error line(s), no traceback, and
``reports/`` and ``data/`` as they were when the command fails.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from tests.cli_runner import Result, run
from tests.conftest import REPO, SEED_SHEET

#: The sheet every case builds (its own documents only: the quickest build).
SHEET = SEED_SHEET
BUILD = ("build", "--sheet", SHEET, "-j", "1")
#: The unit whose texts the cases replace, as it stands in the seed.
TITLE_KEY = "description.title"
TITLE_EN = "Budapest Process – A Silk Routes Partnership for Migration"
TITLE_RU = "Будапештский процесс – Партнерство по вопросам миграции в регионе Шелкового пути"
#: The folders a failed command must leave byte for byte as they were.
KEPT = ("reports", "data")


def state(root: Path) -> dict[str, bytes | str]:
    """Every entry under ``reports/`` and ``data/``: a file's bytes, a link's target."""
    found: dict[str, bytes | str] = {}
    for top in KEPT:
        base = root / top
        if not base.exists():
            continue
        for path in sorted(base.rglob("*")):
            name = path.relative_to(root).as_posix()
            if path.is_symlink():
                found[name] = f"link to {os.readlink(path)}"
            elif path.is_dir():
                found[name] = "folder"
            elif path.is_file():
                found[name] = path.read_bytes()
            else:
                found[name] = "special file"
    return found


def error_lines(text: str) -> list[str]:
    """What a command printed on stderr, without check's warnings (the seed has some)."""
    return [line for line in text.splitlines() if ": warning: " not in line]


def refused(project: Path, argv: Sequence[str], expected: Sequence[str], *,
            code: int = 1) -> Result:
    """Run a command that must fail: its status, exactly ``expected`` on stderr (warnings
    aside), no traceback, and ``reports/`` and ``data/`` untouched."""
    before = state(project)
    result = run(project, *argv)
    assert (result.code, error_lines(result.err)) == (code, list(expected)), result
    assert "Traceback" not in result.out + result.err
    assert state(project) == before
    return result


def run_process(project: Path, *argv: str, timeout: float = 60,
                **options: object) -> subprocess.CompletedProcess[str]:
    """``generate.py --root project argv…`` in a process of its own."""
    return subprocess.run(  # type: ignore[call-overload, no-any-return]
        [sys.executable, "-B", str(REPO / "generate.py"), "--root", str(project), *argv],
        capture_output=True, text=True, timeout=timeout, check=False, **options)


def sheet_file(project: Path) -> Path:
    return project / "data" / "sheets" / f"{SHEET}.yaml"


def yaml_quoted(text: str) -> str:
    """``text`` as a YAML double-quoted string: any character that is not plainly printable
    as an escape (``\\u200b``, ``\\U0010ffff``), so that it reaches the parser as written."""
    def escaped(char: str) -> str:
        if char in '"\\':
            return "\\" + char
        if char.isprintable():
            return char
        return f"\\u{ord(char):04x}" if ord(char) <= 0xFFFF else f"\\U{ord(char):08x}"
    return '"' + "".join(escaped(char) for char in text) + '"'


def set_title(project: Path, en: str | None = None, ru: str | None = None) -> int:
    """Replace the texts of the sheet's title unit (as YAML double-quoted strings, so any
    character can be given as an escape); returns the line of the English text."""
    path = sheet_file(project)
    text = path.read_text(encoding="utf-8")
    for lang, old, new in (("en", TITLE_EN, en), ("ru", TITLE_RU, ru)):
        if new is not None:
            line = f"          {lang}: {old}\n"
            assert line in text
            text = text.replace(line, f"          {lang}: {yaml_quoted(new)}\n", 1)
    path.write_text(text, encoding="utf-8")
    return text.splitlines().index(f"          en: {yaml_quoted(en)}") + 1 if en is not None \
        else 0


def link(path: Path, target: Path) -> Path:
    path.unlink(missing_ok=True)
    path.symlink_to(target)
    return path


class OpenProbe:
    """A FIFO the test places outside the project: if anything opens it to read, the probe
    knows (a writer waits on it, and its open returns only when a reader comes)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        os.mkfifo(path)
        self._opened = threading.Event()
        self._thread = threading.Thread(target=self._wait, daemon=True)
        self._thread.start()

    def _wait(self) -> None:
        descriptor = os.open(self.path, os.O_WRONLY)
        self._opened.set()
        os.close(descriptor)

    def was_opened(self) -> bool:
        """Whether anyone opened it; stops the probe."""
        opened = self._opened.wait(0.2)
        if not opened:  # let the waiting writer go
            descriptor = os.open(self.path, os.O_RDONLY | os.O_NONBLOCK)
            self._thread.join(5)
            os.close(descriptor)
        return opened


@dataclass
class Loopback:
    """An HTTP server on 127.0.0.1 that records every request made to it."""

    url: str
    requests: list[str] = field(default_factory=list)


def serve_loopback() -> tuple[Loopback, ThreadingHTTPServer]:
    loopback = Loopback("")

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            loopback.requests.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "text/css")
            self.end_headers()
            self.wfile.write(b"body { color: red }")

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    loopback.url = f"http://127.0.0.1:{server.server_address[1]}"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return loopback, server
