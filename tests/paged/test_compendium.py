"""The compendium: parts rendered apart, joined, with contents and outline that are right."""

from __future__ import annotations

import io
import re
import shutil
from pathlib import Path
from typing import Any

import pdfplumber
import pikepdf
import pytest
import weasyprint

from briefing.build.pool import renderer_for
from briefing.core.load import load_project
from briefing.core.model import Country, Project, Sheet
from briefing.core.packs import participation
from briefing.paged.compendium import (
    Place,
    TocEntry,
    compendium_languages,
    contents_texts,
    join,
    matrix_pdf,
    open_parts,
)
from briefing.paged.render import fonts_url
from briefing.paged.stamp import specimen_for, stamped
from tests.cli_runner import run
from tests.conftest import REPO, SEED_SHEET, keep_blocks, trimmed_project
from tests.pdftags import tree_problems
from tests.pdftext import pages

#: The seed cut to a part of two pages, the sample to one: page numbers run on within a
#: part and into the next, and each part starts after the real length of the one before
#: it. Their activities name six countries, Kyrgyzstan in 2010, 2015 and 2016.
SEED_BLOCKS = ["description.title", "description.forum", "activities.2015-05-almaty",
               "activities.2010-11-istanbul", "activities.2014-11-dushanbe", "contact"]
SAMPLE_BLOCKS = ["description.title", "activities.2016-03-almaty", "contact"]


@pytest.fixture(scope="module")
def compendium_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project with the seed and the fictional sample, cut (``SEED_BLOCKS``,
    ``SAMPLE_BLOCKS``), and its compendium built in reports/: not to be changed by a
    test."""
    root = trimmed_project(tmp_path_factory.mktemp("compendium") / "project",
                           seed=SEED_BLOCKS, sample=SAMPLE_BLOCKS)
    code, _, err = run(root, "compendium", "-j", "1")
    assert code == 0, err
    return root


@pytest.fixture(scope="module")
def compendium(compendium_root: Path) -> Path:
    """The compendium of the seed and the fictional sample."""
    return compendium_root / "reports" / "compendium.pdf"


@pytest.fixture(scope="module")
def compendium_data(compendium_root: Path) -> Project:
    """The sheets and countries the compendium was built from."""
    return load_project(compendium_root / "data", compendium_root).project


def page_texts(path: Path) -> list[str]:
    return [page.extract_text() or "" for page in pages(path)]


def contents(path: Path) -> dict[str, int]:
    """The contents' left column: entry → page number."""
    found = {}
    page = pages(path)[1]
    left = page.crop((0, 0, page.width / 2, page.height)).extract_text() or ""
    for line in left.splitlines():
        # A sample sheet's entry carries the mark, and the leader may have no room left.
        match = re.fullmatch(r"(.+?) ?\.+ ?(\d+)", line.replace(" SAMPLE DATA", "").strip())
        if match:
            found[match.group(1)] = int(match.group(2))
    return found


def page_index(pdf: pikepdf.Pdf, item: Any) -> int:
    """The index of the page an outline item points at."""
    pages = {page.objgen: index for index, page in enumerate(pdf.pages)}
    return pages[item.destination[0].objgen]


def test_every_page_is_numbered_in_sequence_across_the_parts_of_the_total(
        compendium: Path) -> None:
    texts = page_texts(compendium)
    total = len(texts)
    assert total >= 4
    for number, text in enumerate(texts, start=1):
        assert text.splitlines()[-1] == f"page {number} of {total} стр. {number} из {total}"


