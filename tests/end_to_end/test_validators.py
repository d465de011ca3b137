"""Every kind of published file against an independent validator, and what they don't check.

pdfua (PDF/UA-1, 12 rules) on the seed's sheet PDF, a pack and the compendium;
openxml-audit (microsoft365) on the seed's sheet DOCX, a pack DOCX and a review
copy: no error, no warning, no rule skipped. Then the structure trees, for what
the checker does not look at: header scopes, the timeline's alternative text in
both languages, running headers and footers as artifacts, the language of every
character a screen reader reads, headings without skipped levels, link texts,
and a compendium whose merged tree holds together.

Each document is built once per module (one fixture each, so no test waits for
more than one build).
"""

from __future__ import annotations

import functools
import re
import zipfile
from collections.abc import Callable
from pathlib import Path

import pikepdf
import pytest
from lxml import etree

from briefing import style
from briefing.core.lang import year_span
from briefing.core.model import Project
from briefing.core.packs import country_pack
from briefing.paged.pdffile import struct_elements
from tests.cli_runner import run
from tests.conftest import REPO, SEED_SHEET, trimmed_project
from tests.docx_helpers import needs_soffice, resave_with_libreoffice
from tests.pdftags import Mark, elements, heading_levels, marks, skipped_levels, tree_problems
from tests.validators import figures

COUNTRY = "KG"
MM = 72 / 25.4  # PDF points per millimetre


def built(tmp_path_factory: pytest.TempPathFactory, *argv: str, root: Path = REPO) -> Path:
    output = tmp_path_factory.mktemp("reports")
    code, _, err = run(root, *argv, "--output", str(output))
    assert code == 0, err
    return output


