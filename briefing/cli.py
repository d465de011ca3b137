"""The command line: parses arguments, calls the package, prints errors as lines.

``main(argv, stdout, stderr)`` lets tests inject every input and read every
output; a :class:`~briefing.errors.BriefingError` becomes ``Error: …`` (or one
line per data problem) and its exit code, never a traceback.
"""

from __future__ import annotations

import argparse
import atexit
import contextlib
import gc
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from functools import cache
from pathlib import Path
from typing import Any, TextIO

from .build.options import TARGETS, BuildOptions, ProjectPaths
from .errors import BriefingError, UsageError

# Every command imports what it needs when it runs: ``--help`` loads no YAML reader, and
# ``check`` answered from the cache loads no model (see briefing.build.cache).

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
    parser.add_argument("--version", action=_VersionAction)
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
    watch_parser = commands.add_parser(
        "watch", help="build, then rebuild what each save under data/, templates/ or "
                      "fonts/ changes",
        description="Build as 'build' does, then wait: on every save under data/, "
                    "templates/ or fonts/, check the data and rebuild exactly the documents "
                    "whose inputs changed, in this process with the renderer already "
                    "loaded. An error in the data is printed and the watch goes on; the "
                    "previous reports stay. Ctrl-C stops.",
    )
    _add_build_options(watch_parser, defaults=False)
    watch_parser.set_defaults(handler=_run_watch)
    _add_docx_commands(commands)
    _add_check_command(commands)
    _add_sheet_commands(commands)
    for command in commands.choices.values():
        _add_root_option(command, defaults=False)
    _add_build_options(parser)
    parser.set_defaults(handler=_run_build)
    return parser


def _add_root_option(parser: argparse.ArgumentParser, *, defaults: bool = True) -> None:
    """``--root`` and ``--data``, accepted before the command and after it (as the build
    options)."""
    parser.add_argument(
        "--root", type=Path, default=None if defaults else argparse.SUPPRESS, metavar="DIR",
        help="project folder holding data/, templates/ and fonts/ (default: the current "
             "folder or the nearest one above it that holds them)",
    )
    parser.add_argument(
        "--data", type=Path, default=None if defaults else argparse.SUPPRESS, metavar="DIR",
        help="read the countries, glossary and sheets from this folder instead of the "
             "project's data/ (e.g. examples/data, the fictional sample); its reports go to "
             "reports/<name>/ (reports/examples/) unless --output says otherwise",
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


class _VersionAction(argparse.Action):
    """``--version``, as argparse's own, but reading the version (importlib.metadata, a
    tenth of what ``check`` takes) only when asked for it."""

    def __init__(self, option_strings: Sequence[str], dest: str = argparse.SUPPRESS,
                 default: str = argparse.SUPPRESS, help: str | None = None) -> None:
        super().__init__(option_strings, dest, nargs=0, default=default,
                         help=help or "show program's version number and exit")

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace,
                 values: Any, option_string: str | None = None) -> None:
        print(f"briefing {_version()}", file=sys.stdout)
        parser.exit()


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
    data: Path | None = getattr(args, "data", None)
    if given is not None:
        paths = ProjectPaths(given)
        if data is None and not paths.data.is_dir():
            raise UsageError(f"no data/ folder in {given}; pass the project folder to --root")
    else:
        found = find_root(Path.cwd().resolve())
        if found is None:
            raise UsageError(f"no project here: neither {Path.cwd()} nor a folder above it "
                             "holds data/ and templates/; run inside the project or pass "
                             "--root DIR")
        paths = ProjectPaths(found)
    if data is None:
        return paths
    from .core.yamlio import COUNTRIES_FILE

    if not data.is_dir():
        raise UsageError(f"--data {data}: no such folder")
    if not (data / COUNTRIES_FILE).is_file():
        raise UsageError(f"--data {data}: no {COUNTRIES_FILE} in it; a data folder holds "
                         f"{COUNTRIES_FILE} and sheets/ (as data/ does)")
    return ProjectPaths(paths.root, data_dir=data.resolve())