def test_the_total_follows_a_part_that_grows(compendium_root: Path, compendium: Path,
                                            tmp_path: Path) -> None:
    """A sheet made longer than its last PDF (the manifest's page count): every footer
    of the compendium, the other parts' included, counts the new total. The module's
    project is copied with its reports (and the pieces kept in reports/.parts/), as a
    rebuild after an edit finds them."""
    project = tmp_path / "project"
    shutil.copytree(compendium_root, project, symlinks=True)
    before = len(pages(compendium))
    sheet = project / "data" / "sheets" / f"{SEED_SHEET}.yaml"
    text = sheet.read_text(encoding="utf-8")
    marker = "sections:\n"
    # A page holds about four of these paragraphs: five lengthen the part by a page,
    # however full its last page was.
    filler = "  - key: filler\n    heading: {en: Filler, ru: Заполнитель}\n    blocks:\n" + "".join(
        f"      - type: paragraph\n        key: filler.p{m}\n"
        f"        text: {{en: '{'Words of English. ' * 30}', "
        f"ru: '{'Русские слова. ' * 30}'}}\n" for m in range(5))
    sheet.write_text(text.replace(marker, marker + filler, 1), encoding="utf-8")
    code, _, err = run(project, "compendium", "-j", "1")
    assert code == 0, err
    after = page_texts(project / "reports" / "compendium.pdf")
    assert len(after) > before
    for number, page in enumerate(after, start=1):
        assert page.splitlines()[-1] == (f"page {number} of {len(after)} "
                                         f"стр. {number} из {len(after)}")


def test_the_sample_sheet_is_marked_in_the_contents_and_the_matrix(compendium: Path) -> None:
    toc_page, matrix_page = page_texts(compendium)[1:3]
    assert "Steppe Routes Labour Mobility Initiative SAMPLE DATA" in toc_page
    assert "Budapest Process SAMPLE" not in toc_page
    assert ("Counts include sample data (fictional organisations): Steppe Routes Labour "
            "Mobility Initiative") in matrix_page


def test_a_compendium_of_the_real_data_names_no_sample(project: Path) -> None:
    """The project's own data (the seed, no sample sheet), the seed cut to a page."""
    keep_blocks(project / "data" / "sheets" / f"{SEED_SHEET}.yaml",
                ["description.title", "activities.2015-05-almaty", "contact"])
    code, _, err = run(project, "compendium", "-j", "1")
    assert code == 0, err
    text = "\n".join(page_texts(project / "reports" / "compendium.pdf"))
    assert "sample" not in text.lower()
    assert "пример данных" not in text.lower()


def test_a_matrix_longer_than_a_page_repeats_its_header_row(tmp_path: Path) -> None:
    # Some 30 rows fit on the matrix's first page: 45 countries go on to a second. Four
    # years keep the table narrow, and quick to lay out and to read back.
    codes = [f"{a}{b}" for a in "QW" for b in "ABCDEFGHIJKLMNOPQRSTUVWXYZ"][:45]
    blocks = [{"type": "activity", "key": f"a.x{n}", "start": f"{2000 + n % 4}-01-01",
               "city": {"en": "C", "ru": "Г"}, "host": code, "role": "organised",
               "text": {"en": "t", "ru": "т"}} for n, code in enumerate(codes)]
    sheet = Sheet.model_validate({
        "id": "s", "languages": ["en", "ru"], "title": {"en": "T", "ru": "Т"},
        "organisation": {"en": "O", "ru": "О"},
        "sections": [{"key": "activities", "heading": {"en": "A", "ru": "А"},
                      "blocks": blocks}]})
    project = Project({code: Country(name={"en": f"Country {code}", "ru": f"Страна {code}"})
                       for code in codes}, {"s": sheet})
    place = Place(tmp_path, REPO / "fonts", (REPO / "templates", REPO / "fonts"))
    renderer = renderer_for(REPO / "templates")
    piece = matrix_pdf(renderer, project, place, ("en", "ru"), draft=False)
    # Laid out without page numbers: the join stamps them, with the landscape specimen.
    with pdfplumber.open(io.BytesIO(piece)) as pdf:
        assert not any((page.extract_text() or "").splitlines()[-1].startswith("page ")
                       for page in pdf.pages)
    content = stamped(piece, specimen_for(renderer, ("en", "ru"), fonts_url=place.fonts_url,
                                          base_url=tmp_path, allowed_roots=place.allowed_roots,
                                          landscape=True))
    rows = 0
    with pdfplumber.open(io.BytesIO(content)) as pdf:
        total = len(pdf.pages)
        assert total >= 2
        for number, page in enumerate(pdf.pages, start=1):
            table = page.extract_table()
            assert table is not None
            assert table[0][:3] == ["Country / Страна", "2000", "2001"]
            rows += len(table) - 1
            assert (page.extract_text() or "").splitlines()[-1] == (
                f"page {number} of {total} стр. {number} из {total}")
    assert rows == len(codes)
    with pikepdf.open(io.BytesIO(content)) as pdf:
        assert tree_problems(pdf) == []


