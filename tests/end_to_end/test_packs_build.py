"""Country packs built by the command line, read back from their PDF and DOCX as a desk
officer reads them: page one is the briefing, every page's header names the organisation
whose content is at its top, the activities are numbered as printed, a part drawn from
the fictional sample is marked wherever it appears, and the real data prints no sample.

The packs read are Kyrgyzstan's and Turkmenistan's, from the seed and the sample and from
the real data alone: between them, parts that begin at the top of a page and one that
begins low on a page. Every page is parsed once (``tests.pdftext.pages``)."""

from __future__ import annotations

import datetime as dt
import functools
import io
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pikepdf
import pytest
from lxml import etree

from briefing import style
from briefing.cli import main
from briefing.core.lang import date_range
from briefing.core.model import Project
from briefing.core.packs import country_pack, pack_parts
from briefing.word.oxml import mm_to_twips
from tests.conftest import REPO, SAMPLE_SHEET, trimmed_project
from tests.pdftext import column_text, comparable, pages

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
WP = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"
R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
#: 1 March 2026, through SOURCE_DATE_EPOCH: the build date printed on page one.
EPOCH = "1772323200"
MM = 72 / 25.4
LOCALES = {"en": "en_150", "ru": "ru"}
#: Words that only a sample sheet brings into a document.
SAMPLE_WORDS = ("Sample data", "sample data", "SAMPLE DATA", "fictional", "Пример данных",
                "пример данных", "ПРИМЕР ДАННЫХ", "Steppe", "Степные")


def build_packs(output: Path, root: Path, *countries: str) -> Path:
    argv = ["--root", str(root), "packs", *(a for c in countries for a in ("--country", c)),
            "-j", "1", "--output", str(output)]
    stdout, stderr = io.StringIO(), io.StringIO()
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", EPOCH)
        code = main(argv, stdout=stdout, stderr=stderr)
    assert code == 0, stderr.getvalue()
    return output / "packs"


#: A country's pack by its code, ``packs("KG")``: its PDF, and its DOCX beside it.
Packs = Callable[[str], Path]


def pack_builder(output: Path, root: Path) -> Packs:
    """A country's pack, built into ``output`` when a test first asks for it: its PDF, the
    DOCX beside it. A test waits for the packs it reads, not for the others."""

    @functools.cache
    def pack(country: str) -> Path:
        return build_packs(output, root, country) / f"{country.lower()}.pdf"

    return pack


@pytest.fixture(scope="module")
def packs(tmp_path_factory: pytest.TempPathFactory,
          sample_root: Path) -> Packs:
    """Packs drawing on the seed and the fictional sample: Kyrgyzstan's and Turkmenistan's
    are read; in Turkmenistan's, the sample's part begins low on a page."""
    return pack_builder(tmp_path_factory.mktemp("reports"), sample_root)


@pytest.fixture(scope="module")
def real_packs(tmp_path_factory: pytest.TempPathFactory) -> Packs:
    """Packs from the real data alone (data/): Kyrgyzstan's and Turkmenistan's are read."""
    return pack_builder(tmp_path_factory.mktemp("real"), REPO)


def page_texts(pdf_path: Path) -> list[str]:
    return [page.extract_text() or "" for page in pages(pdf_path)]


def half(page: Any, column: int, top: float = 0, bottom: float | None = None) -> str:
    box = (0 if column == 0 else page.width / 2, top,
           page.width / 2 if column == 0 else page.width,
           page.height if bottom is None else bottom)
    return page.crop(box).extract_text() or ""


def contents(pdf_path: Path, titles: list[str]) -> dict[str, int]:
    """The contents' left column, on the first two pages: entry → page number."""
    found: dict[str, int] = {}
    lines = [line for page in pages(pdf_path)[:2] for line in half(page, 0).splitlines()]
    start = lines.index("Contents")
    for line in lines[start + 1:]:
        for title in titles:
            match = re.fullmatch(rf"{re.escape(title)}(?: SAMPLE DATA)?[ .]*?(\d+)",
                                 line.strip())
            if match and title not in found:
                found[title] = int(match.group(1))
    return found


