"""The seed sheet, built by the command line and read back from its PDF."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pdfplumber
import pikepdf
import pytest
import weasyprint

from briefing.cli import main
from briefing.core import markup
from briefing.core.load import load_project
from briefing.core.model import Sheet
from briefing.core.rows import sheet_rows
from tests.conftest import REPO, SEED_SHEET
from tests.pdftext import (
    ColumnStream,
    column_text,
    comparable,
    pages,
    sentences,
    struct_children,
    struct_elements,
    words,
)

HEADING_KINDS = {"document-title", "organisation", "heading", "title", "subheading"}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    output = tmp_path_factory.mktemp("reports")
    stdout, stderr = io.StringIO(), io.StringIO()
    code = main(["--root", str(REPO), "--output", str(output), "--sheet", SEED_SHEET],
                stdout=stdout, stderr=stderr)
    assert code == 0, stderr.getvalue()
    return output / f"{SEED_SHEET}.pdf"


@pytest.fixture(scope="module")
def sheet() -> Sheet:
    return load_project(REPO / "data", REPO, [SEED_SHEET]).project.sheets[SEED_SHEET]


def test_every_sentence_is_in_its_own_column(built: Path, sheet: Sheet) -> None:
    for column, lang in enumerate(sheet.languages):
        printed = comparable(column_text(built, column))
        for row in sheet_rows(sheet):
            text = markup.plain(row.texts[lang])
            for sentence in sentences(text):
                assert comparable(sentence) in printed, (lang, row.key, sentence)


def test_contact_labels_come_from_the_template_per_language(built: Path) -> None:
    left, right = column_text(built, 0), column_text(built, 1)
    assert "Tel: +43 1 504 4677 0" in left
    assert "Тел.: +43 1 504 4677 0" in right
    assert "Эл. почта: budapestprocess@icmpd.org" in right
    assert "Тел.:" not in left


def test_first_lines_of_each_pair_are_level(built: Path, sheet: Sheet) -> None:
    all_words = words(built)
    width = pages(built)[0].width
    left, right = ColumnStream(all_words, width, 0), ColumnStream(all_words, width, 1)
    rows = [row for row in sheet_rows(sheet) if row.kind != "contact-plain"]
    assert len(rows) > 40
    for row in rows:
        first_left, _ = left.find(markup.plain(row.texts[sheet.languages[0]]))
        first_right, _ = right.find(markup.plain(row.texts[sheet.languages[1]]))
        assert first_left.page == first_right.page, row.key
        assert first_left.top == pytest.approx(first_right.top, abs=0.5), row.key


def test_pairs_stay_on_one_page_and_headings_never_end_one(built: Path, sheet: Sheet) -> None:
    all_words = words(built)
    width = pages(built)[0].width
    streams = [ColumnStream(all_words, width, 0), ColumnStream(all_words, width, 1)]
    rows = [row for row in sheet_rows(sheet) if row.kind != "contact-plain"]
    on_pages: list[int] = []
    for row in rows:
        for stream, lang in zip(streams, sheet.languages, strict=True):
            first, last = stream.find(markup.plain(row.texts[lang]))
            assert first.page == last.page, (row.key, lang)
        on_pages.append(first.page)
    for row, page, following_page in zip(rows, on_pages, on_pages[1:], strict=False):
        if row.kind in HEADING_KINDS:
            assert page == following_page, f"{row.key} ends page {page}"


def test_ordinals_are_superscript(built: Path) -> None:
    chars = [c for page in pages(built) for c in page.chars]
    texts = [c["text"] for c in chars]
    index = next(i for i in range(len(texts)) if texts[i:i + 5] == ["3", "r", "d", " ", "m"])
    three, r, d = chars[index:index + 3]
    assert r["size"] < three["size"] * 0.8
    assert d["size"] == r["size"]
    assert r["bottom"] < three["bottom"] - 1  # raised above the baseline


def test_running_header_and_page_footer_in_both_languages(built: Path) -> None:
    total = len(pages(built))
    assert total >= 4
    for number, page in enumerate(pages(built), start=1):
        text = page.extract_text()
        assert f"page {number} of {total}" in text
        assert f"стр. {number} из {total}" in text
        assert "Participant Information · Budapest Process" in text
        assert "Информация участника · Будапештский процесс" in text


def test_fonts_are_shipped_ones_embedded_and_subset(built: Path) -> None:
    seen = set()
    with pikepdf.open(built) as pdf:
        for page in pdf.pages:
            for font in page.Resources.Font.values():
                descendant = font.DescendantFonts[0] if "/DescendantFonts" in font else font
                name = str(descendant.BaseFont)
                seen.add(name.split("+", 1)[1])
                assert "+" in name  # subset prefix
                assert "/FontFile2" in descendant.FontDescriptor
    assert seen <= {"Noto-Sans", "Noto-Sans-Bold", "Noto-Sans-Italic", "Noto-Sans-Bold-Italic"}
    assert "Noto-Sans" in seen


def test_outline_metadata_and_language(built: Path, sheet: Sheet) -> None:
    with pikepdf.open(built) as pdf:
        with pdf.open_outline() as outline:
            top = outline.root[0]
            assert str(top.title) == "Participant Information / Информация участника"
            titles = [str(item.title) for item in top.children]
        assert titles == [f"{s.heading['en']} / {s.heading['ru']}".replace("\n", " ")
                          for s in sheet.sections]
        assert str(pdf.Root.Lang) == "en"
        info = pdf.docinfo
        assert str(info.Author) == "Budapest Process"
        assert str(info.Title).startswith("Participant Information / Информация участника")
        metadata = str(pdf.open_metadata())
        assert 'pdfaid:part="3"' in metadata
        assert 'pdfaid:conformance="B"' in metadata


def test_right_column_cells_are_tagged_russian(built: Path) -> None:
    with pikepdf.open(built) as pdf:
        rows = [[cell for cell in struct_children(row) if cell.get("/S") in ("/TD", "/TH")]
                for row in struct_elements(pdf, "/TR")]
        assert len(rows) > 40
        for cells in rows:
            assert len(cells) == 2
            assert "/Lang" not in cells[0]
            assert str(cells[1].Lang) == "ru"


def test_sources_are_attached_so_the_pdf_can_rebuild_itself(built: Path) -> None:
    with pikepdf.open(built) as pdf:
        attached = {name: spec.get_file().read_bytes() for name, spec in pdf.attachments.items()}
    assert attached["data/sheets/budapest-process.yaml"] == (
        REPO / "data/sheets/budapest-process.yaml").read_bytes()
    assert attached["data/countries.yaml"] == (REPO / "data/countries.yaml").read_bytes()


def test_same_inputs_give_byte_identical_pdfs(built: Path, tmp_path: Path) -> None:
    code = main(["--root", str(REPO), "--output", str(tmp_path), "--sheet", SEED_SHEET],
                stdout=io.StringIO(), stderr=io.StringIO())
    assert code == 0
    assert (tmp_path / built.name).read_bytes() == built.read_bytes()


def test_html_is_the_document_handed_to_weasyprint(built: Path) -> None:
    html = built.with_suffix(".html").read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>")
    # Its fonts are reached from where it is written, so it works as a web page too.
    fonts = re.findall(r'src: url\("([^"]+)"\)', html)
    assert len(fonts) == 4
    for font in fonts:
        assert (built.parent / font).resolve().parent == (REPO / "fonts").resolve()
    # Rendering it again gives the PDF's own text: it is the document WeasyPrint was given,
    # the page numbers (the last line of each page) stamped after.
    again = weasyprint.HTML(string=html, base_url=built.parent.as_uri() + "/").write_pdf()
    printed = [p.extract_text() for p in pages(built)]
    with pdfplumber.open(io.BytesIO(again)) as first:
        assert [p.extract_text() for p in first.pages] == \
            [text.rsplit("\n", 1)[0] for text in printed]
    assert [text.rsplit("\n", 1)[1] for text in printed] == [
        f"page {n} of {len(printed)} стр. {n} из {len(printed)}"
        for n in range(1, len(printed) + 1)]
