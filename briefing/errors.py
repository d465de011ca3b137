"""One exception hierarchy, rooted in :class:`BriefingError`.

The command line prints every ``BriefingError`` as one line (or, for a
collection of data problems, one line per problem) and exits with the error's
``exit_code``; anything else is a bug and keeps its traceback.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Location:
    """A place in an input file: ``file:line:col``, line and column from 1."""

    file: str
    line: int = 0
    column: int = 0

    def __str__(self) -> str:
        if not self.line:
            return self.file
        return f"{self.file}:{self.line}:{self.column}"


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the input, where it is and which key it concerns."""

    location: Location
    key_path: str
    message: str

    def __str__(self) -> str:
        if self.key_path:
            return f"{self.location}: {self.key_path}: {self.message}"
        return f"{self.location}: {self.message}"


class BriefingError(Exception):
    """Base of every error the tool reports to its user without a traceback."""

    exit_code = 1

    def lines(self) -> list[str]:
        """What the command line prints, one entry per line."""
        return [f"Error: {self}"]


class UsageError(BriefingError):
    """The command line was called with arguments that do not fit."""

    exit_code = 2


class DataError(BriefingError):
    """The data files hold problems; all of them are collected before stopping."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems: Sequence[Problem] = sorted(problems)
        super().__init__("\n".join(str(p) for p in self.problems))

    def lines(self) -> list[str]:
        return [str(p) for p in self.problems]


class TemplateError(BriefingError):
    """A template could not be loaded or rendered; names its file and line."""


class FetchRefusedError(BriefingError):
    """The renderer was asked for a resource outside the project's folders."""


class RenderError(BriefingError):
    """A document could not be rendered or written."""


class DocxImportError(BriefingError):
    """An edited DOCX cannot be carried back into the data."""


class ConflictError(DocxImportError):
    """A text changed both in the YAML and in the DOCX since the DOCX was made."""

    def __init__(self, conflicts: Sequence[str]) -> None:
        self.conflicts = list(conflicts)
        super().__init__(
            f"{len(self.conflicts)} conflict(s); nothing was written. Choose with "
            "--theirs (keep the DOCX) or --ours (keep the YAML), for all or for the keys named"
        )

    def lines(self) -> list[str]:
        return [*self.conflicts, f"Error: {self}"]


class RefusedEditsError(DocxImportError):
    """Edits in a DOCX that cannot come back into the data, each on its own line."""

    def __init__(self, refused: Sequence[str]) -> None:
        self.refused = list(refused)
        super().__init__(
            f"{len(self.refused)} edit(s) refused; nothing was written. Change them in the "
            "DOCX, or import the other edits with --partial"
        )

    def lines(self) -> list[str]:
        return [*self.refused, f"Error: {self}"]


class BuildFailedError(BriefingError):
    """Some documents of a batch failed, or were held back because they print what
    ``check`` finds an error in; the others were written."""

    def __init__(self, failures: Sequence[str], held: Sequence[str] = ()) -> None:
        self.failures = list(failures)
        self.held = list(held)
        said = []
        if self.failures:
            said.append(f"{len(self.failures)} document(s) failed")
        if self.held:
            said.append(f"{len(self.held)} document(s) not built: they print what check finds "
                        "errors in; fix them, or build with --draft to show placeholders")
        super().__init__("; ".join(said))

    def lines(self) -> list[str]:
        return [*self.failures, *self.held, f"Error: {self}"]