def page_number(pdf: pikepdf.Pdf, item: Any) -> int:
    """The page (from 1) an outline item points at."""
    pages = {page.objgen: index for index, page in enumerate(pdf.pages)}
    return pages[item.destination[0].objgen] + 1


def test_every_country_has_its_pack(tmp_path: Path) -> None:
    """Without --country: a pack for each country an activity names, of either sheet."""
    # The seed's Dushanbe meeting names Tajikistan; the sample's Khujand seminar, Tajikistan
    # and Uzbekistan. The seed is cut to a page.
    root = trimmed_project(tmp_path / "project", seed=[
        "description.title", "description.forum", "activities.2014-11-dushanbe", "contact"],
        sample=["description", "activities.2019-05-khujand", "contact"])
    packs = build_packs(tmp_path / "reports", root)
    assert sorted(p.name for p in packs.iterdir()) == sorted(
        f"{cc}.{suffix}" for cc in ("tj", "uz") for suffix in ("pdf", "docx"))


def test_page_one_is_the_briefing(packs: Packs) -> None:
    page = pages(packs("KG"))[0]
    left, right = half(page, 0), half(page, 1)
    header = page.crop((0, 0, page.width, style.PAGE_MARGINS_MM.top * MM)).extract_text()
    assert header == ""  # front matter: no running header
    assert left.splitlines()[:3] == ["Briefing pack", "Kyrgyzstan", "Generated on 1 March 2026"]
    assert right.splitlines()[:3] == ["Информационный пакет", "Кыргызстан",
                                      "Дата составления 1 марта 2026 г."]
    for expected in ("Period: 3 November 2010 – 27 April 2022", "Activities: 20",
                     "Budapest Process: 13", "Organised by the organisation: 8",
                     "Organised by others, with its participation: 12",
                     "Held in the country: 2", "Latest activities", "Next planned activities",
                     "None planned after 1 March 2026."):
        assert comparable(expected) in comparable(left), expected
    for expected in ("Период: 3 ноября 2010 г. – 27 апреля 2022 г.", "Мероприятия: 20",
                     "Будапештский процесс: 13", "Организованы самой организацией: 8",
                     "Проведены в стране: 2", "Последние мероприятия",
                     "После 1 марта 2026 г. ничего не запланировано."):
        assert comparable(expected) in comparable(right), expected
    # The three latest activities, the latest first, numbered as in the list.
    latest = re.findall(r"^(\d+) (\d+–\d+ \w+ \d{4})", left, re.M)
    assert latest == [("20", "26–27 April 2022"), ("19", "17–18 September 2019"),
                      ("18", "13–15 November 2018")]
    assert comparable("Tel: +43 1 504 4677 0 · E-mail: budapestprocess@icmpd.org") \
        in comparable("\n".join(page.extract_text() for page in pages(packs("KG"))[:2]))


def test_no_page_shows_a_file_path_and_the_metadata_names_the_sources(packs: Packs) -> None:
    text = "\n".join(page_texts(packs("KG")))
    assert ".yaml" not in text
    assert "data/" not in text
    with pikepdf.open(packs("KG")) as pdf:
        subject = str(pdf.docinfo["/Subject"])
        keywords = str(pdf.docinfo["/Keywords"])
    assert subject.endswith("Sources: data/sheets/budapest-process.yaml, "
                            f"data/sheets/{SAMPLE_SHEET}.yaml, data/countries.yaml")
    assert keywords == f"KG, budapest-process, {SAMPLE_SHEET}"