def test_contents_page_numbers_are_where_each_part_starts(compendium: Path,
                                                          compendium_data: Project) -> None:
    toc = contents(compendium)
    project = compendium_data
    names = ["Participation by year"] + [s.organisation["en"] for s in project.sheets.values()]
    assert [name for name in toc] == names
    # The seed's part is longer than a page: the sample's starts after its real length.
    assert toc[names[2]] - toc[names[1]] >= 2
    texts = page_texts(compendium)
    assert "Participation by year / Участие по годам" in texts[toc["Participation by year"] - 1]
    for sheet in project.sheets.values():
        start = toc[sheet.organisation["en"]]
        assert sheet.organisation["en"] in texts[start - 1]
        assert "Participant Information" in texts[start - 1]
        assert sheet.organisation["en"] not in texts[start - 2].split("\n")[0]


def test_outline_points_at_each_part(compendium: Path) -> None:
    toc = contents(compendium)
    with pikepdf.open(compendium) as pdf, pdf.open_outline() as outline:
        top = {item.title: page_index(pdf, item) + 1 for item in outline.root}
        budapest = next(i for i in outline.root if i.title.startswith("Budapest Process"))
        children = [child.title for child in budapest.children]
    assert top["Participation by year / Участие по годам"] == toc["Participation by year"]
    assert top["Budapest Process / Будапештский процесс"] == toc["Budapest Process"]
    assert children
    assert children[0].startswith("Participant Information")


def test_joined_file_keeps_attachments_and_metadata(compendium: Path) -> None:
    with pikepdf.open(compendium) as pdf:
        attached = set(pdf.attachments)
        assert "/StructTreeRoot" in pdf.Root  # merged, see tests/paged/test_compendium_tags.py
        assert "pdfaid" in str(pdf.open_metadata())
    assert attached == {"data/countries.yaml", "data/sheets/budapest-process.yaml",
                        "data/sheets/steppe-routes-initiative.yaml"}


def test_matrix_counts_each_country_by_year(compendium: Path,
                                            compendium_data: Project) -> None:
    toc = contents(compendium)
    project = compendium_data
    matrix = participation(project, "en")
    rows = pages(compendium)[toc["Participation by year"] - 1].extract_table()
    assert rows is not None
    header, *body = rows
    years = [int(y or "") for y in header[1:-1]]
    by_country = {row[0]: row for row in body}
    assert list(by_country) == [f"{project.country_name(code, 'en')} / "
                                f"{project.country_name(code, 'ru')}" for code in matrix]
    kyrgyzstan = by_country["Kyrgyzstan / Кыргызстан"]
    assert kyrgyzstan[1:-1] == [str(matrix["KG"].get(y, "")) for y in years]
    assert kyrgyzstan[-1] == str(sum(matrix["KG"].values()))
    assert len(body) == len(matrix)


def small_pdf(html: str) -> bytes:
    return weasyprint.HTML(string=html).write_pdf()  # type: ignore[no-any-return]


