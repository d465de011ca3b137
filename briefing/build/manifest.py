"""``reports/manifest.json``: every output with the hash of its inputs, pages and size.

An output whose recorded input hash equals the one computed now, and whose file
is still there with the recorded size, is up to date and is not rebuilt. The
input hash covers the data files the output draws on, every template and font,
the options that change what is printed, and the tool's version.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Concatenate, ParamSpec, TypeVar

from ..core.files import read_bounded, resolve_inside
from ..errors import BriefingError, RenderError
from .options import MANIFEST_FILE
from .output import Output, commit

FORMAT_VERSION = 1


@dataclass(frozen=True)
class Entry:
    inputs: str
    pages: int | None
    bytes: int


#: The largest input file hashed (a font is a few MiB); a larger one is refused.
MAX_INPUT_BYTES = 64 * 1024 * 1024
#: The largest manifest read; a larger one is ignored (everything is rebuilt).
MAX_MANIFEST_BYTES = 64 * 1024 * 1024


class InputHasher:
    """Hashes of input files, each file read once per build.

    Every file hashed must resolve inside its own project folder (``templates/``,
    ``fonts/``, or ``data_dir`` for data files): a link that leads out of it is refused
    before anything is read, so the hash never reads, and never depends on, a file
    outside the project.
    """

    def __init__(self, version: str, shared_dirs: Iterable[Path],
                 data_dir: Path | None = None) -> None:
        self._files: dict[Path, str] = {}
        self._data_dir = data_dir
        digest = hashlib.sha256(f"briefing {version}".encode())
        for folder in shared_dirs:
            for path in sorted(folder.rglob("*")):
                if not os.path.exists(path):
                    continue  # a dangling link: nothing to read
                if path.is_dir():  # a linked folder is not entered, but may not lead out
                    if path.is_symlink():
                        self._check_inside(path, folder)
                    continue
                digest.update(path.relative_to(folder).as_posix().encode() + b"\0")
                digest.update(self.file(path, folder).encode())
        #: Templates, fonts and the version: what every output depends on.
        self.shared = digest.hexdigest()

    def file(self, path: Path, folder: Path | None = None) -> str:
        """The hash of ``path``, which must resolve inside ``folder`` (by default the data
        folder, else its own folder)."""
        if path not in self._files:
            within = folder or self._data_dir or path.parent
            try:
                content = read_bounded(path, MAX_INPUT_BYTES, within=within)
            except OSError as error:
                raise _unreadable(path, within, error) from None
            self._files[path] = hashlib.sha256(content).hexdigest()
        return self._files[path]

    @staticmethod
    def _check_inside(path: Path, folder: Path) -> None:
        try:
            resolve_inside(path, folder)
        except OSError as error:
            raise _unreadable(path, folder, error) from None

    def inputs(self, kind: str, files: Iterable[Path], options: Mapping[str, object]) -> str:
        """The hash of one output's inputs: its kind, data files and printing options."""
        digest = hashlib.sha256(f"{kind}\0{self.shared}\0".encode())
        for path in sorted(set(files)):
            digest.update(f"{path.name}\0{self.file(path)}\0".encode())
        digest.update(json.dumps(dict(options), sort_keys=True, default=str).encode())
        return digest.hexdigest()


def _unreadable(path: Path, folder: Path, error: OSError) -> RenderError:
    """``templates/x.css: cannot read: …``: the file as named inside its project folder."""
    shown = f"{folder.name}/{path.relative_to(folder).as_posix()}" \
        if path.is_relative_to(folder) else str(path)
    return RenderError(f"{shown}: cannot read: {error.strerror}")


def entry_for(output: Output, inputs: str) -> Entry:
    from ..paged.pdffile import page_count

    pages = output.pages
    if pages is None and output.path.suffix == ".pdf":
        pages = page_count(output.content)
    return Entry(inputs, pages, len(output.content))


P = ParamSpec("P")
R = TypeVar("R")


