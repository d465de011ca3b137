"""``reports/manifest.json``: every output with the hash of its inputs, pages and size.

An output whose recorded input hash equals the one computed now, and whose file
is still there with the recorded size, is up to date and is not rebuilt. The
input hash covers the data files the output draws on, every template and font,
the options that change what is printed, and the tool's version.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from pathlib import Path

from ..paged.pdf import page_count
from .output import Output

MANIFEST_FILE = "manifest.json"
FORMAT_VERSION = 1


@dataclass(frozen=True)
class Entry:
    inputs: str
    pages: int | None
    bytes: int


class InputHasher:
    """Hashes of input files, each file read once per build."""

    def __init__(self, version: str, shared_dirs: Iterable[Path]) -> None:
        self._files: dict[Path, str] = {}
        digest = hashlib.sha256(f"briefing {version}".encode())
        for folder in shared_dirs:
            for path in sorted(p for p in folder.rglob("*") if p.is_file()):
                digest.update(path.relative_to(folder).as_posix().encode() + b"\0")
                digest.update(self.file(path).encode())
        #: Templates, fonts and the version: what every output depends on.
        self.shared = digest.hexdigest()

    def file(self, path: Path) -> str:
        if path not in self._files:
            self._files[path] = hashlib.sha256(path.read_bytes()).hexdigest()
        return self._files[path]

    def inputs(self, kind: str, files: Iterable[Path], options: Mapping[str, object]) -> str:
        """The hash of one output's inputs: its kind, data files and printing options."""
        digest = hashlib.sha256(f"{kind}\0{self.shared}\0".encode())
        for path in sorted(set(files)):
            digest.update(f"{path.name}\0{self.file(path)}\0".encode())
        digest.update(json.dumps(dict(options), sort_keys=True, default=str).encode())
        return digest.hexdigest()


def entry_for(output: Output, inputs: str) -> Entry:
    pages = page_count(output.content) if output.path.suffix == ".pdf" else None
    return Entry(inputs, pages, len(output.content))


class Manifest:
    """The manifest of one output folder; keys are paths relative to it."""

    def __init__(self, output_dir: Path, entries: dict[str, Entry] | None = None) -> None:
        self.output_dir = output_dir
        self.entries: dict[str, Entry] = entries or {}

    @property
    def path(self) -> Path:
        return self.output_dir / MANIFEST_FILE

    @classmethod
    def load(cls, output_dir: Path) -> Manifest:
        """The recorded manifest; a missing or unreadable one means everything is rebuilt."""
        try:
            data = json.loads((output_dir / MANIFEST_FILE).read_text(encoding="utf-8"))
            outputs = data["outputs"] if data.get("format") == FORMAT_VERSION else {}
            entries = {name: Entry(str(e["inputs"]), e.get("pages"), int(e["bytes"]))
                       for name, e in outputs.items()}
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            entries = {}
        return cls(output_dir, entries)

    def key(self, path: Path) -> str:
        return path.relative_to(self.output_dir).as_posix()

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

    def record(self, path: Path, entry: Entry) -> None:
        self.entries[self.key(path)] = entry

    def get(self, path: Path) -> Entry | None:
        return self.entries.get(self.key(path))

    def keep_only(self, paths: Iterable[Path]) -> None:
        """Forget outputs no longer produced (a sheet removed, a country no longer named)."""
        wanted = {self.key(path) for path in paths}
        self.entries = {k: v for k, v in self.entries.items() if k in wanted}

    def output(self) -> Output:
        """The manifest file's content; identical entries give identical bytes."""
        data = {"format": FORMAT_VERSION,
                "outputs": {name: asdict(self.entries[name]) for name in sorted(self.entries)}}
        text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
        return Output(self.path, text.encode("utf-8"))