def _build_options(args: argparse.Namespace, *, workers: int | None = None) -> BuildOptions:
    paths = paths_of(args)
    if args.sheet and getattr(args, "targets", TARGETS) != TARGETS:
        raise UsageError(f"--sheet builds sheets; it does not apply to '{args.command}'")
    return BuildOptions(
        paths=paths,
        output_dir=args.output or paths.reports,
        draft=args.draft,
        sheets=args.sheet,
        targets=getattr(args, "targets", TARGETS),
        countries=getattr(args, "country", None),
        workers=args.jobs or workers,
        force=args.force,
    )


def _run_watch(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    from .build.watch import watch

    # One worker by default: the documents render in this process, which stays warm.
    watch(_build_options(args, workers=1), lambda line: print(line, file=stdout, flush=True))
    return 0


def _run_build(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    options = _build_options(args)
    paths = options.paths
    from .build.early import started_early

    # What the build will likely need, started beside the imports and reading that follow.
    with _fewer_full_collections(), started_early(options):
        from .build.pipeline import build
        from .display import ProgressDisplay

        progress = ProgressDisplay(stdout)
        try:
            report = build(options, progress=progress,
                           warn=lambda line: print(line, file=stderr))
        finally:
            progress.close()
    from .core.yamlio import display_name

    for path in report.written:
        print(f"wrote {display_name(path, paths.root)}", file=stdout)
    for path in report.removed:
        print(f"removed {display_name(path, paths.root)} (its document is no longer made)",
              file=stdout)
    print(f"{len(report.written)} file(s) written, {len(report.unchanged)} unchanged, "
          f"{len(report.up_to_date)} up to date", file=stdout)
    return 0


@contextlib.contextmanager
def _fewer_full_collections() -> Iterator[None]:
    """A build makes many objects that live as long as it (the modules it loads, the data,
    the laid-out pages): the garbage collector's full collections, which traverse them all,
    are made ten times rarer while it runs (0.23 → 0.09 s of collecting in a one-sheet
    build rendered here), then as they were."""
    thresholds = gc.get_threshold()
    gc.set_threshold(thresholds[0], thresholds[1], max(thresholds[2], 100))
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)


def _add_docx_commands(commands: Any) -> None:
    importer = commands.add_parser(
        "import-docx", help="carry an edited DOCX (sheet or review copy) back into the YAML",
        description="Read a sheet DOCX or review copy, write what changed into "
                    "data/sheets/<sheet-id>.yaml (texts, rows added or moved, contact fields, "
                    "review status and comments) and print each change. Rows deleted in the "
                    "DOCX are removed only with --allow-delete. Any edit that cannot come "
                    "back is listed and nothing is written, unless --partial; texts changed "
                    "in both the YAML and the DOCX stop the import unless --theirs or --ours "
                    "chooses.",
    )
    importer.add_argument("file", type=Path, metavar="FILE", help="the edited .docx")
    importer.add_argument("--theirs", nargs="*", metavar="KEY", default=None,
                          help="where both changed a text, take the DOCX's (for every unit, "
                               "or only for the keys named)")
    importer.add_argument("--ours", nargs="*", metavar="KEY", default=None,
                          help="where both changed a text, keep the YAML's (for every unit, "
                               "or only for the keys named)")
    importer.add_argument("--allow-delete", action="store_true",
                          help="remove from the YAML the units whose rows were deleted")
    importer.add_argument("--partial", action="store_true",
                          help="write every acceptable edit and list the refused ones")
    importer.add_argument("--dry-run", action="store_true",
                          help="print what would change, write nothing")
    importer.set_defaults(handler=_run_import)
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
    from .word.merge import ImportOptions, describe, import_docx

    paths = paths_of(args)
    options = ImportOptions(_resolution(args.theirs, args.ours), dry_run=args.dry_run,
                            allow_delete=args.allow_delete, partial=args.partial)
    report = import_docx(args.file, paths.data, paths.root, options)
    for line in describe(report, dry_run=args.dry_run):
        print(line, file=stdout)
    return 1 if report.refused else 0


def _resolution(theirs: list[str] | None, ours: list[str] | None) -> Any:
    """``--theirs``/``--ours`` alone choose for every unit; with keys, for those."""
    from .word.merge import Resolution, Side

    if theirs == [] and ours == []:
        raise UsageError("--theirs and --ours without keys contradict each other; name keys")
    everything: Side | None = "theirs" if theirs == [] else "ours" if ours == [] else None
    keys: dict[str, Side] = {key: "theirs" for key in theirs or []}
    for key in ours or []:
        if key in keys:
            raise UsageError(f"{key} is given to both --theirs and --ours")
        keys[key] = "ours"
    return Resolution(everything, keys)


def _run_review(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    from .build.output import commit
    from .build.review import review_outputs
    from .core.yamlio import display_name

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
                       help="sheet files (anywhere: a file not yet in data/sheets/ is checked "
                            "against the project's countries, glossary and labels), or data/ "
                            "or data/sheets/ (default: all of data/)")
    check.add_argument("--format", choices=("text", "json"), default="text",
                       help="text lines (default) or JSON for a CI")
    check.add_argument("--strict", action="store_true",
                       help="treat warnings as errors")
    check.add_argument("--draft", action="store_true",
                       help="report missing translations as warnings, as a draft build "
                            "takes them")
    check.set_defaults(handler=_run_check)


def _run_check(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    from .build.cache import check_with_cache
    from .checks.report import json_text, text_lines

    paths = paths_of(args)
    # What was checked before with the same inputs is read from the cache of the project's
    # reports folder (as ruff and mypy keep theirs), the same lines as checking it again.
    result = check_with_cache(paths.data, paths.root, paths.reports, args.paths,
                              draft=args.draft)
    if args.strict:
        result = result.strict()
    lines = [json_text(result)] if args.format == "json" else text_lines(result)
    for line in lines:
        print(line, file=stdout)
    return 1 if result.errors else 0


def _add_sheet_commands(commands: Any) -> None:
    new = commands.add_parser(
        "new", help="start a new organisation's sheet: its YAML and a DOCX to fill in",
        description="Write data/sheets/ID.yaml (every section, placeholders and commented "
                    "examples; a draft awaiting its texts and translations) and "
                    "reports/ID.docx, the sheet DOCX for the organisation to fill in with "
                    "Word; import it back with import-docx.",
    )
    new.add_argument("id", metavar="ID",
                     help="the sheet id: lower-case letters, digits and '-'")
    new.add_argument("--organisation", required=True, metavar="NAME",
                     help="the organisation's name in English")
    new.add_argument("--organisation-ru", default=None, metavar="NAME",
                     help="its name in Russian (default: left awaiting translation)")
    new.add_argument("--output", type=Path, default=None, metavar="DIR",
                     help="folder for the DOCX (default: reports/)")
    new.set_defaults(handler=_run_new)
    listing = commands.add_parser(
        "list", help="list the sheets and the countries",
        description="Print every sheet (id, organisation, languages, units missing a "
                    "translation) and every country (code, English name).",
    )
    listing.set_defaults(handler=_run_list)


def _run_new(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    from .build.newsheet import start_sheet
    from .core.yamlio import display_name

    paths = paths_of(args)
    made = start_sheet(paths, args.id, args.organisation, args.organisation_ru,
                       args.output or paths.reports)
    docx = display_name(made.docx, paths.root)
    print(f"wrote {display_name(made.yaml, paths.root)}", file=stdout)
    print(f"wrote {docx}", file=stdout)
    print(f"Send {docx} to the organisation; bring the filled-in file back with "
          "`python3 generate.py import-docx FILE.docx`.", file=stdout)
    return 0


def _run_list(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    from .core.listing import listing
    from .core.load import read_project

    paths = paths_of(args)
    loaded, _problems = read_project(paths.data, paths.root)
    for line in listing(loaded, paths.data, paths.root):
        print(line, file=stdout)
    return 0


def main(
    argv: Sequence[str] | None = None,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
) -> int:
    """Run the command line ``argv`` (default: this process's own); returns the exit
    status."""
    _freeze_at_exit()
    return _main(argv, stdout or sys.stdout, stderr or sys.stderr)


@cache
def _freeze_at_exit() -> None:
    """When the process ends, freeze what it made out of the garbage collector, which would
    otherwise traverse it all once more on the way out: a tenth of a second after a build,
    spent after the last file is written. (Every file this tool writes is closed when
    written; nothing waits for the collector to flush it.)"""
    atexit.register(gc.freeze)


def _main(argv: Sequence[str] | None, out: TextIO, err: TextIO) -> int:
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
