"""The command line: parses arguments, calls the package, prints errors as lines.

``main(argv, stdout, stderr)`` lets tests inject every input and read every
output; a :class:`~briefing.errors.BriefingError` becomes ``Error: …`` (or one
line per data problem) and its exit code, never a traceback.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TextIO

from .build.options import TARGETS, BuildOptions, ProjectPaths
from .core.load import display_name
from .errors import BriefingError, UsageError

Command = Callable[[argparse.Namespace, TextIO, TextIO], int]


class _Parser(argparse.ArgumentParser):
    """Reports usage errors through our exception, so ``main`` owns all exits."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(f"{message} (see --help)")


def make_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="briefing",
        description=(
            "Build bilingual participant information sheets (PDF, HTML, DOCX), per-country "
            "briefing packs and a compendium from the YAML in data/. With no command, builds "
            "everything."
        ),
    )
    parser.add_argument("--version", action="version", version=f"briefing {_version()}")
    _add_root_option(parser)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    build_parser = commands.add_parser(
        "build", help="build every document (the default command)",
        description="Check the data, then write every sheet's .pdf, .html and .docx, every "
                    "country's pack and the compendium into reports/; --sheet limits the "
                    "build to those sheets' own documents.",
    )
    _add_build_options(build_parser, defaults=False)
    build_parser.set_defaults(handler=_run_build)
    packs_parser = commands.add_parser(
        "packs", help="build the per-country briefing packs",
        description="Write reports/packs/<cc>.pdf and .docx for every country an activity "
                    "names (host or participant), or only for those given with --country.",
    )
    _add_build_options(packs_parser, defaults=False, sheet=False)
    packs_parser.add_argument(
        "--country", action="append", default=None, metavar="CC",
        help="only this country's pack (ISO 3166-1 alpha-2; repeatable)",
    )
    packs_parser.set_defaults(handler=_run_build, targets=("packs",))
    compendium_parser = commands.add_parser(
        "compendium", help="build reports/compendium.pdf",
        description="Write every sheet, a contents and a participation matrix as one PDF.",
    )
    _add_build_options(compendium_parser, defaults=False, sheet=False)
    compendium_parser.set_defaults(handler=_run_build, targets=("compendium",))
    _add_docx_commands(commands)
    _add_check_command(commands)
    for command in commands.choices.values():
        _add_root_option(command, defaults=False)
    _add_build_options(parser)
    parser.set_defaults(handler=_run_build)
    return parser


def _add_root_option(parser: argparse.ArgumentParser, *, defaults: bool = True) -> None:
    """``--root``, accepted before the command and after it (as the build options)."""
    parser.add_argument(
        "--root", type=Path, default=None if defaults else argparse.SUPPRESS, metavar="DIR",
        help="project folder holding data/, templates/ and fonts/ (default: the current "
             "folder or the nearest one above it that holds them)",
    )


def _add_build_options(
    parser: argparse.ArgumentParser, *, defaults: bool = True, sheet: bool = True
) -> None:
    """The build options, accepted before the command and after it.

    Only the top-level parser sets defaults: a command's parser would otherwise
    overwrite what was given before the command name.
    """
    def default(value: object) -> object:
        return value if defaults else argparse.SUPPRESS

    parser.add_argument(
        "--output", type=Path, default=default(None), metavar="DIR",
        help="folder for the reports (default: reports/ in the project folder)",
    )
    parser.add_argument(
        "--draft", action="store_true", default=default(False),
        help="build even where translations are missing, with visible placeholders",
    )
    if sheet:
        parser.add_argument(
            "--sheet", action="append", default=default(None), metavar="ID",
            help="build only this sheet's own documents (repeatable; default: all sheets)",
        )
    parser.add_argument(
        "-j", "--jobs", type=_positive, default=default(None), metavar="N",
        help="documents rendered at once, in worker processes (default: one per core)",
    )
    parser.add_argument(
        "--force", action="store_true", default=default(False),
        help="rebuild every document, even those whose inputs have not changed",
    )


def _positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, not {text!r}")
    return int(text)


def _version() -> str:
    from . import __version__

    return __version__


#: What makes a folder a project's root, as ``.git`` makes a repository's.
PROJECT_MARKERS = ("data", "templates")


def find_root(start: Path) -> Path | None:
    """``start`` or the nearest folder above it holding ``data/`` and ``templates/``."""
    for folder in (start, *start.parents):
        if all((folder / marker).is_dir() for marker in PROJECT_MARKERS):
            return folder
    return None


def paths_of(args: argparse.Namespace) -> ProjectPaths:
    given: Path | None = args.root
    if given is not None:
        paths = ProjectPaths(given)
        if not paths.data.is_dir():
            raise UsageError(f"no data/ folder in {given}; pass the project folder to --root")
        return paths
    found = find_root(Path.cwd().resolve())
    if found is None:
        raise UsageError(f"no project here: neither {Path.cwd()} nor a folder above it holds "
                         "data/ and templates/; run inside the project or pass --root DIR")
    return ProjectPaths(found)


