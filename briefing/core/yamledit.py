"""Round-trip edits of a sheet's YAML: change some texts, keep everything else as written.

ruamel.yaml keeps comments, key order, flow mappings and quoting; this module
only decides how a replaced text is written: in the style the old one had
(a folded ``>-`` block stays folded, re-wrapped to the file's width), or folded
when a plain text grows past the line.
"""

from __future__ import annotations

import io
import itertools
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

import yaml
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError
from ruamel.yaml.scalarstring import (
    DoubleQuotedScalarString,
    FoldedScalarString,
    SingleQuotedScalarString,
)

from ..errors import DataError, Location, Problem

PathKey = Sequence[str | int]
#: Lines are wrapped at the file's longest line, within these bounds.
MIN_WIDTH, MAX_WIDTH, DEFAULT_WIDTH = 72, 100, 92
_INDENT = 2
_YAML11 = yaml.resolver.Resolver()
_STR_TAG = "tag:yaml.org,2002:str"


def _yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096  # never re-wrap what is already there
    yaml.indent(mapping=_INDENT, sequence=2 * _INDENT, offset=_INDENT)
    return yaml


class YamlEditor:
    """One YAML file, loaded for editing; :meth:`text` is the file as it should be written."""

    def __init__(self, text: str, display_name: str) -> None:
        self.display_name = display_name
        try:
            self.data = _yaml().load(text)
        except YAMLError as error:
            raise DataError([Problem(Location(display_name), "",
                                     f"cannot edit: {error}")]) from None
        if not isinstance(self.data, CommentedMap):
            raise DataError([Problem(Location(display_name), "", "expected a mapping")])
        widest = max(_folded_widths(self.data), default=DEFAULT_WIDTH)
        self.width = min(MAX_WIDTH, max(MIN_WIDTH, widest))

    def node(self, path: PathKey) -> Any:
        current = self.data
        for part in path:
            current = current[part]
        return current

    def get_text(self, path: PathKey, lang: str) -> str | None:
        mapping = self.node(path)
        value = mapping.get(lang)
        return None if value is None else str(value)

    def set_text(self, path: PathKey, lang: str, text: str) -> None:
        """Set the ``lang`` text of the language mapping at ``path``."""
        mapping = self.node(path)
        old = mapping.get(lang)
        mapping[lang] = self._styled(mapping, lang, old, text)

    def set_review(self, lang: str, key: str, status: str, comment: str,
                   source_hash: str = "") -> None:
        """``review: {lang: {key: {status, comment, source_hash}}}`` at the end of the file;
        no status and no comment removes the entry."""
        review = self.data.setdefault("review", CommentedMap())
        entries = review.setdefault(lang, CommentedMap())
        if not status and not comment:
            entries.pop(key, None)
            if not entries:
                review.pop(lang)
            if not review:
                self.data.pop("review")
            return
        entry = entries.setdefault(key, CommentedMap())
        for name, value in (("status", status), ("comment", comment),
                            ("source_hash", source_hash or entry.get("source_hash", ""))):
            if value:
                entry[name] = self._styled(entry, name, entry.get(name), value)
            else:
                entry.pop(name, None)

    def set_value(self, path: PathKey, name: str, value: object) -> None:
        """Set a scalar or a list of scalars (a date, a country code, a telephone number)."""
        mapping = self.node(path)
        if value is None:
            mapping.pop(name, None)
            return
        if isinstance(value, list):
            old = mapping.get(name)
            new = CommentedSeq(value)
            if not isinstance(old, CommentedSeq) or old.fa.flow_style():
                new.fa.set_flow_style()  # as the data writes country lists: [KG, TJ]
            mapping[name] = new
            return
        if isinstance(value, str):
            mapping[name] = self._styled(mapping, name, mapping.get(name), value)
            return
        mapping[name] = value

    def arrange(self, path: PathKey, items: Sequence[Mapping[str, Any]],
                flow: Sequence[str] = ()) -> None:
        """Make the list at ``path`` hold ``items`` in this order: items already in it (found
        by identity) keep their comments and style; new ones are added as block mappings."""
        sequence = self.node(path)
        column = self._item_column(sequence)
        new_items = [item if isinstance(item, CommentedMap) else self._mapping(item, column, flow)
                     for item in items]
        while len(sequence):
            del sequence[len(sequence) - 1]
        sequence.extend(new_items)

    def _item_column(self, sequence: Any) -> int:
        """The column where the keys of the list's mappings start."""
        for item in sequence:
            if isinstance(item, CommentedMap):
                column = _key_column(item, next(iter(item), ""))
                if column:
                    return column
        return 0

    def _mapping(self, values: Mapping[str, Any], column: int,
                 flow: Sequence[str]) -> CommentedMap:
        """A new block mapping, texts styled as the file writes them; the mappings named in
        ``flow`` on one line (``city: {en: Tashkent, ru: Ташкент}``)."""
        mapping = CommentedMap()
        for name, value in values.items():
            if isinstance(value, Mapping) and name in flow:
                inline = CommentedMap(value)
                inline.fa.set_flow_style()
                mapping[name] = inline
            elif isinstance(value, Mapping):
                # The texts of a new unit fold as the others do, one level deeper.
                mapping[name] = CommentedMap(
                    (lang, self._styled_at(column + _INDENT, lang, str(text)))
                    for lang, text in value.items())
            elif isinstance(value, list):
                sequence = CommentedSeq(value)
                sequence.fa.set_flow_style()
                mapping[name] = sequence
            else:
                mapping[name] = value
        return mapping

    def _styled_at(self, column: int, key: str, text: str) -> Any:
        room = self.width - column - _INDENT
        if _can_fold(text) and column + len(key) + 2 + len(text) > self.width:
            return _folded(text, room)
        if _YAML11.resolve(yaml.ScalarNode, text, (True, False)) != _STR_TAG:  # type: ignore[no-untyped-call]
            return SingleQuotedScalarString(text)
        return text

    def text(self) -> str:
        out = io.StringIO()
        _yaml().dump(self.data, out)
        return out.getvalue()

    def _styled(self, mapping: CommentedMap, key: str, old: Any, text: str) -> Any:
        column = _key_column(mapping, key)
        room = self.width - column - _INDENT
        too_long = column + len(key) + 2 + len(text) > self.width
        in_flow = mapping.fa.flow_style()  # block scalars cannot stand inside { … }
        if not in_flow and _can_fold(text) and (isinstance(old, FoldedScalarString) or too_long):
            return _folded(text, room)
        if isinstance(old, SingleQuotedScalarString | DoubleQuotedScalarString):
            return type(old)(text)
        if _YAML11.resolve(yaml.ScalarNode, text, (True, False)) != _STR_TAG:  # type: ignore[no-untyped-call]
            # "yes", "no", "on" are text to ruamel (YAML 1.2) but booleans to PyYAML (1.1),
            # which reads the data: quote them.
            return SingleQuotedScalarString(text)
        return text