@pytest.fixture(scope="module")
def sheet(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seed sheet's outputs; ``.pdf`` and ``.docx`` beside it."""
    return built(tmp_path_factory, "build", "--sheet", SEED_SHEET, "-j", "1") / f"{SEED_SHEET}.pdf"


@pytest.fixture(scope="module")
def pack(tmp_path_factory: pytest.TempPathFactory, sample_root: Path) -> Path:
    """Kyrgyzstan's pack, drawing on the seed and on the fictional sample (marked)."""
    return built(tmp_path_factory, "packs", "--country", COUNTRY, "-j", "1",
                 root=sample_root) / "packs" / "kg.pdf"


@pytest.fixture(scope="module")
def compendium(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The compendium of the seed and the sample, every kind of block in its parts but a
    few activities of each sheet (its matrix: the countries those name)."""
    root = trimmed_project(tmp_path_factory.mktemp("compendium") / "project", seed=[
        "description", "activities.2015-05-almaty", "activities.2010-11-istanbul",
        "activities.2014-11-dushanbe", "best-practices", "contact"], sample=[
        "description", "activities.2016-03-almaty", "activities.2021-06-turkmenbashi",
        "contact"])
    return built(tmp_path_factory, "compendium", "-j", "1", root=root) / "compendium.pdf"


@pytest.fixture(scope="module")
def review(tmp_path_factory: pytest.TempPathFactory) -> Path:
    output = built(tmp_path_factory, "review", "--lang", "ru", "--sheet", SEED_SHEET)
    return output / "review" / f"{SEED_SHEET}-ru.docx"


@pytest.fixture(scope="module")
def read_marks() -> Callable[[Path], list[Mark]]:
    """:func:`tests.pdftags.marks`, read once per file. Of the compendium, only its front
    and the first two pages of each part: its parts are the sheets, read in full."""

    @functools.cache
    def read(path: Path) -> list[Mark]:
        if path.name != "compendium.pdf":
            return marks(path)
        with pikepdf.open(path) as pdf, pdf.open_outline() as outline:
            places = {page.obj.objgen: number for number, page in enumerate(pdf.pages, start=1)}
            starts = [places[page_of(item)] for item in outline.root]
            last = len(pdf.pages)
        return marks(path, sorted({n for s in starts for n in (s, s + 1) if n <= last}))

    return read


def page_of(item: pikepdf.OutlineItem) -> tuple[int, int]:
    destination = item.destination
    assert isinstance(destination, pikepdf.Array)
    return destination[0].objgen


def document(request: pytest.FixtureRequest, name: str) -> Path:
    """``sheet``, ``pack``, ``compendium`` or ``review``; ``…docx`` for a PDF's DOCX."""
    fixture, _, suffix = name.partition(".")
    path: Path = request.getfixturevalue(fixture)
    return path.with_suffix(f".{suffix}") if suffix else path


@pytest.mark.parametrize("name", ["sheet", "pack", "compendium"])
def test_pdf_passes_every_pdfua_rule(request: pytest.FixtureRequest, name: str) -> None:
    found = figures(document(request, name))
    assert found.errors == []
    assert found.warnings == []
    assert found.skipped == []  # a skipped rule would pass silently
    assert found.rules == 12


@pytest.mark.parametrize("name", ["sheet.docx", "pack.docx", "review"])
def test_docx_is_valid_for_word(request: pytest.FixtureRequest, name: str) -> None:
    found = figures(document(request, name))
    assert found.errors == []
    assert found.warnings == []


@pytest.mark.parametrize("name", ["sheet", "pack", "compendium"])
def test_pdf_declares_pdfa_3b_and_pdfua_1_and_shows_its_title(
        request: pytest.FixtureRequest, name: str) -> None:
    with pikepdf.open(document(request, name)) as pdf:
        with pdf.open_metadata() as metadata:
            assert metadata.pdfa_status == "3B"
            assert metadata.get("pdfuaid:part") == "1"
            title = metadata.get("dc:title")
        xmp = pdf.Root.Metadata.read_bytes().decode()
        assert "/Filter" not in pdf.Root.Metadata
        assert bool(pdf.Root.ViewerPreferences.DisplayDocTitle)
        assert bool(pdf.Root.MarkInfo.Marked)
        assert str(pdf.Root.Lang) == "en"
    assert title
    assert " / " in title  # both languages
    # PDF/A-3 admits pdfuaid only with an extension schema that declares it.
    assert re.search(r"<pdfaSchema:namespaceURI>http://www.aiim.org/pdfua/ns/id/</pdfaSchema:"
                     r"namespaceURI>\s*<pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>", xmp)


@pytest.mark.parametrize("name", ["sheet", "pack", "compendium"])
def test_structure_tree_holds_together(request: pytest.FixtureRequest, name: str) -> None:
    with pikepdf.open(document(request, name)) as pdf:
        assert tree_problems(pdf) == []


@pytest.mark.parametrize("name", ["sheet", "pack", "compendium"])
def test_headings_nest_without_skipped_levels(request: pytest.FixtureRequest,
                                              name: str) -> None:
    with pikepdf.open(document(request, name)) as pdf:
        levels = heading_levels(pdf)
    assert levels[0] == 1
    assert skipped_levels(levels) == []


@pytest.mark.parametrize("name", ["sheet", "compendium"])
def test_every_header_cell_has_a_scope(request: pytest.FixtureRequest, name: str) -> None:
    scopes = set()
    with pikepdf.open(document(request, name)) as pdf:
        tables = [e for e in elements(pdf) if e.S == "/Table"]
        for element in elements(pdf):
            if element.S == "/TH":
                group = element.P.P.S  # TH → TR → THead or TBody
                scope = str(element.A.Scope)
                scopes.add((str(group), scope))
                assert scope == ("/Column" if group == "/THead" else "/Row")
        # every table left is a data table: it has header cells
        for table in tables:
            assert any(e.S == "/TH" for e in _below(table))
    assert ("/THead", "/Column") in scopes
    if name == "compendium":
        assert ("/TBody", "/Row") in scopes  # the matrix's countries


def _below(element: pikepdf.Dictionary) -> list[pikepdf.Dictionary]:
    return list(struct_elements(element))


def test_pack_tables_only_lay_out_the_page(pack: Path) -> None:
    with pikepdf.open(pack) as pdf:
        roles = {str(e.S) for e in elements(pdf)}
        attributes = [e.A for e in elements(pdf) if "/A" in e and e.S != "/Figure"]
    assert not roles & {"/Table", "/THead", "/TBody", "/TR", "/TH", "/TD"}
    assert "/Div" in roles
    assert attributes == []


def test_timeline_says_what_it_shows_in_both_languages(pack: Path,
                                                       with_sample: Project) -> None:
    project = with_sample
    summary = country_pack(project, COUNTRY).summary
    years = year_span(summary.first_year, summary.last_year)
    assert summary.count > 4
    with pikepdf.open(pack) as pdf:
        figures_found = [e for e in elements(pdf) if e.S == "/Figure"]
        assert len(figures_found) == 1
        alt = str(figures_found[0].Alt)
    assert alt == (f"Timeline of {summary.count} activities, {years} / "
                   f"Хронология {summary.count} мероприятий, {years}")


def test_links_describe_where_they_go(pack: Path, with_sample: Project) -> None:
    project = with_sample
    sheets = country_pack(project, COUNTRY).sheets
    with pikepdf.open(pack) as pdf:
        contents = {str(annotation.Contents) for page in pdf.pages
                    for annotation in page.obj.get("/Annots", [])
                    if annotation.Subtype == "/Link"}
    expected = {"Timeline", "Хронология"}
    tags = {"en": " sample data", "ru": " пример данных"}  # a sample's entry says so
    expected |= {sheet.organisation[lang] + (tags[lang] if sheet.sample else "")
                 for sheet in sheets for lang in ("en", "ru")}
    assert contents == expected


def _running_zone(mark_top: float, page_height: float) -> bool:
    margins = style.PAGE_MARGINS_MM
    return mark_top < margins.top * MM or mark_top > page_height - margins.bottom * MM


@pytest.mark.parametrize("name", ["sheet", "pack", "compendium"])
def test_running_headers_and_footers_are_artifacts(
        request: pytest.FixtureRequest, read_marks: Callable[[Path], list[Mark]],
        name: str) -> None:
    path = document(request, name)
    with pikepdf.open(path) as pdf:
        heights = [float(page.mediabox[3]) for page in pdf.pages]
    found = read_marks(path)
    running = [m for m in found if _running_zone(m.top, heights[m.page - 1])]
    read = {m.page for m in found}
    assert len({m.page for m in running}) >= len(read) - 1  # the cover may have none
    assert [m for m in running if m.role] == []
    # and all the rest is read: nothing in the body is an artifact
    assert [m for m in found if not m.role and not _running_zone(m.top, heights[m.page - 1])] \
        == []


@pytest.mark.parametrize("name", ["sheet", "pack", "compendium"])
def test_each_column_is_read_in_its_language(
        request: pytest.FixtureRequest, read_marks: Callable[[Path], list[Mark]],
        name: str) -> None:
    """What a screen reader reads from the right-hand column is Russian, from the left
    English: every character, by where it stands, against the element it belongs to
    (the timeline, which spans both columns, and the landscape matrix aside)."""
    path = document(request, name)
    with pikepdf.open(path) as pdf:
        widths = [float(page.mediabox[2]) for page in pdf.pages]
        heights = [float(page.mediabox[3]) for page in pdf.pages]
    margins = style.PAGE_MARGINS_MM
    left, right = [], []
    for mark in read_marks(path):
        width = widths[mark.page - 1]
        if not mark.role or width > heights[mark.page - 1] or "/Figure" in (mark.role,
                                                                           *mark.within):
            continue
        middle = margins.left * MM + (width - (margins.left + margins.right) * MM) / 2
        if mark.within.count("/Div") < 2 and "/TD" not in mark.within \
                and "/TH" not in mark.within:
            continue  # not in a table's cell: a banner across both columns
        if mark.x0 >= middle:
            right.append(mark)
        elif mark.x1 <= middle:
            left.append(mark)
    assert len(right) > 1000
    assert len(left) > 1000
    assert {m.lang for m in right} == {"ru"}
    assert {m.lang for m in left} == {"en"}


def test_compendium_parts_are_parts_of_one_document(compendium: Path,
                                                   with_sample: Project) -> None:
    project = with_sample
    with pikepdf.open(compendium) as pdf:
        top = pdf.Root.StructTreeRoot.K[0]
        assert top.S == "/Document"
        parts = [kid for kid in top.K if isinstance(kid, pikepdf.Dictionary)
                 and kid.get("/S") == "/Part"]
        ids = [str(e.ID) for e in elements(pdf) if "/ID" in e]
    assert len(parts) == 1 + len(project.sheets)  # the matrix, then every sheet
    assert len(ids) == len(set(ids)) > 10


@pytest.mark.parametrize("name", ["sheet.docx", "pack.docx", "review"])
def test_docx_has_a_title_and_describes_any_image(request: pytest.FixtureRequest,
                                                  name: str) -> None:
    with zipfile.ZipFile(document(request, name)) as archive:
        names = archive.namelist()
        core = etree.fromstring(archive.read("docProps/core.xml"))
        body = etree.fromstring(archive.read("word/document.xml"))
    title = core.findtext("{http://purl.org/dc/elements/1.1/}title")
    assert title
    assert " / " in title or name == "review"
    wp = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"
    assert all(pr.get("descr") for pr in body.iter(f"{wp}docPr"))
    assert "word/stylesWithEffects.xml" not in names


@pytest.mark.parametrize("name", ["sheet.docx", "review"])
def test_docx_header_row_repeats_and_base_texts_have_their_properties(
        request: pytest.FixtureRequest, name: str) -> None:
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    with zipfile.ZipFile(document(request, name)) as archive:
        body = etree.fromstring(archive.read("word/document.xml"))
        items = [n for n in archive.namelist() if re.fullmatch(r"customXml/item\d+\.xml", n)]
        props = {n: archive.read(n) for n in archive.namelist() if "itemProps" in n}
    table = next(t for t in body.iter(f"{w}tbl") if t.find(f"{w}tr/{w}trPr/{w}tblHeader")
                 is not None)
    header = table.find(f"{w}tr/{w}trPr/{w}tblHeader")
    assert header is not None
    assert header.get(f"{w}val") is None
    assert len(props) == len(items) == 2  # python-docx's own item, and the base texts
    assert any(b"urn:briefing:docx-base:1" in blob for blob in props.values())


def test_new_sheet_form_is_valid_for_word(project: Path) -> None:
    code, _, err = run(project, "new", "central-asia-forum", "--organisation",
                       "Central Asia Forum")
    assert code == 0, err
    found = figures(project / "reports" / "central-asia-forum.docx")
    assert found.errors == []
    assert found.warnings == []


@pytest.mark.libreoffice
@needs_soffice
def test_libreoffice_keeps_the_base_texts_properties(sheet: Path, tmp_path: Path) -> None:
    """A LibreOffice re-save does not validate clean (its writer brings errors of its own:
    numbering, fonts, row properties), but the custom XML item keeps its properties
    part, and does not get a copy of another item's id."""
    (resaved,) = resave_with_libreoffice([sheet.with_suffix(".docx")], tmp_path)
    found = figures(resaved)
    assert [e for e in found.errors + found.warnings if "/customXml/" in e] == []
    ds = "{http://schemas.openxmlformats.org/officeDocument/2006/customXml}"
    with zipfile.ZipFile(resaved) as archive:
        props = [etree.fromstring(archive.read(n)) for n in archive.namelist()
                 if re.fullmatch(r"customXml/itemProps\d+\.xml", n)]
    item_ids = [p.get(f"{ds}itemID") for p in props]
    assert len(item_ids) == len(set(item_ids)) == 2
    assert "urn:briefing:docx-base:1" in [r.get(f"{ds}uri") for p in props
                                          for r in p.iter(f"{ds}schemaRef")]
