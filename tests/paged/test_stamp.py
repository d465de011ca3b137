"""Page numbers stamped on laid-out pages (:mod:`briefing.paged.stamp`).

A sheet is laid out once without its footers and numbered afterwards, in its own PDF and
in the compendium, from a specimen of the footers. What a reader sees must not tell the
two apart: every page's two footers are checked against those WeasyPrint lays out itself
for the same sheet, glyph for glyph and at the same place, marked as pagination artifacts
as WeasyPrint's are, and read back as text in both languages.
"""

from __future__ import annotations

import functools
import io
import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pdfplumber
import pikepdf
import pytest
import yaml

from briefing.core.load import load_project
from briefing.core.model import Sheet
from briefing.errors import RenderError
from briefing.paged.pdf import render_pdf
from briefing.paged.render import Renderer, fonts_url
from briefing.paged.stamp import Specimen, specimen_for, stamp_page_numbers, stamped
from tests.conftest import REPO, SEED_SHEET

ALLOWED = (REPO / "templates", REPO / "fonts", REPO / "data")
#: The footers' words, as the templates print them: {language: (page, of)}.
LABELS = {lang: (str(words["page"]), str(words["of"])) for lang, words in yaml.safe_load(
    (REPO / "templates" / "labels.yaml").read_text(encoding="utf-8")).items()}
#: French footers' words, added to a copy of the templates' labels.
FRENCH = ("page", "sur")


@dataclass(frozen=True)
class Footer:
    """One text block of a page as drawn: what it shows and where."""

    codes: bytes  # the glyph codes shown, kerning left out
    text_matrix: tuple[float, ...]
    size: float
    #: The marked content it is drawn in: (tag, /Type of its properties) from outermost.
    marked: tuple[tuple[str, str | None], ...]


def footers(pdf: bytes, pages: slice = slice(None)) -> list[list[Footer]]:
    """The last two text blocks (``TJ``) of every page (of ``pages``): its footers, left
    then right."""
    found = []
    with pikepdf.open(io.BytesIO(pdf)) as document:
        for page in document.pages[pages]:
            blocks = []
            marked: list[tuple[str, str | None]] = []
            matrix: tuple[float, ...] = ()
            size = 0.0
            for instruction in pikepdf.parse_content_stream(page):
                operator = str(instruction.operator)
                operands: Any = instruction.operands
                if operator == "BDC":
                    properties = operands[1]
                    kind = properties.get("/Type") \
                        if isinstance(properties, pikepdf.Dictionary) else None
                    marked.append((str(operands[0]), None if kind is None else str(kind)))
                elif operator == "BMC":
                    marked.append((str(operands[0]), None))
                elif operator == "EMC":
                    marked.pop()
                elif operator == "Tm":
                    matrix = tuple(float(value) for value in operands)
                elif operator == "Tf":
                    size = float(operands[1])
                elif operator == "TJ":
                    codes = b"".join(bytes(item) for item in operands[0]
                                     if isinstance(item, pikepdf.String))
                    blocks.append(Footer(codes, matrix, size, tuple(marked)))
            found.append(blocks[-2:])
    return found


@functools.cache
def page_texts(pdf: bytes, pages: tuple[int, int] | None = None) -> tuple[str, ...]:
    """The text of every page (from the first to the last of ``pages``), as a reader
    extracts it: read once per document, the slowest step of these tests."""
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        chosen = document.pages if pages is None else document.pages[pages[0] - 1:pages[1]]
        return tuple(page.extract_text() or "" for page in chosen)


def last_lines(pdf: bytes, pages: tuple[int, int] | None = None) -> list[str]:
    """The last line of text of every page (of ``pages``, first and last)."""
    return [text.splitlines()[-1] for text in page_texts(pdf, pages)]


def numbered_line(number: int, total: int, languages: Sequence[str] = ("en", "ru"),
                  labels: dict[str, tuple[str, str]] = LABELS) -> str:
    """Both footers of a page, as extracted: "page 2 of 5 стр. 2 из 5"."""
    return " ".join(f"{labels[lang][0]} {number} {labels[lang][1]} {total}"
                    for lang in languages)


@pytest.fixture(scope="module")
def seed() -> Sheet:
    return load_project(REPO / "data", REPO).project.sheets[SEED_SHEET]


