"""Reading YAML safely, keeping the line and column of every value.

PyYAML composes the node tree; this module turns it into plain Python values
itself, so that it can record where each value stands, refuse duplicate keys
(which PyYAML would silently overwrite), refuse non-standard tags and stop an
alias bomb before it expands.
"""

from __future__ import annotations

import os
import re
import stat
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..errors import DataError, Location, Problem
from .files import resolve_inside

MAX_FILE_BYTES = 1024 * 1024
#: The data folder's files: the country names, and the folder of the sheets.
COUNTRIES_FILE = "countries.yaml"
SHEETS_DIR = "sheets"
MAX_NODES = 200_000
MAX_DEPTH = 50

PathKey = tuple[str | int, ...]

_MAP_TAG = "tag:yaml.org,2002:map"
_STR_TAG = "tag:yaml.org,2002:str"
_SEQ_TAG = "tag:yaml.org,2002:seq"
_SAFE_SCALAR_TAGS = frozenset(
    f"tag:yaml.org,2002:{name}"
    for name in ("str", "int", "float", "bool", "null", "timestamp")
)

_Loader: type[yaml.SafeLoader | yaml.CSafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass
class YamlDocument:
    """Plain data read from one file, with the position of every value."""

    data: Any
    display_name: str
    value_marks: dict[PathKey, tuple[int, int]] = field(default_factory=dict)
    key_marks: dict[PathKey, tuple[int, int]] = field(default_factory=dict)
    #: Values that could not be read (left as ``None`` in ``data``); filled only
    #: when loading with ``collect=True``.
    problems: list[Problem] = field(default_factory=list)
    #: Unquoted values YAML read as something other than text (a number, a date,
    #: true/false, nothing), as written in the file: to show them quoted in a message.
    plain_scalars: dict[PathKey, str] = field(default_factory=dict)

    def location(self, path: PathKey, *, at_key: bool = False) -> Location:
        """Where ``path`` stands; falls back to the nearest enclosing value."""
        marks = self.key_marks if at_key else self.value_marks
        probe = path
        while probe not in marks and probe:
            if at_key and probe in self.value_marks:
                marks = self.value_marks
                break
            probe = probe[:-1]
            marks = self.value_marks
        line, column = marks.get(probe, (0, 0))
        return Location(self.display_name, line, column)

    def problem(self, path: PathKey, message: str, *, at_key: bool = False) -> Problem:
        return Problem(self.location(path, at_key=at_key), format_path(path), message)


def format_path(path: PathKey) -> str:
    """``('sections', 0, 'blocks', 2, 'start')`` → ``sections[0].blocks[2].start``."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else part
    return text


def display_name(path: Path, root: Path) -> str:
    """The path as the user knows it, and as locations name it: relative to the project
    when inside it. A link is named where it stands, not by its target (which may be
    outside)."""
    shown = path.resolve() if path.name in ("", ".", "..") else path.parent.resolve() / path.name
    try:
        return shown.relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path)


def load_yaml(path: Path, display_name: str, *, collect: bool = False) -> YamlDocument:
    """Read ``path`` or raise :class:`DataError` naming the file, line and column.

    With ``collect``, values that cannot be read (a date like 2010-13-03, a
    refused tag) are recorded in ``problems`` instead, so that the caller can
    report them together with everything else wrong in the file.
    """
    return parse_yaml(read_text(path, display_name), display_name, collect=collect)


def read_text(path: Path, display_name: str) -> str:
    """The UTF-8 text of the regular file ``path``, at most :data:`MAX_FILE_BYTES` of it.

    A FIFO, a device or a folder is refused before anything is read (opening
    without blocking, so that a FIFO with no writer cannot hang the reader), and
    no more than the cap is ever read, whatever the file claims its size is. A link
    that leads out of the file's own folder (``data/sheets/x.yaml`` to a file outside
    ``data/sheets/``) is refused before it is followed.
    """
    try:
        path = resolve_inside(path, path.parent)
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as error:
        raise _file_error(display_name, f"cannot read: {error.strerror}") from None
    try:
        status = os.fstat(descriptor)
        if not stat.S_ISREG(status.st_mode):
            os.close(descriptor)
            raise _file_error(display_name, "not a regular file; give a YAML file")
        with os.fdopen(descriptor, "rb") as stream:
            content = stream.read(MAX_FILE_BYTES + 1) if status.st_size <= MAX_FILE_BYTES \
                else b""
        if status.st_size > MAX_FILE_BYTES or len(content) > MAX_FILE_BYTES:
            raise _file_error(display_name, f"file is {max(status.st_size, len(content))} "
                                            f"bytes, larger than the {MAX_FILE_BYTES} bytes "
                                            "allowed")
        return content.decode("utf-8")
    except UnicodeDecodeError as error:
        raise _file_error(display_name, f"not UTF-8 text (byte {error.start}); save it "
                                        "as UTF-8") from None
    except OSError as error:
        raise _file_error(display_name, f"cannot read: {error.strerror}") from None


def parse_yaml(text: str, display_name: str, *, collect: bool = False) -> YamlDocument:
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as error:
        raise DataError([_syntax_problem(error, text, display_name)]) from None
    except yaml.reader.ReaderError as error:
        # A character YAML does not allow (NUL, ESC, U+FFFE …): where it stands, in one line.
        # The reader stops at its first occurrence; its own position counts bytes in libyaml.
        index = max(text.find(chr(error.character)), 0)
        line = text.count("\n", 0, index) + 1
        column = index - (text.rfind("\n", 0, index) + 1) + 1
        kind = {"Cc": " (a control character)", "Cn": " (a noncharacter)",
                "Cs": " (a surrogate)"}.get(unicodedata.category(chr(error.character)), "")
        raise DataError([Problem(Location(display_name, line, column), "",
                                 f"malformed YAML: character U+{error.character:04X}{kind} is "
                                 "not allowed in YAML; remove it")]) from None
    except yaml.YAMLError as error:
        raise _file_error(display_name, f"malformed YAML: {error}") from None
    finally:
        loader.dispose()
    document = YamlDocument(None, display_name)
    if node is None:
        return document
    builder = _Builder(loader, document)
    document.data = builder.build(node, ())
    if builder.problems and not collect:
        raise DataError(builder.problems)
    document.problems = builder.problems
    return document


#: ``key: value`` or ``- value`` or ``- key: value``: the value of a line, for quoting it.
_VALUE_LINE = re.compile(r"^(?P<lead>[ ]*(?:-[ ]+)*(?:[^\s#'\"\[\]{},][^:#]*?:[ ]+)?)"
                         r"(?P<value>[^ #].*?)[ ]*$")
#: What the parser says, in words that tell what went wrong in a text.
_UNQUOTED_REASONS = (
    ("mapping values are not allowed", 'a text holding ": " must be in quotes'),
    ("while scanning an alias", "a text that starts with {char} must be in quotes"),
    ("while scanning an anchor", "a text that starts with {char} must be in quotes"),
    ("cannot start any token", "a text that starts with {char} must be in quotes"),
    ("while scanning a block scalar", "a text that starts with {char} must be in quotes"),
    ("while scanning a quoted scalar", "a quotation mark opens the text but none closes it"),
    ("did not find expected key", "the text's own quotation marks end it early"),
)
_INDENTATION_REASONS = ("did not find expected key", "did not find expected '-' indicator",
                        "mapping values are not allowed", "expected <block end>")
_FLOW_CONTEXTS = {"while parsing a flow sequence": ("[", "]"),
                  "while parsing a flow mapping": ("{", "}")}
#: The longest text a message shows whole; longer ones are cut in the middle.
_SHOWN_CHARS = 70


def _syntax_problem(error: yaml.MarkedYAMLError, text: str, display_name: str) -> Problem:
    """One line for a file PyYAML cannot parse, saying what to write instead."""
    mark = error.problem_mark or error.context_mark
    if mark is None:
        return Problem(Location(display_name), "", f"malformed YAML: {error.problem or error}")
    lines = text.splitlines()
    line_index = min(mark.line, max(len(lines) - 1, 0))
    reason = error.problem or error.context or "malformed YAML"
    context = error.context or ""
    tab = _indenting_tab(lines, line_index, mark.column)
    if tab is not None:
        return Problem(Location(display_name, tab[0] + 1, tab[1] + 1), "",
                       "a tab indents this line; indent with spaces, not tabs")
    location = Location(display_name, mark.line + 1, mark.column + 1)
    candidates = [line_index, *_context_line(error, line_index), _owner_line(lines, line_index)]
    marks = [(m.line, m.column) for m in (error.problem_mark, error.context_mark) if m]
    fix = _quoting_fix(lines, candidates, marks)
    if fix is not None:
        fixed_line, column, first_char, suggestion = fix
        told = next((words for needle, words in _UNQUOTED_REASONS
                     if needle in reason or needle in context), None)
        told = told.replace("{char}", f'"{first_char}"') + ":" if told else \
            f"{reason}; put the text in quotes:"
        at = location if fixed_line == mark.line else \
            Location(display_name, fixed_line + 1, column)
        return Problem(at, "", f"malformed YAML: {told} {suggestion}")
    if context in _FLOW_CONTEXTS and error.context_mark is not None:
        opening, closing = _FLOW_CONTEXTS[context]
        return Problem(location, "", f"malformed YAML: the {opening} opened on line "
                                     f"{error.context_mark.line + 1} does not close where "
                                     f"expected: separate its items with commas, end it with "
                                     f"{closing}, and put quotes round a text holding \": \" or "
                                     "\",\"")
    if any(needle in reason for needle in _INDENTATION_REASONS):
        return Problem(location, "", "malformed YAML: this line is indented differently from "
                                     "the lines above it: indent the keys of one mapping, and "
                                     "the items of one list, by the same number of spaces")
    return Problem(location, "", f"malformed YAML: {reason}")


def _context_line(error: yaml.MarkedYAMLError, line_index: int) -> list[int]:
    mark = error.context_mark
    return [mark.line] if mark is not None and mark.line != line_index else []


def _indenting_tab(lines: list[str], line_index: int, column: int) -> tuple[int, int] | None:
    """Where a tab stands in the indentation of the failing line (or the lines before it,
    back to the last one indented with spaces only)."""
    for index in range(line_index, -1, -1):
        line = lines[index] if index < len(lines) else ""
        indent = line[: len(line) - len(line.lstrip(" \t"))]
        if "\t" in indent:
            return index, indent.index("\t")
        if index == line_index and "\t" in line[column:column + 1]:
            return index, column
        if line.strip():
            return None
    return None


def _owner_line(lines: list[str], line_index: int) -> int:
    """The line a continued text starts on: the nearest one above that is less indented."""
    if line_index >= len(lines):
        return line_index
    indent = len(lines[line_index]) - len(lines[line_index].lstrip(" "))
    for index in range(line_index - 1, -1, -1):
        line = lines[index]
        if line.strip() and len(line) - len(line.lstrip(" ")) < indent:
            return index
    return line_index


def _quoting_fix(
    lines: list[str], candidates: list[int], marks: list[tuple[int, int]]
) -> tuple[int, int, str, str] | None:
    """``(line, column, first character, 'key: "value"')`` when the error stands in that
    line's text (``marks``: where the parser stopped) and quoting the text lets the parser
    read past it."""
    for index in dict.fromkeys(candidates):
        match = _VALUE_LINE.match(lines[index]) if index < len(lines) else None
        if match is None or not match["lead"].strip():
            continue  # only the text after a key or a list's dash is quoted
        value = match["value"]
        if value.startswith(("[", "{")):
            continue  # a list or mapping left open: not a text to quote
        last = _continuation_end(lines, index)
        start = len(match["lead"])
        if not any(index < line <= last or (line == index and column >= start)
                   for line, column in marks):
            continue
        quoted = _quoted(" ".join([value, *(line.strip() for line in lines[index + 1:last + 1])]))
        if quoted is None or not _reads_past([*lines[:index], match["lead"] + quoted,
                                              *lines[last + 1:]], index):
            continue
        shown = quoted if len(quoted) <= _SHOWN_CHARS else \
            quoted[: _SHOWN_CHARS // 2] + " … " + quoted[-_SHOWN_CHARS // 2:]
        return index, start + 1, value[:1], f"{match['lead'].strip()} {shown}"
    return None


def _continuation_end(lines: list[str], index: int) -> int:
    """The last line of a plain text that goes on over the following, more indented lines."""
    key_column = len(lines[index]) - len(lines[index].lstrip(" -"))
    last = index
    for following in range(index + 1, len(lines)):
        line = lines[following]
        if not line.strip():
            break
        indent = len(line) - len(line.lstrip(" "))
        if indent <= key_column or line.lstrip().startswith(("- ", "#")) or \
                re.match(r"^[^\s:#]+:( |$)", line.lstrip()):
            break
        last = following
    return last


def _quoted(value: str) -> str | None:
    """``value`` as a quoted YAML text: in double quotes unless it holds some."""
    if value[:1] in "\"'" and value.count(value[0]) == 1:
        value = value[1:]  # a quotation mark that opens the text and nothing closes
    elif len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        value = value[1:-1]  # quotes round a text that also holds quotes
    if not value.strip():
        return None
    if '"' not in value and "\\" not in value:
        return f'"{value}"'
    if "'" not in value:
        return f"'{value}'"
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _reads_past(lines: list[str], index: int) -> bool:
    """Whether ``lines`` parse, or stop only after the line ``index`` (another mistake)."""
    loader = _Loader("\n".join(lines) + "\n")
    try:
        loader.get_single_node()
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        return mark is not None and mark.line > index
    except yaml.YAMLError:
        return False
    finally:
        loader.dispose()
    return True


def _file_error(display_name: str, message: str) -> DataError:
    return DataError([Problem(Location(display_name), "", message)])


class _Builder:
    def __init__(self, loader: yaml.SafeLoader | yaml.CSafeLoader, document: YamlDocument) -> None:
        self.loader = loader
        self.document = document
        self.problems: list[Problem] = []
        self.nodes_seen = 0
        #: Collections being built, innermost last: an alias to one of them is a loop.
        self.open_nodes: list[yaml.Node] = []

    def _mark(self, node: yaml.Node) -> tuple[int, int]:
        return node.start_mark.line + 1, node.start_mark.column + 1

    def _fail(self, node: yaml.Node, path: PathKey, message: str) -> None:
        line, column = self._mark(node)
        self.problems.append(
            Problem(Location(self.document.display_name, line, column), format_path(path), message)
        )

    def build(self, node: yaml.Node, path: PathKey) -> Any:
        self.nodes_seen += 1
        if self.nodes_seen > MAX_NODES:
            if self.nodes_seen == MAX_NODES + 1:
                self._fail(node, path, f"more than {MAX_NODES} values once aliases are "
                                       "expanded; refusing to expand further")
            return None
        self.document.value_marks.setdefault(path, self._mark(node))
        if isinstance(node, yaml.CollectionNode):
            if any(node is open_node for open_node in self.open_nodes):
                self._fail(node, path, "an alias refers to a value that contains it")
                return None
            if len(self.open_nodes) >= MAX_DEPTH:
                self._fail(node, path, f"nested more than {MAX_DEPTH} levels deep")
                return None
            self.open_nodes.append(node)
            try:
                return self._collection(node, path)
            finally:
                self.open_nodes.pop()
        if node.tag not in _SAFE_SCALAR_TAGS:
            self._fail(node, path, f"tag {node.tag} is not allowed; remove it")
            return None
        if node.tag != _STR_TAG and not getattr(node, "style", None):
            self.document.plain_scalars[path] = node.value
        try:
            return self.loader.construct_object(node, deep=True)
        except yaml.YAMLError as error:
            self._fail(node, path, f"cannot read value: {getattr(error, 'problem', error)}")
            return None
        except (ValueError, OverflowError) as error:  # e.g. a timestamp like 2010-13-03
            kind = {"timestamp": "date"}.get(node.tag.rsplit(":", 1)[-1], "value")
            self._fail(node, path, f"not a valid {kind}: {node.value!r} ({error})")
            return None

    def _collection(self, node: yaml.CollectionNode, path: PathKey) -> Any:
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path)
        if node.tag != _SEQ_TAG:
            self._fail(node, path, f"tag {node.tag} is not allowed; remove it")
            return None
        return [self.build(item, (*path, index)) for index, item in enumerate(node.value)]

    def _mapping(self, node: yaml.MappingNode, path: PathKey) -> dict[Any, Any] | None:
        if node.tag != _MAP_TAG:
            self._fail(node, path, f"tag {node.tag} is not allowed; remove it")
            return None
        result: dict[Any, Any] = {}
        first_seen: dict[Any, int] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag not in _SAFE_SCALAR_TAGS:
                self._fail(key_node, path, "keys must be plain text (no merge keys or tags); "
                                           "write the key out")
                continue
            key = self.loader.construct_object(key_node)
            if not isinstance(key, str | int) or isinstance(key, bool):
                self._fail(key_node, path, f"key {key!r} must be text; put it in quotes: "
                                           f"\"{key_node.value}\":")
                continue
            key_path = (*path, key)
            if key in first_seen:
                self._fail(key_node, key_path,
                           f"duplicate key (first defined on line {first_seen[key]}); "
                           "keep one of them")
                continue
            first_seen[key] = key_node.start_mark.line + 1
            self.document.key_marks[key_path] = self._mark(key_node)
            result[key] = self.build(value_node, key_path)
        return result