def test_contents_page_numbers_are_where_the_sections_start(packs: Packs) -> None:
    titles = ["Timeline", "Budapest Process", "Steppe Routes Labour Mobility Initiative"]
    toc = contents(packs("KG"), titles)
    assert list(toc) == titles
    starts: dict[str, int] = {}
    for number, page in enumerate(pages(packs("KG")), start=1):
        left = page.crop((0, 0, page.width / 2, page.height))
        words = left.extract_words(extra_attrs=["size"])
        for word in words:
            if 11 < word["size"] < 12:  # the timeline's and the parts' headings
                line = [w["text"] for w in words
                        if abs(w["top"] - word["top"]) < 1 and 11 < w["size"] < 12]
                starts.setdefault(" ".join(line), number)
    for title, number in toc.items():
        assert starts[title] == number, title


def test_outline_lists_the_sections(packs: Packs) -> None:
    toc = contents(packs("KG"), ["Timeline", "Budapest Process",
                                      "Steppe Routes Labour Mobility Initiative"])
    with pikepdf.open(packs("KG")) as pdf, pdf.open_outline() as outline:
        [cover] = outline.root
        entries = {c.title: page_number(pdf, c) for c in cover.children}
    assert cover.title == "Kyrgyzstan / Кыргызстан"
    assert entries == {
        "Timeline / Хронология": toc["Timeline"],
        "Budapest Process / Будапештский процесс": toc["Budapest Process"],
        "Steppe Routes Labour Mobility Initiative / Инициатива «Степные маршруты» по "
        "трудовой мобильности": toc["Steppe Routes Labour Mobility Initiative"]}


@dataclass(frozen=True)
class PageHeader:
    page: int
    left: str
    right: str
    #: The organisation whose content is at the top of the page (None: front matter).
    expected: str | None
    #: Organisations whose part begins lower down on the page.
    starting_below: tuple[str, ...]


def page_headers(pdf_path: Path) -> Iterator[PageHeader]:
    """Each page's running header, and the organisation it should name: the last whose
    part (its outline entry) begins before the page's first line of body text, or at it."""
    with pikepdf.open(pdf_path) as document, document.open_outline() as outline:
        places = {page.objgen: index + 1 for index, page in enumerate(document.pages)}
        heights = [float(page.mediabox[3]) for page in document.pages]
        starts: list[tuple[int, float, str]] = []
        for item in outline.root[0].children:
            title = item.title.split(" / ")[0]
            destination: Any = item.destination
            start_page = places[destination[0].objgen]
            if title != "Timeline":
                starts.append((start_page, heights[start_page - 1] - float(destination[3]),
                               title))
    header_bottom = style.PAGE_MARGINS_MM.top * MM
    for number, page in enumerate(pages(pdf_path), start=1):
        body = page.crop((0, header_bottom, page.width,
                          page.height - style.PAGE_MARGINS_MM.bottom * MM))
        first_line = min(word["top"] for word in body.extract_words())
        in_force = [title for start_page, top, title in starts
                    if start_page < number or (start_page == number
                                               and top <= first_line + 2)]
        below = tuple(title for start_page, top, title in starts
                      if start_page == number and top > first_line + 2)
        yield PageHeader(number, half(page, 0, bottom=header_bottom),
                         half(page, 1, bottom=header_bottom),
                         in_force[-1] if in_force else None, below)


@pytest.mark.parametrize("packs_of", ["packs", "real_packs"])
@pytest.mark.parametrize("country", ["kg", "tm"])
def test_every_pages_header_names_the_organisation_at_its_top(
        request: pytest.FixtureRequest, with_sample: Project, packs_of: str,
        country: str) -> None:
    pdf_path: Path = request.getfixturevalue(packs_of)(country.upper())
    names = {sheet.organisation["en"]: sheet.organisation["ru"]
             for sheet in with_sample.sheets.values()}
    name = with_sample.countries[country.upper()].name
    headers = list(page_headers(pdf_path))
    assert headers[0].expected is None
    headed = set()
    for header in headers:
        where = f"page {header.page}"
        if header.expected is None:  # front matter
            assert (header.left, header.right) == ("", ""), where
            continue
        left, right = comparable(header.left), comparable(header.right)
        assert left.startswith(comparable(f"Briefing pack: {name['en']} · "
                                          f"{header.expected}")), where
        assert right.startswith(comparable(f"Информационный пакет: {name['ru']} · "
                                           f"{names[header.expected]}")), where
        for other in set(names) - {header.expected}:
            assert comparable(other) not in left, where
            assert comparable(names[other]) not in right, where
        sample = header.expected.startswith("Steppe")
        assert left.endswith(comparable("(sample data)")) == sample, where
        headed.add(header.expected)
    # Every organisation the pack draws on heads a page of its own.
    assert headed == (set(names) if packs_of == "packs" else {"Budapest Process"})


