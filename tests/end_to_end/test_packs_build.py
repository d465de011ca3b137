"""Country packs built by the command line, read back from their PDF and DOCX."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from pathlib import Path
from typing import Any

import pdfplumber
import pikepdf
import pytest
from lxml import etree

from briefing.cli import main
from briefing.core.lang import date_range
from briefing.core.model import Project
from briefing.core.packs import country_pack, pack_parts
from tests.conftest import REPO
from tests.pdftext import column_text, comparable

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
#: 1 March 2026, through SOURCE_DATE_EPOCH: the generation date printed on the cover.
EPOCH = "1772323200"


@pytest.fixture(scope="module")
def packs(tmp_path_factory: pytest.TempPathFactory, sample_root: Path) -> Path:
    """The packs of Kyrgyzstan and Turkmenistan, drawing on the seed and the sample."""
    output = tmp_path_factory.mktemp("reports")
    stdout, stderr = io.StringIO(), io.StringIO()
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", EPOCH)
        code = main(["--root", str(sample_root), "packs", "--country", "KG", "--country", "tm",
                     "-j", "1", "--output", str(output)], stdout=stdout, stderr=stderr)
    assert code == 0, stderr.getvalue()
    assert "built pack KG" in stdout.getvalue()
    return output / "packs"


def contents(pdf_path: Path) -> dict[str, int]:
    with pdfplumber.open(pdf_path) as pdf:
        page = pdf.pages[1]
        left = page.crop((0, 0, page.width / 2, page.height)).extract_text() or ""
    found = {}
    for line in left.splitlines():
        match = re.fullmatch(r"(.+?) ?\.{3,} ?(\d+)", line.strip())
        if match:
            found[match.group(1)] = int(match.group(2))
    return found


def page_number(pdf: pikepdf.Pdf, item: Any) -> int:
    """The page (from 1) an outline item points at."""
    pages = {page.objgen: index for index, page in enumerate(pdf.pages)}
    return pages[item.destination[0].objgen] + 1


def test_only_the_countries_asked_for(packs: Path) -> None:
    assert sorted(p.name for p in packs.iterdir()) == ["kg.docx", "kg.pdf", "tm.docx",
                                                       "tm.pdf"]


def test_cover_names_the_country_date_and_sources(packs: Path) -> None:
    with pdfplumber.open(packs / "kg.pdf") as pdf:
        cover = pdf.pages[0].extract_text() or ""
    assert "Kyrgyzstan Кыргызстан" in cover
    assert "Generated on 1 March 2026" in cover
    assert "Дата составления 1 марта 2026 г." in cover
    assert "data/sheets/budapest-process.yaml" in cover
    assert "data/sheets/steppe-routes-initiative.yaml" in cover
    assert "data/countries.yaml" in cover


def test_contents_page_numbers_are_where_the_sections_start(packs: Path) -> None:
    toc = contents(packs / "kg.pdf")
    assert list(toc) == ["Summary", "Timeline", "Budapest Process",
                         "Steppe Routes Labour Mobility Initiative"]
    with pdfplumber.open(packs / "kg.pdf") as pdf:
        starts: dict[str, int] = {}
        for number, page in enumerate(pdf.pages[2:], start=3):
            left = page.crop((0, 0, page.width / 2, page.height))
            for word in left.extract_words(extra_attrs=["size"]):
                if word["size"] > 11:  # section headings are 11.5 pt
                    line = [w["text"] for w in left.extract_words(extra_attrs=["size"])
                            if abs(w["top"] - word["top"]) < 1 and w["size"] > 11]
                    starts.setdefault(" ".join(line), number)
    for title, number in toc.items():
        assert starts[title] == number, title


def test_outline_lists_the_sections(packs: Path) -> None:
    toc = contents(packs / "kg.pdf")
    with pikepdf.open(packs / "kg.pdf") as pdf, pdf.open_outline() as outline:
        [cover] = outline.root
        entries = {c.title: page_number(pdf, c) for c in cover.children}
    assert cover.title == "Kyrgyzstan / Кыргызстан"
    assert entries == {
        "Summary / Сводка": toc["Summary"], "Timeline / Хронология": toc["Timeline"],
        "Budapest Process / Будапештский процесс": toc["Budapest Process"],
        "Steppe Routes Labour Mobility Initiative / Инициатива «Степные маршруты» по "
        "трудовой мобильности": toc["Steppe Routes Labour Mobility Initiative"]}


def test_activities_are_printed_in_order_with_dates_in_both_languages(
        packs: Path, with_sample: Project) -> None:
    project = with_sample
    pack = country_pack(project, "KG")
    printed = {entry.activity.key: entry.text for part in pack_parts(
        pack, project, {"en": "en_150", "ru": "ru"}) for entry in part.entries}
    left = comparable(column_text(packs / "kg.pdf", 0))
    right = comparable(column_text(packs / "kg.pdf", 1))
    for column, lang, locale in ((left, "en", "en_150"), (right, "ru", "ru")):
        position = 0
        for group in pack.groups:
            for activity in group.activities:
                when = comparable(date_range(activity.start, activity.end, locale))
                found = column.find(when, position)
                assert found >= 0, (lang, activity.key)
                text = printed[activity.key][lang]
                assert comparable(text[:60]) in column[found:], (lang, activity.key)
                position = found
    # The date and place are the headline; the text is not printed with them again.
    assert comparable("3 November 2010, Istanbul, Turkey:") not in left
    assert comparable("participation of Kyrgyzstan and Tajikistan in the 16th") in left
    assert comparable("9–10 February 2011") in left
    assert comparable("9–10 февраля 2011\u202fг.") in right


def test_no_activity_without_kyrgyzstan_is_printed(packs: Path) -> None:
    left = comparable(column_text(packs / "kg.pdf", 0))
    assert comparable("11 November 2014, Dushanbe") not in left  # Tajikistan alone
    assert comparable("17-18 March 2015, Sofia") not in left  # Tajikistan alone
    # Kazakhstan's, and its project concentrates on Kyrgyzstan among others: a participant.
    assert comparable("19–20 May 2015 · Almaty, Kazakhstan") in left
    assert comparable("participation of Kyrgyzstan in the 2nd meeting") in left


def test_summary_and_sample_banner(packs: Path) -> None:
    with pdfplumber.open(packs / "tm.pdf") as pdf:
        text = "\n".join(page.extract_text() or "" for page in pdf.pages)
    assert "Activities: 5 Мероприятия: 5" in text
    assert "Years: 2015–2022 Годы: 2015–2022" in text
    assert "Sample data: a fictional organisation" in text
    assert "Budapest Process" in text  # the Almaty meeting, concentrating on Turkmenistan too


def test_docx_holds_the_activities_with_languages_on_every_run(packs: Path) -> None:
    with zipfile.ZipFile(packs / "kg.docx") as archive:
        body = etree.fromstring(archive.read("word/document.xml"))
    rows = body.iter(f"{W}tr")
    cells = [["".join(t.text or "" for t in cell.iter(f"{W}t"))
              for cell in row.findall(f"{W}tc")] for row in rows]
    assert any(left.startswith("1. 3 November 2010 · Istanbul, Turkey")
               and right.startswith("1. 3 ноября 2010\u202fг. · Стамбул, Турция")
               for left, right in cells)
    numbered = [c[0].split(".")[0] for c in cells if re.match(r"\d+\. ", c[0])]
    assert list(map(int, numbered)) == list(range(1, 21))  # numbered in the order printed
    for row in body.iter(f"{W}tr"):
        left_cell, right_cell = row.findall(f"{W}tc")
        for cell, tag in ((left_cell, "en-GB"), (right_cell, "ru-RU")):
            for run in cell.iter(f"{W}r"):
                lang = run.find(f"{W}rPr/{W}lang")
                assert lang is not None
                assert lang.get(f"{W}val") == tag


def test_unknown_country_is_a_usage_error() -> None:
    stdout, stderr = io.StringIO(), io.StringIO()
    code = main(["--root", str(REPO), "packs", "--country", "FR", "--output", "/nonexistent"],
                stdout=stdout, stderr=stderr)
    assert code == 2
    assert stderr.getvalue().splitlines()[-1] == (
        "Error: no activity names FR; countries with a pack: BG, GE, HU, KG, KZ, PK, TJ, TM, "
        "TR, UZ")


def test_epoch_is_the_first_of_march_2026() -> None:
    assert dt.datetime.fromtimestamp(int(EPOCH), dt.UTC).date() == dt.date(2026, 3, 1)
