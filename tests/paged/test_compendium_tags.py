"""The compendium's join keeps one structure tree: each part's becomes a /Part of the
front's, with its marked content, links and header cell IDs renumbered; the page numbers
it stamps on every page are artifacts, outside the tree."""

from __future__ import annotations

import io
from pathlib import Path

import pikepdf
import pytest
import weasyprint

from briefing.build.pool import renderer_for
from briefing.paged.compendium import TocEntry, join, part_prefix
from briefing.paged.join import with_unique_ids
from briefing.paged.pdf import render_pdf
from briefing.paged.render import fonts_url
from briefing.paged.stamp import Specimen, specimen_for
from tests.conftest import REPO
from tests.pdftags import elements, tree_problems

ALLOWED = (REPO / "templates", REPO / "fonts", REPO / "data")
PAIRS = ('<table><thead><tr><th scope="col">English</th><th scope="col" lang="ru">Русский</th>'
         '</tr></thead><tbody><tr><td>one</td><td lang="ru">один</td></tr>'
         '<tr><th scope="row">row</th><td lang="ru">ряд</td></tr></tbody></table>')


def rendered(body: str, tmp_path: Path, *, style: str = "", title: str = "t") -> bytes:
    html = (f'<!DOCTYPE html><html lang="en"><head><title>{title}</title>'
            f"<style>{style}</style></head><body>{body}</body></html>")
    return render_pdf(html, base_url=tmp_path, allowed_roots=ALLOWED)


def opened(content: bytes) -> pikepdf.Pdf:
    return pikepdf.open(io.BytesIO(content))


@pytest.fixture(scope="module")
def numbers(tmp_path_factory: pytest.TempPathFactory) -> list[Specimen]:
    """The page numbers' specimens of the front, the matrix and one part: all portrait,
    as the small documents joined here are (the specimen is laid out once for all)."""
    folder = tmp_path_factory.mktemp("specimen")
    specimen = specimen_for(renderer_for(REPO / "templates"), ("en", "ru"),
                            fonts_url=fonts_url(folder, REPO / "fonts"), base_url=folder,
                            allowed_roots=ALLOWED)
    return [specimen] * 3


def pagination_artifacts(page: pikepdf.Page) -> int:
    """How many marked-content sequences of ``page`` are pagination artifacts."""
    return sum(1 for instruction in pikepdf.parse_content_stream(page)
               if str(instruction.operator) == "BDC"
               and str(instruction.operands[0]) == "/Artifact"
               and isinstance(instruction.operands[1], pikepdf.Dictionary)
               and instruction.operands[1].get("/Type") == pikepdf.Name.Pagination)


def test_join_merges_the_parts_structure_trees(tmp_path: Path,
                                               numbers: list[Specimen]) -> None:
    style = '@page { @top-center { content: "Head" } }'
    front = rendered(PAIRS, tmp_path, style=style, title="front")
    matrix = rendered("<h1>Matrix</h1>" + PAIRS, tmp_path, style=style, title="matrix")
    part = tmp_path / "part.pdf"
    # A part is laid out with its IDs made unique (as_part does it), the matrix is not.
    part.write_bytes(with_unique_ids(rendered(
        '<h1>Part</h1><p><a href="https://example.org/">out</a></p>' + PAIRS
        + '<p id="x" style="break-before: page">x</p>', tmp_path, style=style, title="part"),
        part_prefix("part")))
    toc = [TocEntry({"en": "M", "ru": "М"}, 2), TocEntry({"en": "P", "ru": "П"}, 3)]
    with opened(join(front, matrix, [part], toc, numbers)) as pdf:
        assert tree_problems(pdf) == []
        # Every page: the running head WeasyPrint marked, and both footers stamped, as
        # artifacts; the tree says nothing of them, and holds together with them.
        assert [pagination_artifacts(page) for page in pdf.pages] == [3] * 4
        top = pdf.Root.StructTreeRoot.K[0]
        assert [str(k.S) for k in top.K] == ["/Table", "/Part", "/Part"]
        ids = [str(e.ID) for e in elements(pdf) if "/ID" in e]
        langs = [str(e.Lang) for e in elements(pdf) if "/Lang" in e and e.S == "/TD"]
        with pdf.open_metadata() as metadata:
            assert metadata.get("pdfuaid:part") == "1"
        assert bool(pdf.Root.MarkInfo.Marked)
    assert len(ids) == len(set(ids)) == 9  # three tables of three header cells
    assert sum(1 for i in ids if i.startswith("matrix/")) == 3
    assert sum(1 for i in ids if i.startswith("part/")) == 3
    assert langs == ["ru"] * 6


def test_join_of_an_untagged_part_leaves_no_tree_that_would_lie(
        tmp_path: Path, numbers: list[Specimen]) -> None:
    front = rendered(PAIRS, tmp_path)
    matrix = rendered(PAIRS, tmp_path)
    part = tmp_path / "part.pdf"
    part.write_bytes(weasyprint.HTML(string="<p>untagged</p>").write_pdf())
    toc = [TocEntry({"en": "M"}, 2), TocEntry({"en": "P"}, 3)]
    with opened(join(front, matrix, [part], toc, numbers)) as pdf:
        assert "/StructTreeRoot" not in pdf.Root
        assert "/MarkInfo" not in pdf.Root
        assert all("/StructParents" not in page.obj for page in pdf.pages)