def _folded_widths(node: Any) -> Iterator[int]:
    """The longest line of each folded text already in the file: its wrapping width."""
    if isinstance(node, CommentedMap):
        for key, value in node.items():
            if isinstance(value, FoldedScalarString):
                column = _key_column(node, key) + _INDENT
                cuts = [-1, *getattr(value, "fold_pos", []), len(value)]
                yield column + max(b - a - 1 for a, b in itertools.pairwise(cuts))
            else:
                yield from _folded_widths(value)
    elif isinstance(node, list):
        for item in node:
            yield from _folded_widths(item)


def _key_column(mapping: CommentedMap, key: str) -> int:
    """Column of ``key`` in the file (or of its siblings, for a new key)."""
    for name in [key, *mapping.keys()]:
        try:
            return int(mapping.lc.key(name)[1])
        except (KeyError, TypeError, AttributeError):
            continue
    return 0


def _can_fold(text: str) -> bool:
    """A folded block cannot start or end with a space, nor hold line breaks or tabs."""
    return bool(text) and text == text.strip() and not any(c in text for c in "\n\r\t") \
        and "  " not in text


def _folded(text: str, room: int) -> FoldedScalarString:
    """``text`` as a ``>-`` block, broken at spaces so that no line exceeds ``room``."""
    folded: FoldedScalarString = FoldedScalarString(text)
    positions = []
    line_start = 0
    last_space = -1
    for index, char in enumerate(text):
        if char == " ":
            if index - line_start > room and last_space > line_start:
                positions.append(last_space)
                line_start = last_space + 1
            last_space = index
    if len(text) - line_start > room and last_space > line_start:
        positions.append(last_space)
    folded.fold_pos = positions  # type: ignore[attr-defined]
    return folded