def test_each_part_starts_a_page_of_its_own_which_its_header_names(packs: Packs) -> None:
    """Each organisation's part is laid out on its own and joined (render once, assemble
    many): it begins at the top of a page, so no page is headed with an organisation whose
    part begins lower down (the defect measured when parts ran on), and every page after
    the front names the organisation at its top."""
    for pdf_path in (packs("KG"), packs("TM")):
        headers = list(page_headers(pdf_path))
        assert [h.page for h in headers if h.starting_below] == [], pdf_path.name
        starts = {h.expected for h in headers if h.expected is not None}
        assert len(starts) == len(country_pack_names(pdf_path)), pdf_path.name


def country_pack_names(pdf_path: Path) -> list[str]:
    """The organisations the pack's outline lists below the country (not the timeline)."""
    with pikepdf.open(pdf_path) as document, document.open_outline() as outline:
        return [item.title for item in outline.root[0].children
                if not item.title.startswith("Timeline")]


def test_activities_are_numbered_and_printed_in_order_with_dates_in_both_languages(
        packs: Packs, with_sample: Project) -> None:
    project = with_sample
    pack = country_pack(project, "KG")
    parts = pack_parts(pack, project, LOCALES)
    printed = {entry.activity.key: entry for part in parts for entry in part.entries}
    left = comparable(column_text(packs("KG"), 0))
    right = comparable(column_text(packs("KG"), 1))
    list_start = left.index(comparable("Timeline"), left.index(comparable("Contents")) + 20)
    for column, lang, locale in ((left, "en", "en_150"), (right, "ru", "ru")):
        position = list_start if lang == "en" else right.index(comparable("Хронология"),
                                                               right.index("Содержание") + 20)
        for number, activity in enumerate(
                (a for group in pack.groups for a in group.activities), start=1):
            assert printed[activity.key].number == number
            when = comparable(f"{number}{date_range(activity.start, activity.end, locale)}")
            found = column.find(when, position)
            assert found >= 0, (lang, activity.key)
            text = printed[activity.key].text[lang]
            assert comparable(text[:60]) in column[found:], (lang, activity.key)
            position = found
    # The date and place are the headline; the text is not printed with them again.
    assert comparable("3 November 2010, Istanbul, Turkey:") not in left
    assert comparable("participation of Kyrgyzstan and Tajikistan in the 16th") in left
    assert comparable("9–10 February 2011") in left
    assert comparable("9–10 февраля 2011\u202fг.") in right  # full month names, genitive


def test_no_activity_without_kyrgyzstan_is_printed(packs: Packs) -> None:
    left = comparable(column_text(packs("KG"), 0))
    assert comparable("11 November 2014, Dushanbe") not in left  # Tajikistan alone
    assert comparable("17-18 March 2015, Sofia") not in left  # Tajikistan alone
    # Kazakhstan's, and its project concentrates on Kyrgyzstan among others: a participant.
    assert comparable("19–20 May 2015 · Almaty, Kazakhstan") in left
    assert comparable("participation of Kyrgyzstan in the 2nd meeting") in left