@pytest.fixture(scope="module")
def renderer() -> Renderer:
    return Renderer(REPO / "templates")


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where the documents are laid out (the fonts' URL is relative to it)."""
    return tmp_path_factory.mktemp("stamp")


def specimen(renderer: Renderer, folder: Path, languages: tuple[str, str] = ("en", "ru"),
             *, landscape: bool = False, allowed: Sequence[Path] = ALLOWED) -> Specimen:
    return specimen_for(renderer, languages, fonts_url=fonts_url(folder, REPO / "fonts"),
                        base_url=folder, allowed_roots=allowed, landscape=landscape)


def laid_out(renderer: Renderer, seed: Sheet, folder: Path, **numbering: Any) -> bytes:
    html = renderer.sheet_html(seed, draft=False, fonts_url=fonts_url(folder, REPO / "fonts"),
                               **numbering)
    return render_pdf(html, base_url=folder, allowed_roots=ALLOWED,
                      right_lang=seed.languages[1])


@pytest.fixture(scope="module")
def weasyprints(renderer: Renderer, seed: Sheet, folder: Path) -> bytes:
    """The seed sheet with the footers WeasyPrint lays out itself."""
    return laid_out(renderer, seed, folder)


@pytest.fixture(scope="module")
def piece(renderer: Renderer, seed: Sheet, folder: Path) -> bytes:
    """The seed sheet laid out without footers, as its job keeps it for the compendium."""
    return laid_out(renderer, seed, folder, stamped=True)


@pytest.fixture(scope="module")
def numbered(piece: bytes, renderer: Renderer, folder: Path) -> bytes:
    """The piece with its pages numbered from the specimen: the sheet's PDF."""
    return stamped(piece, specimen(renderer, folder))


def assert_same_footers(ours: list[Footer], theirs: list[Footer]) -> None:
    assert len(ours) == len(theirs) == 2
    for mine, weasyprint in zip(ours, theirs, strict=True):
        assert mine.codes == weasyprint.codes
        assert mine.size == weasyprint.size
        assert mine.text_matrix[:4] == weasyprint.text_matrix[:4]
        # The right-hand footer is aligned again at the specimen's right edge, from the
        # glyphs' widths: WeasyPrint's own sum differs by rounding only.
        assert mine.text_matrix[4] == pytest.approx(weasyprint.text_matrix[4], abs=0.01)
        assert mine.text_matrix[5] == weasyprint.text_matrix[5]


def test_the_piece_has_no_footers(piece: bytes, weasyprints: bytes) -> None:
    """Otherwise the stamped footers would be drawn over WeasyPrint's."""
    assert len(last_lines(piece)) == len(footers(weasyprints))
    assert not any(line.startswith(f"{LABELS['en'][0]} ") for line in last_lines(piece))


def test_stamped_footers_are_weasyprints_glyph_for_glyph(numbered: bytes,
                                                        weasyprints: bytes) -> None:
    ours, theirs = footers(numbered), footers(weasyprints)
    assert len(ours) == len(theirs) >= 2
    for mine, weasyprint in zip(ours, theirs, strict=True):
        assert_same_footers(mine, weasyprint)


@pytest.mark.parametrize(("first", "total"), [(9, 13), (98, 120)])
def test_numbers_of_several_digits_are_set_as_weasyprint_sets_them(
        renderer: Renderer, seed: Sheet, folder: Path, piece: bytes, first: int,
        total: int) -> None:
    """The sheet's pages standing at ``first`` in a document of ``total`` pages (blank
    pages around them): numbers that change their count of digits from one page to the
    next, a right-hand footer growing to the left."""
    theirs = footers(laid_out(renderer, seed, folder, first_page=first, total_pages=total))
    with pikepdf.open(io.BytesIO(piece)) as source, pikepdf.Pdf.new() as document:
        size = [float(value) for value in source.pages[0].MediaBox][2:]

        def blank() -> None:
            page = document.add_blank_page(page_size=(size[0], size[1]))
            page.obj.Resources = pikepdf.Dictionary()

        for _ in range(first - 1):
            blank()
        document.pages.extend(source.pages)
        while len(document.pages) < total:
            blank()
        stamp_page_numbers(document, [(specimen(renderer, folder), total)])
        out = io.BytesIO()
        document.save(out)
    last = first + len(theirs) - 1
    ours = footers(out.getvalue(), slice(first - 1, last))
    for mine, weasyprint in zip(ours, theirs, strict=True):
        assert_same_footers(mine, weasyprint)
    assert last_lines(out.getvalue(), (first, last)) == [
        numbered_line(number, total) for number in range(first, last + 1)]


def test_stamped_footers_are_pagination_artifacts_as_weasyprints_are(
        numbered: bytes, weasyprints: bytes) -> None:
    ours = [footer.marked for page in footers(numbered) for footer in page]
    theirs = [footer.marked for page in footers(weasyprints) for footer in page]
    assert ours == theirs
    assert set(ours) == {(("/Artifact", "/Pagination"),)}


def test_stamped_footers_read_as_text_in_both_languages(numbered: bytes,
                                                        weasyprints: bytes) -> None:
    lines = last_lines(numbered)
    total = len(lines)
    assert lines == [numbered_line(number, total) for number in range(1, total + 1)]
    assert numbered_line(2, 5) == "page 2 of 5 стр. 2 из 5"
    # Nothing else on the pages differs from WeasyPrint's: the text as a whole is the same.
    assert page_texts(numbered) == page_texts(weasyprints)


@pytest.fixture(scope="module")
def french(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The templates, with labels for French: footers in a language pair whose font subset
    holds no Cyrillic letter."""
    templates = tmp_path_factory.mktemp("french") / "templates"
    shutil.copytree(REPO / "templates", templates)
    labels = templates / "labels.yaml"
    labels.write_text(labels.read_text(encoding="utf-8")
                      + f'fr:\n  page: "{FRENCH[0]}"\n  of: "{FRENCH[1]}"\n', encoding="utf-8")
    return templates


def test_numbers_run_on_across_runs_each_in_its_specimen(
        piece: bytes, renderer: Renderer, folder: Path, french: Path) -> None:
    """As the compendium's join numbers its pieces: one total, numbers running on from
    one run of pages to the next, each run with its own specimen. The pages of a
    WeasyPrint document share one resources dictionary: each run's font keeps its own
    name there, or a later run's would replace an earlier one's."""
    english_french = specimen(Renderer(french), folder, ("en", "fr"),
                              allowed=(french, *ALLOWED))
    with pikepdf.open(io.BytesIO(piece)) as document:
        total = len(document.pages)
        stamp_page_numbers(document, [(specimen(renderer, folder), 2),
                                      (english_french, total - 2)])
        out = io.BytesIO()
        document.save(out)
    assert last_lines(out.getvalue()) == [
        *(numbered_line(number, total) for number in (1, 2)),
        *(numbered_line(number, total, ("en", "fr"), {**LABELS, "fr": FRENCH})
          for number in range(3, total + 1))]


def test_a_landscape_specimen_on_portrait_pages_is_refused(
        piece: bytes, renderer: Renderer, folder: Path) -> None:
    landscape = specimen(renderer, folder, landscape=True)
    with pytest.raises(RenderError) as caught:
        stamped(piece, landscape)
    assert str(caught.value) == ("page 1 is not of the size its page numbers' specimen was "
                                 "laid out on")
    with pikepdf.open(io.BytesIO(piece)) as document:
        total = len(document.pages)
        with pytest.raises(RenderError) as caught:
            stamp_page_numbers(document, [(specimen(renderer, folder), 2),
                                          (landscape, total - 2)])
    assert str(caught.value) == ("page 3 is not of the size its page numbers' specimen was "
                                 "laid out on")


@pytest.mark.parametrize("shift", [-1, 1])
def test_runs_that_do_not_cover_the_document_are_refused(
        piece: bytes, renderer: Renderer, folder: Path, shift: int) -> None:
    portrait = specimen(renderer, folder)
    with pikepdf.open(io.BytesIO(piece)) as document:
        total = len(document.pages)
        fonts = [sorted(page.obj.Resources.Font.keys()) for page in document.pages]
        with pytest.raises(RenderError) as caught:
            stamp_page_numbers(document, [(portrait, 2), (portrait, total - 2 + shift)])
        # Refused before any page is stamped: no page was given the specimen's font.
        assert [sorted(page.obj.Resources.Font.keys()) for page in document.pages] == fonts
    assert str(caught.value) == "the page numbers' runs do not cover the document"


def test_a_specimen_follows_an_edit_of_the_templates(tmp_path: Path, piece: bytes,
                                                     folder: Path) -> None:
    """Watch mode builds again in the same process, with a new renderer when a template
    changes: the footers' words (labels.yaml) and style (page.css.j2) it stamps are those
    of the templates as they are now, not of the specimen laid out before the edit."""
    templates = tmp_path / "templates"
    shutil.copytree(REPO / "templates", templates)
    allowed = (templates, *ALLOWED)
    before = specimen(Renderer(templates), folder, allowed=allowed)
    assert last_lines(stamped(piece, before))[0] == numbered_line(1, len(last_lines(piece)))
    labels = templates / "labels.yaml"
    labels.write_text(labels.read_text(encoding="utf-8").replace(
        'page: "page"', 'page: "Page"', 1), encoding="utf-8")
    after = specimen(Renderer(templates), folder, allowed=allowed)
    total = len(last_lines(piece))
    assert last_lines(stamped(piece, after)) == [
        numbered_line(number, total, labels={**LABELS, "en": ("Page", LABELS["en"][1])})
        for number in range(1, total + 1)]
