"""The build, as named stages: load → refuse unfinished → render → commit.

This is the only module that strings the stages together; the command line
calls :func:`build` and nothing else for it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .errors import MissingTranslationError
from .html import Renderer, fonts_url
from .model import Sheet
from .output import Output, commit
from .pdf import Attachment, render_pdf
from .validate import COUNTRIES_FILE, LoadedProject, load_project, missing_translations


@dataclass(frozen=True)
class ProjectPaths:
    """Where a project keeps its inputs; outputs go to ``reports`` unless told otherwise."""

    root: Path

    @property
    def data(self) -> Path:
        return self.root / "data"

    @property
    def templates(self) -> Path:
        return self.root / "templates"

    @property
    def fonts(self) -> Path:
        return self.root / "fonts"

    @property
    def reports(self) -> Path:
        return self.root / "reports"

    @property
    def fetchable(self) -> tuple[Path, ...]:
        """The only folders a renderer may read from."""
        return self.templates, self.fonts, self.data


@dataclass(frozen=True)
class BuildOptions:
    paths: ProjectPaths
    output_dir: Path
    draft: bool = False
    sheets: Sequence[str] | None = None


@dataclass
class BuildReport:
    written: list[Path] = field(default_factory=list)
    unchanged: list[Path] = field(default_factory=list)


Progress = Callable[[str], None]


def build(options: BuildOptions, progress: Progress | None = None) -> BuildReport:
    """Build every sheet's HTML and PDF; nothing is written unless all succeed."""
    loaded = load(options)
    refuse_unfinished(loaded, draft=options.draft)
    renderer = Renderer(options.paths.templates)
    outputs: list[Output] = []
    for sheet in loaded.project.sheets.values():
        outputs.extend(render_sheet(sheet, loaded, renderer, options))
        if progress:
            progress(f"rendered {sheet.id}")
    written = commit(outputs)
    return BuildReport(written, [o.path for o in outputs if o.path not in written])


def load(options: BuildOptions) -> LoadedProject:
    return load_project(options.paths.data, options.paths.root, options.sheets)


def refuse_unfinished(loaded: LoadedProject, *, draft: bool) -> None:
    """A final build needs every unit in both languages; a draft shows placeholders."""
    missing = missing_translations(loaded)
    if missing and not draft:
        raise MissingTranslationError(missing)


def render_sheet(
    sheet: Sheet, loaded: LoadedProject, renderer: Renderer, options: BuildOptions
) -> list[Output]:
    """The sheet's HTML (the very document handed to WeasyPrint) and its PDF."""
    output_dir = options.output_dir
    html = renderer.sheet_html(
        sheet, draft=options.draft, fonts_url=fonts_url(output_dir, options.paths.fonts)
    )
    pdf = render_pdf(
        html,
        base_url=output_dir,
        allowed_roots=options.paths.fetchable,
        attachments=source_attachments(loaded, sheet),
        right_lang=sheet.languages[1],
    )
    return [
        Output(output_dir / f"{sheet.id}.html", html.encode("utf-8")),
        Output(output_dir / f"{sheet.id}.pdf", pdf),
    ]


def source_attachments(loaded: LoadedProject, sheet: Sheet) -> list[Attachment]:
    """The data files a PDF was built from, so that the PDF alone can rebuild it."""
    sheet_file = loaded.files[sheet.id]
    countries_file = sheet_file.parent.parent / COUNTRIES_FILE
    return [
        Attachment(f"data/sheets/{sheet_file.name}", sheet_file.read_bytes(),
                   f"Source data of the sheet {sheet.id}"),
        Attachment(f"data/{COUNTRIES_FILE}", countries_file.read_bytes(),
                   "Country names the sheet refers to"),
    ]