def _run_build(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    paths = paths_of(args)
    if args.sheet and getattr(args, "targets", TARGETS) != TARGETS:
        raise UsageError(f"--sheet builds sheets; it does not apply to '{args.command}'")
    options = BuildOptions(
        paths=paths,
        output_dir=args.output or paths.reports,
        draft=args.draft,
        sheets=args.sheet,
        targets=getattr(args, "targets", TARGETS),
        countries=getattr(args, "country", None),
        workers=args.jobs,
        force=args.force,
    )
    from .build.pipeline import build
    from .display import ProgressDisplay

    progress = ProgressDisplay(stdout)
    try:
        report = build(options, progress=progress,
                       warn=lambda line: print(line, file=stderr))
    finally:
        progress.close()
    for path in report.written:
        print(f"wrote {display_name(path, paths.root)}", file=stdout)
    print(f"{len(report.written)} file(s) written, {len(report.unchanged)} unchanged, "
          f"{len(report.up_to_date)} up to date", file=stdout)
    return 0


def _add_docx_commands(commands: Any) -> None:
    importer = commands.add_parser(
        "import-docx", help="carry a translator's edited DOCX back into the YAML",
        description="Read a sheet DOCX or review copy, write the texts (and review status "
                    "and comments) that changed into data/sheets/<sheet-id>.yaml, and print "
                    "each change. Stops on conflicts unless --theirs or --ours chooses.",
    )
    importer.add_argument("file", type=Path, metavar="FILE", help="the edited .docx")
    side = importer.add_mutually_exclusive_group()
    side.add_argument("--theirs", action="store_const", const="theirs", dest="resolution",
                      help="where both changed a text, take the DOCX's")
    side.add_argument("--ours", action="store_const", const="ours", dest="resolution",
                      help="where both changed a text, keep the YAML's")
    importer.add_argument("--dry-run", action="store_true",
                          help="print what would change, write nothing")
    importer.set_defaults(handler=_run_import, resolution="ask")
    review = commands.add_parser(
        "review", help="write a translator's review copy (DOCX) for one language",
        description="Write reports/review/<sheet-id>-<lang>.docx: key, source (read-only), "
                    "target, status and comment per unit; import it back with import-docx.",
    )
    review.add_argument("--lang", required=True, help="the target language, e.g. ru")
    review.add_argument("--sheet", action="append", default=None, metavar="ID",
                        help="only this sheet (repeatable; default: all sheets)")
    review.add_argument("--output", type=Path, default=None, metavar="DIR",
                        help="folder for the reports (default: reports/)")
    review.set_defaults(handler=_run_review)


def _run_import(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    from .word.merge import describe, import_docx

    paths = paths_of(args)
    report = import_docx(args.file, paths.data, paths.root, resolution=args.resolution,
                         dry_run=args.dry_run)
    for line in describe(report, dry_run=args.dry_run):
        print(line, file=stdout)
    return 0


def _run_review(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    from .build.output import commit
    from .build.review import review_outputs

    paths = paths_of(args)
    outputs = review_outputs(paths.data, paths.root, args.output or paths.reports, args.lang,
                             args.sheet)
    written = commit(outputs)
    for output in outputs:
        state = "wrote" if output.path in written else "unchanged"
        print(f"{state} {display_name(output.path, paths.root)}", file=stdout)
    return 0


def _add_check_command(commands: Any) -> None:
    check = commands.add_parser(
        "check", help="validate the data and run the translation checks",
        description="Validate the data files, then check every text pair: missing or "
                    "untranslated texts, wrong script, numbers, dates, countries, key terms, "
                    "addresses and typography. One line per finding, then a summary; exit "
                    "status 1 when there are errors.",
    )
    check.add_argument("paths", nargs="*", type=Path, metavar="PATH",
                       help="sheet files, or data/ or data/sheets/ (default: all of data/)")
    check.add_argument("--format", choices=("text", "json"), default="text",
                       help="text lines (default) or JSON for a CI")
    check.add_argument("--strict", action="store_true",
                       help="treat warnings as errors")
    check.set_defaults(handler=_run_check)


def _run_check(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    from .checks import check_project, sheets_for_paths
    from .checks.report import json_text, text_lines

    paths = paths_of(args)
    sheets = sheets_for_paths(args.paths, paths.data, paths.root) if args.paths else None
    result = check_project(paths.data, paths.root, sheets)
    if args.strict:
        result = result.strict()
    lines = [json_text(result)] if args.format == "json" else text_lines(result)
    for line in lines:
        print(line, file=stdout)
    return 1 if result.errors else 0


def main(
    argv: Sequence[str] | None = None,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
) -> int:
    out = stdout or sys.stdout
    err = stderr or sys.stderr
    try:
        args = make_parser().parse_args(argv)
        handler: Command = args.handler
        return handler(args, out, err)
    except BriefingError as error:
        for line in error.lines():
            print(line, file=err)
        return error.exit_code
    except BrokenPipeError:  # the reader went away (`… | head`): stop quietly
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1
    except SystemExit as exit_:  # --help and --version
        return exit_.code if isinstance(exit_.code, int) else 0
    except KeyboardInterrupt:
        print("Error: interrupted", file=err)
        return 130
