"""Cost that stays linear: every check rule over a 1 MiB text, and a word longer than a line,
which is broken without a hyphenation search. The bounds are far above what a linear run
takes and far below what the quadratic ones took (minutes to hours at these sizes)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import yaml

from briefing.checks import run_checks
from briefing.core.load import LoadedProject, load_project
from briefing.core.model import Project, Sheet
from briefing.core.yamlio import YamlDocument
from tests.cli_runner import run
from tests.hostile.support import BUILD, SHEET, TITLE_EN, TITLE_RU, set_title, sheet_file

MIB = 1 << 20
#: Shapes that made rules re-scan the text: numbers (year expansion), long runs of
#: address characters (e-mail blanking), dates, markup, brackets and quotes, identifiers.
SHAPES = [
    "1234 5,678.9 2014-17 ", "a" * 60_000, " x.y.z.w.v.u.t+q " * 40, "19-20 May 2015, ",
    "**bold* *it** ", "((« „“ \"' ", "+7 727 123 45 67 ", "http://example.org/" + "p/" * 400,
    " www." + "w" * 4_000, " Kazakhstan Казахстан KZ ", "  double  ", " ICMPD EU ",
    "3rd 21-го ", "1" * 5_000, " ", "-" * 3_000,
]


def hostile_text(size: int) -> str:
    pieces: list[str] = []
    length = 0
    while length < size:
        piece = SHAPES[len(pieces) % len(SHAPES)]
        pieces.append(piece)
        length += len(piece)
    return "".join(pieces)[:size]


def with_texts(project: Path, en: str, ru: str) -> LoadedProject:
    """The seed sheet with its first paragraph's texts replaced (built in memory: a text of
    1 MiB is more than a data file may hold)."""
    loaded = load_project(project / "data", project, [SHEET])
    raw: dict[str, Any] = yaml.safe_load(sheet_file(project).read_text(encoding="utf-8"))
    raw["sections"][0]["blocks"][1]["text"] = {"en": en, "ru": ru}
    sheet = Sheet.model_validate(raw)
    return LoadedProject(Project(loaded.project.countries, {SHEET: sheet}),
                         {SHEET: YamlDocument(raw, f"data/sheets/{SHEET}.yaml")},
                         {SHEET: sheet_file(project)})


def test_every_check_rule_is_linear_in_a_1_mib_text(project: Path) -> None:
    loaded = with_texts(project, hostile_text(MIB), hostile_text(MIB))
    started = time.monotonic()
    run_checks(loaded)
    assert time.monotonic() - started < 20


def test_check_reads_a_data_file_near_the_size_cap_in_seconds(project: Path) -> None:
    set_title(project, en=hostile_text(900_000), ru=TITLE_RU)
    started = time.monotonic()
    result = run(project, "check")
    assert time.monotonic() - started < 20
    assert "Traceback" not in result.out + result.err
    assert result.out.splitlines()[-1].startswith("1 sheet checked:")


def test_a_word_longer_than_a_line_is_broken_without_a_hyphenation_search(
    project: Path
) -> None:
    word = "Migrationspartnerschaft" * 220  # 5,060 letters, no space
    set_title(project, en=f"{TITLE_EN} {word}", ru=f"{TITLE_RU} {word.lower()}")
    started = time.monotonic()
    code, _, err = run(project, *BUILD)
    assert time.monotonic() - started < 20
    assert code == 0, err
    html = (project / "reports" / f"{SHEET}.html").read_text(encoding="utf-8")
    pieces = [word[i:i + 20] for i in range(0, len(word), 20)]
    assert ('<span class="long-word" style="hyphens: manual">' + "<wbr>".join(pieces) +
            "</span>") in html