def test_the_sample_part_is_marked_where_it_appears_and_only_there(packs: Packs) -> None:
    """No banner over the whole pack: each place the sample's organisation appears is
    marked (its pages by the running header, elsewhere every line naming it), and the
    seed's part is not."""
    header_bottom = style.PAGE_MARGINS_MM.top * MM
    for name in ("KG", "TM"):
        for number, page in enumerate(pages(packs(name)), start=1):
            for column, (organisation, tag, banner) in enumerate((
                    ("Steppe Routes Labour Mobility Initiative", "SAMPLE DATA",
                     "Sample data: a fictional organisation"),
                    ("Инициатива «Степные маршруты» по трудовой мобильности",
                     "ПРИМЕР ДАННЫХ", "Пример данных: вымышленная организация"))):
                header = comparable(half(page, column, bottom=header_bottom))
                body = comparable(half(page, column, top=header_bottom))
                if header.endswith(comparable("(sample data)" if column == 0
                                              else "(пример данных)")):
                    continue  # a page of the sample's part
                named = body.count(comparable(organisation))
                marked = body.count(comparable(tag)) + body.count(comparable(banner))
                assert marked >= named, (name, number, column)
                if number == 1:
                    assert banner not in half(page, column), name
    first = half(pages(packs("TM"))[0], 0)
    assert comparable("Activities: 5") in comparable(first)
    assert comparable("Budapest Process: 1") in comparable(first)  # the Almaty meeting
    assert comparable("Budapest Process SAMPLE DATA") not in comparable(first)


def test_a_build_from_the_real_data_prints_no_sample(
        real_packs: Packs) -> None:
    for pdf_path in (real_packs("KG"), real_packs("TM")):
        text = "\n".join(page_texts(pdf_path))
        assert [word for word in SAMPLE_WORDS if word in text] == [], pdf_path.name
        with zipfile.ZipFile(pdf_path.with_suffix(".docx")) as archive:
            xml = "".join(archive.read(name).decode() for name in archive.namelist()
                          if name.endswith(".xml"))
        assert [word for word in SAMPLE_WORDS if word in xml] == [], pdf_path.name


def run_text(element: Any) -> str:
    """The text of the runs below ``element``, a tab as ``\\t``."""
    return "".join("\t" if node.tag == f"{W}tab" and node.getparent().tag == f"{W}r"
                   else node.text or "" for node in element.iter(f"{W}t", f"{W}tab"))


def xml_part(docx_path: Path, name: str) -> Any:
    with zipfile.ZipFile(docx_path) as archive:
        return etree.fromstring(archive.read(name))


def cell_texts(body: Any) -> list[list[str]]:
    return [["".join(t.text or "" for t in cell.iter(f"{W}t")) for cell in row.findall(f"{W}tc")]
            for row in body.iter(f"{W}tr")]


def test_docx_holds_the_briefing_and_the_activities_numbered_in_order(packs: Packs) -> None:
    body = xml_part(packs("KG").with_suffix(".docx"), "word/document.xml")
    cells = cell_texts(body)
    assert ["Briefing packKyrgyzstanGenerated on 1 March 2026",
            "Информационный пакетКыргызстанДата составления 1 марта 2026\u202fг."] in cells
    assert any(left.startswith("Period: 3 November 2010 – 27 April 2022") for left, *_ in cells)
    assert any(left.startswith("1. 3 November 2010 · Istanbul, Turkey")
               and right.startswith("1. 3 ноября 2010\u202fг. · Стамбул, Турция")
               for left, *right_cells in cells for right in right_cells[:1])
    numbered = [c[0].split(".")[0] for c in cells
                if re.match(r"\d+\. \d", c[0]) and "·" in c[0]]
    # The three latest on page one, then the list, numbered in the order printed.
    assert list(map(int, numbered)) == [20, 19, 18, *range(1, 21)]
    for run in body.iter(f"{W}r"):
        if run.find(f"{W}drawing") is not None:
            continue
        lang = run.find(f"{W}rPr/{W}lang")
        assert lang is not None
    for row in body.iter(f"{W}tr"):
        found = row.findall(f"{W}tc")
        if len(found) != 2:  # the timeline's row spans both columns
            continue
        for cell, tag in zip(found, ("en-GB", "ru-RU"), strict=True):
            for run in cell.iter(f"{W}r"):
                lang = run.find(f"{W}rPr/{W}lang")
                assert lang is not None
                assert lang.get(f"{W}val") == tag


