from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from briefing.core import yamlio
from briefing.core.yamlio import MAX_FILE_BYTES, format_path, load_yaml, parse_yaml
from briefing.errors import DataError


def problems_of(text: str) -> list[str]:
    with pytest.raises(DataError) as caught:
        parse_yaml(text, "data/x.yaml")
    return caught.value.lines()


def test_values_keep_their_line_and_column() -> None:
    document = parse_yaml("a:\n  b: [1, 2]\n  c: text\n", "data/x.yaml")
    assert document.data == {"a": {"b": [1, 2], "c": "text"}}
    assert str(document.location(("a", "c"))) == "data/x.yaml:3:6"
    assert str(document.location(("a", "b", 1))) == "data/x.yaml:2:10"
    assert str(document.location(("a", "c"), at_key=True)) == "data/x.yaml:3:3"


def test_unknown_paths_fall_back_to_the_nearest_enclosing_value() -> None:
    document = parse_yaml("a:\n  b: 1\n", "data/x.yaml")
    assert str(document.location(("a", "missing", 3))) == "data/x.yaml:2:3"


def test_duplicate_keys_are_refused() -> None:
    assert problems_of("a: 1\nb: 2\na: 3\n") == [
        "data/x.yaml:3:1: a: duplicate key (first defined on line 1); keep one of them"
    ]


def test_malformed_yaml_names_line_and_column() -> None:
    assert problems_of("a: [1, 2\nb: 3\n") == [
        "data/x.yaml:2:2: malformed YAML: the [ opened on line 1 does not close where expected: "
        'separate its items with commas, end it with ], and put quotes round a text holding ": " '
        'or ","'
    ]


def test_python_object_tags_are_refused() -> None:
    assert problems_of("a: !!python/object/apply:os.system ['true']\n") == [
        "data/x.yaml:1:4: a: tag tag:yaml.org,2002:python/object/apply:os.system is not "
        "allowed; remove it"
    ]


def test_custom_tags_on_scalars_are_refused() -> None:
    assert problems_of("a: !secret value\n") == [
        "data/x.yaml:1:4: a: tag !secret is not allowed; remove it"]


def test_alias_bomb_stops_before_expanding() -> None:
    lines = ['a0: &a0 ["x", "x", "x", "x", "x", "x", "x", "x", "x", "x"]']
    for level in range(1, 9):
        previous = f"*a{level - 1}"
        lines.append(f"a{level}: &a{level} [{', '.join([previous] * 10)}]")
    problems = problems_of("\n".join(lines) + "\n")
    assert len(problems) == 1
    assert "more than 200000 values once aliases are expanded" in problems[0]


def test_invalid_dates_are_collected_not_raised() -> None:
    document = parse_yaml("start: 2010-13-03\n", "data/x.yaml", collect=True)
    assert document.data == {"start": None}
    assert [str(p) for p in document.problems] == [
        "data/x.yaml:1:8: start: not a valid date: '2010-13-03' (month must be in 1..12)"
    ]