def test_join_offsets_each_parts_outline(tmp_path: Path) -> None:
    """The outline, and the page numbers stamped on every page: they run on from piece
    to piece, each of the joined document's total."""
    front = small_pdf("<h1>Front</h1>")
    matrix = small_pdf("<h1>Matrix</h1><h1 style='break-before: page'>More</h1>")
    part = tmp_path / "part.pdf"
    part.write_bytes(small_pdf("<h1>Part</h1><h2 style='break-before: page'>Later</h2>"))
    toc = [TocEntry({"en": "M", "ru": "М"}, 2), TocEntry({"en": "O", "ru": "О"}, 4)]
    # Pages of WeasyPrint's default size (A4 portrait, as the specimen's), the matrix's too.
    specimen = specimen_for(renderer_for(REPO / "templates"), ("en", "ru"),
                            fonts_url=fonts_url(tmp_path, REPO / "fonts"), base_url=tmp_path,
                            allowed_roots=(REPO / "templates", REPO / "fonts"))
    joined = join(front, matrix, [part], toc, [specimen] * 3)
    with pdfplumber.open(io.BytesIO(joined)) as read:
        assert [(page.extract_text() or "").splitlines()[-1] for page in read.pages] == [
            f"page {n} of 5 стр. {n} из 5" for n in range(1, 6)]
    with pikepdf.open(io.BytesIO(joined)) as pdf, pdf.open_outline() as outline:
        def where(item: pikepdf.OutlineItem) -> int:
            return page_index(pdf, item)

        assert len(pdf.pages) == 5
        titles = [(i.title, where(i)) for i in outline.root]
        assert titles == [("Front", 0), ("M / М", 1), ("O / О", 3)]
        part_item = outline.root[2]
        assert [(c.title, where(c)) for c in part_item.children] == [("Part", 3)]
        assert [(c.title, where(c)) for c in part_item.children[0].children] == [("Later", 4)]


def test_parts_opened_ahead_are_joined_as_those_opened_at_the_join(tmp_path: Path) -> None:
    # A rebuild opens the kept parts while its sheets' jobs run; what cannot be opened then
    # (a part not written yet, or damaged) is left for the join, which reports it.
    front, matrix = small_pdf("<h1>Front</h1>"), small_pdf("<h1>Matrix</h1>")
    parts = [tmp_path / "a.pdf", tmp_path / "b.pdf"]
    for path in parts:
        path.write_bytes(small_pdf(f"<h1>{path.stem}</h1>"))
    damaged, missing = tmp_path / "damaged.pdf", tmp_path / "missing.pdf"
    damaged.write_bytes(b"%PDF-1.7 not a PDF at all")
    toc = [TocEntry({"en": name, "ru": name}, page)
           for name, page in (("M", 2), ("A", 3), ("B", 4))]
    specimen = specimen_for(renderer_for(REPO / "templates"), ("en", "ru"),
                            fonts_url=fonts_url(tmp_path, REPO / "fonts"), base_url=tmp_path,
                            allowed_roots=(REPO / "templates", REPO / "fonts"))
    at_the_join = join(front, matrix, parts, toc, [specimen] * 4)
    with open_parts([*parts, damaged, missing]) as opened:
        assert sorted(opened) == sorted(parts)
        assert join(front, matrix, parts, toc, [specimen] * 4, opened_parts=opened) \
            == at_the_join
        # Left open for the caller, who closes them with the block.
        assert all(len(pdf.pages) == 1 for pdf in opened.values())


def french_sheet(sheet_id: str, organisation: dict[str, str]) -> Sheet:
    return Sheet.model_validate({"id": sheet_id, "languages": ["en", "fr"],
                                 "title": {"en": "T", "fr": "T"},
                                 "organisation": organisation, "sections": []})


def test_contents_entries_are_in_the_sheets_languages(project: Path) -> None:
    labels = project / "templates" / "labels.yaml"
    text = labels.read_text(encoding="utf-8")
    labels.write_text(text + "fr:\n  compendium:\n    matrix: Participation par pays\n",
                      encoding="utf-8")
    sheets = [french_sheet("a", {"en": "Org A", "fr": "Org. A"}),
              french_sheet("b", {"en": "Org B", "fr": "Org. B"})]
    languages = compendium_languages(sheets)
    assert languages == ("en", "fr")
    names = contents_texts(renderer_for(project / "templates"), sheets, languages)
    assert [list(texts) for texts in names] == [["en", "fr"]] * 3
    assert [texts["fr"] for texts in names] == ["Participation par pays", "Org. A", "Org. B"]


def test_a_compendium_of_no_sheets_is_in_english_and_russian() -> None:
    assert compendium_languages([]) == ("en", "ru")