def _locked(method: Callable[Concatenate[Manifest, P], R]) -> Callable[Concatenate[Manifest, P], R]:
    def locked(self: Manifest, /, *args: P.args, **kwargs: P.kwargs) -> R:
        with self.lock:
            return method(self, *args, **kwargs)
    locked.__doc__ = method.__doc__
    return locked


class Manifest:
    """The manifest of one output folder; keys are paths relative to it. The jobs' thread
    and the compendium's may use it at once (:func:`.pipeline.sheets_first`): each method
    holds its lock."""

    def __init__(self, output_dir: Path, entries: dict[str, Entry] | None = None) -> None:
        self.output_dir = output_dir
        self.entries: dict[str, Entry] = entries or {}
        self.lock = threading.RLock()

    @property
    def path(self) -> Path:
        return self.output_dir / MANIFEST_FILE

    @classmethod
    def load(cls, output_dir: Path) -> Manifest:
        """The recorded manifest; a missing or unreadable one means everything is rebuilt."""
        try:
            content = read_bounded(output_dir / MANIFEST_FILE, MAX_MANIFEST_BYTES,
                                   within=output_dir)
            data = json.loads(content.decode("utf-8"))
            outputs = data["outputs"] if data.get("format") == FORMAT_VERSION else {}
            entries = {name: Entry(str(e["inputs"]), e.get("pages"), int(e["bytes"]))
                       for name, e in outputs.items()}
        except (OSError, ValueError, KeyError, TypeError, AttributeError, RecursionError):
            entries = {}
        return cls(output_dir, entries)

    def key(self, path: Path) -> str:
        return path.relative_to(self.output_dir).as_posix()

    @_locked
    def is_current(self, paths: Iterable[Path], inputs: str) -> bool:
        """Every one of ``paths`` was built from ``inputs`` and is still as written."""
        for path in paths:
            entry = self.entries.get(self.key(path))
            if entry is None or entry.inputs != inputs:
                return False
            try:
                if path.stat().st_size != entry.bytes:
                    return False
            except OSError:
                return False
        return True

    @_locked
    def record(self, path: Path, entry: Entry) -> None:
        self.entries[self.key(path)] = entry

    @_locked
    def get(self, path: Path) -> Entry | None:
        return self.entries.get(self.key(path))

    @_locked
    def items(self) -> list[tuple[Path, Entry]]:
        """Every output recorded, with its entry."""
        return [(self.output_dir / key, entry) for key, entry in self.entries.items()]

    @_locked
    def commit(self, outputs: Sequence[Output]) -> list[Path]:
        """Write one document's outputs (:func:`~briefing.build.output.commit`), dropping
        and saving the entries of those about to change just before they are renamed into
        place: an entry stands only for a file known to be on disk as recorded, even if the
        build stops right after. If they cannot be written, the entries are put back."""
        kept = dict(self.entries)

        def forget(paths: list[Path]) -> None:
            for path in paths:
                self.entries.pop(self.key(path), None)
            self.save()

        try:
            return commit(outputs, forget)
        except BriefingError:
            self.entries = kept
            with contextlib.suppress(BriefingError):
                self.save()
            raise

    @_locked
    def save(self) -> None:
        """Write the manifest (atomically; not at all if unchanged, nor when it would be
        empty and there is none, so that a build that made nothing leaves nothing)."""
        if self.entries or os.path.lexists(self.path):
            commit([self.output()])

    @_locked
    def keep_only(self, paths: Iterable[Path]) -> list[Path]:
        """Forget outputs no longer produced (a sheet removed, a country no longer named)
        and return them, for the build to remove: a folder of reports holds what the data
        makes now, as a clean build of it would."""
        wanted = {self.key(path) for path in paths}
        gone = [self.output_dir / key for key in self.entries if key not in wanted]
        self.entries = {k: v for k, v in self.entries.items() if k in wanted}
        return gone

    @_locked
    def output(self) -> Output:
        """The manifest file's content; identical entries give identical bytes."""
        data = {"format": FORMAT_VERSION,
                "outputs": {name: asdict(self.entries[name]) for name in sorted(self.entries)}}
        text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
        return Output(self.path, text.encode("utf-8"))
