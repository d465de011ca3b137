"""Reading YAML safely, keeping the line and column of every value.

PyYAML composes the node tree; this module turns it into plain Python values
itself, so that it can record where each value stands, refuse duplicate keys
(which PyYAML would silently overwrite), refuse non-standard tags and stop an
alias bomb before it expands.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..errors import DataError, Location, Problem

MAX_FILE_BYTES = 1024 * 1024
MAX_NODES = 200_000
MAX_DEPTH = 50

PathKey = tuple[str | int, ...]

_MAP_TAG = "tag:yaml.org,2002:map"
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


def load_yaml(path: Path, display_name: str, *, collect: bool = False) -> YamlDocument:
    """Read ``path`` or raise :class:`DataError` naming the file, line and column.

    With ``collect``, values that cannot be read (a date like 2010-13-03, a
    refused tag) are recorded in ``problems`` instead, so that the caller can
    report them together with everything else wrong in the file.
    """
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise _file_error(display_name, f"file is {size} bytes, larger than the "
                                            f"{MAX_FILE_BYTES} bytes allowed")
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise _file_error(display_name, f"not UTF-8 text (byte {error.start})") from None
    except OSError as error:
        raise _file_error(display_name, f"cannot read: {error.strerror}") from None
    return parse_yaml(text, display_name, collect=collect)


def parse_yaml(text: str, display_name: str, *, collect: bool = False) -> YamlDocument:
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        location = Location(display_name, mark.line + 1, mark.column + 1) if mark else \
            Location(display_name)
        reason = error.problem or error.context or "malformed YAML"
        raise DataError([Problem(location, "", f"malformed YAML: {reason}")]) from None
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
            self._fail(node, path, f"tag {node.tag} is not allowed")
            return None
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
            self._fail(node, path, f"tag {node.tag} is not allowed")
            return None
        return [self.build(item, (*path, index)) for index, item in enumerate(node.value)]

    def _mapping(self, node: yaml.MappingNode, path: PathKey) -> dict[Any, Any] | None:
        if node.tag != _MAP_TAG:
            self._fail(node, path, f"tag {node.tag} is not allowed")
            return None
        result: dict[Any, Any] = {}
        first_seen: dict[Any, int] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag not in _SAFE_SCALAR_TAGS:
                self._fail(key_node, path, "keys must be plain scalars (no merge keys or tags)")
                continue
            key = self.loader.construct_object(key_node)
            if not isinstance(key, str | int) or isinstance(key, bool):
                self._fail(key_node, path, f"key {key!r} must be text")
                continue
            key_path = (*path, key)
            if key in first_seen:
                self._fail(key_node, key_path,
                           f"duplicate key (first defined on line {first_seen[key]})")
                continue
            first_seen[key] = key_node.start_mark.line + 1
            self.document.key_marks[key_path] = self._mark(key_node)
            result[key] = self.build(value_node, key_path)
        return result