def test_docx_has_header_page_numbers_contents_and_the_pdfs_margins(packs: Packs) -> None:
    path = packs("KG").with_suffix(".docx")
    body = xml_part(path, "word/document.xml")
    with zipfile.ZipFile(path) as archive:
        names = archive.namelist()
        rels = etree.fromstring(archive.read("word/_rels/document.xml.rels"))
    targets = {r.get("Id"): r.get("Target") for r in rels}
    section = body.find(f"{W}body/{W}sectPr")
    assert section is not None
    assert section.find(f"{W}titlePg") is not None  # page one: no running header
    headers = {h.get(f"{W}type"): xml_part(path, f"word/{targets[h.get(R + 'id')]}")
               for h in section.findall(f"{W}headerReference")}
    footers = {f.get(f"{W}type"): xml_part(path, f"word/{targets[f.get(R + 'id')]}")
               for f in section.findall(f"{W}footerReference")}
    assert run_text(headers["default"]) == (
        "Briefing pack: Kyrgyzstan\tИнформационный пакет: Кыргызстан")
    assert run_text(headers["first"]) == ""
    for footer in footers.values():
        fields = [f.get(f"{W}instr").strip() for f in footer.iter(f"{W}fldSimple")]
        assert fields == ["PAGE", "NUMPAGES", "PAGE", "NUMPAGES"]
        assert run_text(footer) == "page 1 of 1\tстр. 1 из 1"
    instructions = "".join(t.text or "" for t in body.iter(f"{W}instrText"))
    assert instructions.strip().startswith("TOC \\h \\z \\t")
    anchors = [h.get(f"{W}anchor") for h in body.iter(f"{W}hyperlink")]
    bookmarks = {b.get(f"{W}name") for b in body.iter(f"{W}bookmarkStart")}
    assert anchors
    assert set(anchors) <= bookmarks
    margins = section.find(f"{W}pgMar")
    assert margins is not None
    for side in ("top", "right", "bottom", "left"):
        assert int(margins.get(f"{W}{side}") or 0) == pytest.approx(
            mm_to_twips(getattr(style.PAGE_MARGINS_MM, side)), abs=1)
    assert "word/media/image1.png" in names


def test_docx_timeline_is_a_described_picture(packs: Packs, with_sample: Project) -> None:
    body = xml_part(packs("KG").with_suffix(".docx"), "word/document.xml")
    [described] = list(body.iter(f"{WP}docPr"))
    summary = country_pack(with_sample, "KG").summary
    assert described.get("descr") == (
        f"Timeline of {summary.count} activities, 2010–2022 / "
        f"Хронология {summary.count} мероприятий, 2010–2022")
    with zipfile.ZipFile(packs("KG").with_suffix(".docx")) as archive:
        png = archive.read("word/media/image1.png")
    assert png.startswith(b"\x89PNG")


def test_docx_marks_the_sample_part_and_only_it(packs: Packs) -> None:
    cells = cell_texts(xml_part(packs("KG").with_suffix(".docx"), "word/document.xml"))
    marked = [left for left, *_ in cells if "SAMPLE DATA" in left or "Sample data" in left]
    assert "Sample data: a fictional organisation" in marked
    assert any(text.startswith("About the organisation") for text in marked)
    # A cell naming the seed's organisation is marked only for the sample's line in it.
    assert all("Steppe" in text for text in marked if "Budapest" in text)
    body = xml_part(packs("KG").with_suffix(".docx"), "word/document.xml")
    paragraphs = ["".join(t.text or "" for t in p.iter(f"{W}t")) for p in body.iter(f"{W}p")]
    assert "Steppe Routes Labour Mobility Initiative SAMPLE DATA" in paragraphs  # contents


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

