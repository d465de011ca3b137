"""What a build shows on a terminal: a bar of documents done and left, else plain lines."""

from __future__ import annotations

from typing import TextIO

from .build.options import Progress


class ProgressDisplay(Progress):
    """Documents done and left: a bar on a terminal, else one plain line per document."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.interactive = stream.isatty()
        self.bar: object | None = None

    def expect(self, total: int) -> None:
        """Expect ``total`` more documents."""
        if not self.interactive or not total:
            return
        if self.bar is None:
            from tqdm import tqdm

            self.bar = tqdm(total=total, unit="doc", file=self.stream, leave=False,
                            mininterval=0)
        else:
            self.bar.total += total  # type: ignore[attr-defined]
            self.bar.refresh()  # type: ignore[attr-defined]

    def __call__(self, line: str) -> None:
        if self.bar is not None:
            self.bar.update(1)  # type: ignore[attr-defined]
            if line.startswith(("failed", "Error")):
                self.bar.write(line, file=self.stream)  # type: ignore[attr-defined]
        else:
            print(line, file=self.stream)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()  # type: ignore[attr-defined]
            self.bar = None
