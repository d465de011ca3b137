"""The compendium's join keeps one structure tree: each part's becomes a /Part of the
front's, with its marked content, links and header cell IDs renumbered."""

from __future__ import annotations

import io
from pathlib import Path

import pikepdf
import weasyprint

from briefing.paged.compendium import TocEntry, join, part_prefix, with_unique_ids
from briefing.paged.pdf import render_pdf
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


def test_join_merges_the_parts_structure_trees(tmp_path: Path) -> None:
    style = '@page { @top-center { content: "Head" } }'
    front = rendered(PAIRS, tmp_path, style=style, title="front")
    matrix = rendered("<h1>Matrix</h1>" + PAIRS, tmp_path, style=style, title="matrix")
    part = tmp_path / "part.pdf"
    # A part is laid out with its IDs made unique (part_pdf does it), the matrix is not.
    part.write_bytes(with_unique_ids(rendered(
        '<h1>Part</h1><p><a href="https://example.org/">out</a></p>' + PAIRS
        + '<p id="x" style="break-before: page">x</p>', tmp_path, style=style, title="part"),
        part_prefix("part")))
    toc = [TocEntry({"en": "M", "ru": "М"}, 2), TocEntry({"en": "P", "ru": "П"}, 3)]
    with opened(join(front, matrix, [part], toc)) as pdf:
        assert tree_problems(pdf) == []
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


def test_join_of_an_untagged_part_leaves_no_tree_that_would_lie(tmp_path: Path) -> None:
    front = rendered(PAIRS, tmp_path)
    matrix = rendered(PAIRS, tmp_path)
    part = tmp_path / "part.pdf"
    part.write_bytes(weasyprint.HTML(string="<p>untagged</p>").write_pdf())
    toc = [TocEntry({"en": "M"}, 2), TocEntry({"en": "P"}, 3)]
    with opened(join(front, matrix, [part], toc)) as pdf:
        assert "/StructTreeRoot" not in pdf.Root
        assert "/MarkInfo" not in pdf.Root
        assert all("/StructParents" not in page.obj for page in pdf.pages)