def test_oversized_and_non_utf8_files_are_refused(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    big.write_bytes(b"a: " + b"x" * MAX_FILE_BYTES + b"\n")
    with pytest.raises(DataError) as caught:
        load_yaml(big, "data/big.yaml")
    assert caught.value.lines() == [
        f"data/big.yaml: file is {MAX_FILE_BYTES + 4} bytes, larger than the "
        f"{MAX_FILE_BYTES} bytes allowed"
    ]
    latin = tmp_path / "latin.yaml"
    latin.write_bytes("a: caf\xe9\n".encode("latin-1"))
    with pytest.raises(DataError) as caught:
        load_yaml(latin, "data/latin.yaml")
    assert caught.value.lines() == ["data/latin.yaml: not UTF-8 text (byte 6); save it as UTF-8"]


def test_format_path() -> None:
    assert format_path(("sections", 0, "blocks", 2, "start")) == "sections[0].blocks[2].start"
    assert format_path(()) == ""


def test_an_alias_that_contains_itself_is_refused() -> None:
    assert problems_of("id: bad\nlanguages: &a [*a]\n") == [
        "data/x.yaml:2:12: languages[0]: an alias refers to a value that contains it"
    ]


def test_deep_nesting_is_refused() -> None:
    problems = problems_of("a: " + "[" * 60 + "]" * 60 + "\n")
    assert len(problems) == 1
    assert problems[0].endswith(": nested more than 50 levels deep")


INDENTED_DIFFERENTLY = ("malformed YAML: this line is indented differently from the lines above "
                        "it: indent the keys of one mapping, and the items of one list, by the "
                        "same number of spaces")


@pytest.mark.parametrize(("text", "expected"), [
    ("a:\n\tb: 1\n", "data/x.yaml:2:1: a tab indents this line; indent with spaces, not tabs"),
    ("a:\n  b: 1\n\tc: 2\n",
     "data/x.yaml:3:1: a tab indents this line; indent with spaces, not tabs"),
    ("a:\n  b:\n  \tc: 2\n",
     "data/x.yaml:3:3: a tab indents this line; indent with spaces, not tabs"),
    ("text:\n  en: Budapest Process: A Silk Routes Partnership\n  ru: x\n",
     'data/x.yaml:2:23: malformed YAML: a text holding ": " must be in quotes: '
     'en: "Budapest Process: A Silk Routes Partnership"'),
    ("text:\n  en: Budapest Process\n    – A Silk: Routes\n    Partnership\n  ru: x\n",
     'data/x.yaml:2:7: malformed YAML: a text holding ": " must be in quotes: '
     'en: "Budapest Process – A Silk: Routes Partnership"'),
    ("items:\n  - text: Note: this\n",
     'data/x.yaml:2:15: malformed YAML: a text holding ": " must be in quotes: '
     '- text: "Note: this"'),
    ("text:\n  en: **Bold** start\n",
     'data/x.yaml:2:8: malformed YAML: a text that starts with "*" must be in quotes: '
     'en: "**Bold** start"'),
    ("email: @forum\n",
     'data/x.yaml:1:8: malformed YAML: a text that starts with "@" must be in quotes: '
     'email: "@forum"'),
    ('en: "He said "yes" twice"\n',
     "data/x.yaml:1:15: malformed YAML: the text's own quotation marks end it early: "
     "en: 'He said \"yes\" twice'"),
    ('en: "open\nru: x\n',
     'data/x.yaml:1:5: malformed YAML: a quotation mark opens the text but none closes it: '
     'en: "open"'),
    ("a:\n  b: 1\n c: 2\n", f"data/x.yaml:3:2: {INDENTED_DIFFERENTLY}"),
    ("a:\n  b: 1\n    c: 2\n", f"data/x.yaml:3:6: {INDENTED_DIFFERENTLY}"),
    ("a:\n  - b: 1\n   c: 2\n", f"data/x.yaml:3:4: {INDENTED_DIFFERENTLY}"),
    ("a: {en: A: B, ru: C}\n",
     "data/x.yaml:1:10: malformed YAML: the { opened on line 1 does not close where expected: "
     'separate its items with commas, end it with }, and put quotes round a text holding ": " '
     'or ","'),
])
def test_a_syntax_error_says_what_to_write_instead(text: str, expected: str) -> None:
    assert problems_of(text) == [expected]


def test_a_long_text_to_quote_is_shown_cut_in_the_middle() -> None:
    text = "en: " + "word " * 20 + "note: " + "more " * 20 + "\n"
    [line] = problems_of(text)
    assert line.startswith('data/x.yaml:1:109: malformed YAML: a text holding ": " must be in '
                           'quotes: en: "word word word word word word word … ')
    assert line.endswith(' more more more more more more more"')


def test_values_yaml_reads_as_something_else_keep_their_spelling() -> None:
    document = parse_yaml("a: +996312123456\nb: NO\nc: 2015-05-19\nd: '1'\ne:\n", "data/x.yaml")
    assert document.plain_scalars == {("a",): "+996312123456", ("b",): "NO",
                                      ("c",): "2015-05-19", ("e",): ""}


@pytest.mark.parametrize("make", [os.mkfifo, os.mkdir])
def test_a_fifo_or_folder_is_refused_before_reading(tmp_path: Path,
                                                    make: Callable[[Path], None]) -> None:
    path = tmp_path / "sheet.yaml"
    make(path)
    with pytest.raises(DataError) as caught:
        load_yaml(path, "elsewhere/sheet.yaml")
    assert caught.value.lines() == ["elsewhere/sheet.yaml: not a regular file; give a YAML file"]


def test_a_device_is_refused_not_read_forever() -> None:
    with pytest.raises(DataError) as caught:
        load_yaml(Path("/dev/zero"), "/dev/zero")
    assert caught.value.lines() == ["/dev/zero: not a regular file; give a YAML file"]


def test_files_are_named_as_the_user_knows_them(tmp_path: Path) -> None:
    """Relative to the project inside it; a link where it stands, not by its target."""
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "link.yaml").symlink_to("/elsewhere/target.yaml")
    named = [yamlio.display_name(path, tmp_path)
             for path in (tmp_path / "data" / "x.yaml", tmp_path / "data" / "link.yaml",
                          tmp_path / "data" / "..", Path("/elsewhere/x.yaml"))]
    assert named == ["data/x.yaml", "data/link.yaml", ".", "/elsewhere/x.yaml"]
