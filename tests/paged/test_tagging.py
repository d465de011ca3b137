"""PDF/UA-1 on top of WeasyPrint's tags, on small documents: what each stage adds."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pikepdf
import pytest

from briefing.errors import RenderError, TemplateError
from briefing.paged.pack import timeline_description
from briefing.paged.pdf import render_pdf
from briefing.paged.pdffile import struct_elements
from briefing.paged.tagging import declare_pdfua
from tests.conftest import REPO
from tests.pdftags import elements, tree_problems

ALLOWED = (REPO / "templates", REPO / "fonts", REPO / "data")


def rendered(body: str, tmp_path: Path, *, style: str = "", right_lang: str | None = None,
             title: str = "t") -> bytes:
    html = (f'<!DOCTYPE html><html lang="en"><head><title>{title}</title>'
            f"<style>{style}</style></head><body>{body}</body></html>")
    return render_pdf(html, base_url=tmp_path, allowed_roots=ALLOWED, right_lang=right_lang)


def opened(content: bytes) -> pikepdf.Pdf:
    return pikepdf.open(io.BytesIO(content))


def roles(pdf: pikepdf.Pdf) -> list[str]:
    return [str(e.S) for e in elements(pdf)]


PAIRS = ('<table><thead><tr><th scope="col">English</th><th scope="col" lang="ru">Русский</th>'
         '</tr></thead><tbody><tr><td>one</td><td lang="ru">один</td></tr>'
         '<tr><th scope="row">row</th><td lang="ru">ряд</td></tr></tbody></table>')


def test_languages_follow_the_html_where_they_change(tmp_path: Path) -> None:
    body = (PAIRS + '<p>English <span lang="ru">и русский</span> '
            '<span lang="en">and English again</span></p>')
    with opened(rendered(body, tmp_path)) as pdf:
        assert str(pdf.Root.Lang) == "en"
        cells = [(str(e.S), str(e.get("/Lang", ""))) for e in elements(pdf)
                 if e.S in ("/TH", "/TD")]
        spans = [str(e.Lang) for e in elements(pdf) if "/Lang" in e and e.S == "/Span"]
    assert cells == [("/TH", ""), ("/TH", "ru"), ("/TD", ""), ("/TD", "ru"), ("/TH", ""),
                     ("/TD", "ru")]
    assert spans == ["ru"]  # the English span inherits English: no /Lang of its own


def test_right_lang_fills_in_a_right_hand_cell_the_html_left_without(tmp_path: Path) -> None:
    body = "<table><tr><th>a</th><th>b</th></tr><tr><td>one</td><td>two</td></tr></table>"
    with opened(rendered(body, tmp_path, right_lang="kk")) as pdf:
        langs = [str(e.get("/Lang", "")) for e in elements(pdf) if e.S in ("/TH", "/TD")]
    assert langs == ["", "kk", "", "kk"]


def test_header_cells_carry_their_scope(tmp_path: Path) -> None:
    body = PAIRS + "<table><tr><th>plain</th></tr><tr><td>x</td></tr></table>"
    with opened(rendered(body, tmp_path)) as pdf:
        scopes = [str(e.A.Scope) for e in elements(pdf) if e.S == "/TH"]
        headers = [[str(h) for h in e.A.Headers] for e in elements(pdf) if e.S == "/TD"]
        ids = dict(pikepdf.NameTree(pdf.Root.StructTreeRoot.IDTree).items())
        assert tree_problems(pdf) == []
    assert scopes == ["/Column", "/Column", "/Row", "/Column"]
    assert all(header in ids for cell in headers for header in cell)
    assert len(ids) == 4


def test_a_presentation_table_is_tagged_as_what_it_is(tmp_path: Path) -> None:
    body = ('<table role="presentation"><tbody><tr><td>left</td><td lang="ru">справа'
            '<table><tr><th scope="col">inner</th></tr><tr><td>data</td></tr></table>'
            "</td></tr></tbody></table>")
    with opened(rendered(body, tmp_path)) as pdf:
        found = roles(pdf)
        divs = [e for e in elements(pdf) if e.S == "/Div"]
        assert [e for e in divs if "/A" in e] == []
        right = [str(e.Lang) for e in divs if "/Lang" in e]
        inner = next(e for e in elements(pdf) if e.S == "/Table")
        inner_roles = [str(e.S) for e in struct_elements(inner)]
    # table, row group, row and two cells; the nested data table stays one
    assert found.count("/Div") == 5
    assert found.count("/Table") == 1
    assert right == ["ru"]
    assert {"/TR", "/TH", "/TD"} <= set(inner_roles)


def test_presentation_table_parts_keep_no_table_attributes(tmp_path: Path) -> None:
    body = ('<table role="presentation"><tr><td colspan="2">wide</td></tr>'
            "<tr><td>a</td><td>b</td></tr></table>")
    with opened(rendered(body, tmp_path)) as pdf:
        assert [e for e in elements(pdf) if "/A" in e or "/ID" in e] == []
        assert set(roles(pdf)) <= {"/Document", "/Div", "/P", "/Span", "/NonStruct"}


def test_links_are_described_by_their_text(tmp_path: Path) -> None:
    body = ('<p><a href="#there">Go <em>there</em>\n now</a></p>'
            '<h1 id="there" style="break-before: page">There</h1>')
    with opened(rendered(body, tmp_path)) as pdf:
        contents = [str(a.Contents) for page in pdf.pages for a in page.obj.get("/Annots", [])]
        assert tree_problems(pdf) == []
    assert contents == ["Go there now"] * 2  # the <em> is a piece of its own


def test_running_headers_and_footers_are_pagination_artifacts(tmp_path: Path) -> None:
    style = ('@page { @top-center { content: "Running head" } '
             "@bottom-center { content: counter(page) } }")
    body = "<p>Body one</p><p style='break-before: page'>Body two</p>"
    with opened(rendered(body, tmp_path, style=style)) as pdf:
        assert tree_problems(pdf) == []  # no MCID left for an element outside the tree
        for page in pdf.pages:
            marked = [(str(i.operands[0]),
                       {str(k): str(v) for k, v in i.operands[1].items()}
                       if len(i.operands) > 1 else {})
                      for i in pikepdf.parse_content_stream(page)
                      if str(i.operator) in ("BDC", "BMC")]
            artifacts = [m for m in marked if m[0] == "/Artifact" and m[1]]
            assert artifacts == [("/Artifact", {"/Type": "/Pagination"})] * 2
            numbered = [int(m[1]["/MCID"]) for m in marked if "/MCID" in m[1]]
            assert numbered == list(range(len(numbered)))  # renumbered from 0


def test_figure_alt_text_from_the_svg_title(tmp_path: Path) -> None:
    body = ('<svg xmlns="http://www.w3.org/2000/svg" width="100" height="20">'
            "<title>Timeline of 2 activities, 2010–2011</title>"
            '<g><title>not this</title><circle cx="5" cy="5" r="4"/></g></svg>')
    with opened(rendered(body, tmp_path)) as pdf:
        alts = [str(e.Alt) for e in elements(pdf) if e.S == "/Figure"]
    assert alts == ["Timeline of 2 activities, 2010–2011"]


def test_pdfua_declared_next_to_pdfa_once(tmp_path: Path) -> None:
    content = rendered("<p>x</p>", tmp_path)
    with opened(content) as pdf:
        with pdf.open_metadata() as metadata:
            assert metadata.pdfa_status == "3B"
            assert metadata.get("pdfuaid:part") == "1"
        before = pdf.Root.Metadata.read_bytes()
        declare_pdfua(pdf)  # a second time changes nothing
        assert pdf.Root.Metadata.read_bytes() == before
        assert before.count(b"pdfuaid:part") == 1
        assert b"<pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>" in before
        assert before.startswith(b"<?xpacket begin=")
        assert bool(pdf.Root.ViewerPreferences.DisplayDocTitle)


def test_same_html_gives_the_same_bytes(tmp_path: Path) -> None:
    style = '@page { @top-center { content: "Head" } }'
    body = PAIRS + '<p><a href="#x">link</a></p><p id="x">x</p>'
    assert rendered(body, tmp_path, style=style) == rendered(body, tmp_path, style=style)


@pytest.mark.parametrize(("locale", "count", "expected"), [
    ("en_150", 1, "Timeline of 1 activity, 2015"),
    ("en_150", 12, "Timeline of 12 activities, 2010–2015"),
    ("ru", 1, "Хронология 1 мероприятия, 2015"),
    ("ru", 21, "Хронология 21 мероприятия, 2010–2015"),
    ("ru", 3, "Хронология 3 мероприятий, 2010–2015"),
    ("ru", 12, "Хронология 12 мероприятий, 2010–2015"),
])
def test_timeline_description_agrees_with_its_number(locale: str, count: int,
                                                     expected: str) -> None:
    from briefing.paged.render import Renderer

    lang = locale.split("_")[0]
    forms = Renderer(REPO / "templates").labels[lang]["pack"]["timeline_alt"]
    years = "2015" if count == 1 else "2010–2015"
    assert timeline_description(forms, locale, count, years) == expected


def test_timeline_description_needs_its_other_form() -> None:
    with pytest.raises(TemplateError, match=r"pack\.timeline_alt \(fr\): needs 'other'"):
        timeline_description({"one": "x"}, "fr", 5, "2010")


def test_a_subheading_is_one_level_below_what_precedes_it(tmp_path: Path) -> None:
    from briefing.core.load import load_project
    from briefing.paged.render import Renderer

    sheet = load_project(REPO / "data", REPO).project.sheets["budapest-process"]
    section = next(s for s in sheet.sections if any(b.type == "subheading" for b in s.blocks))
    untitled = section.model_copy(update={"blocks": [b for b in section.blocks
                                                     if b.type != "title"]})
    html = Renderer(REPO / "templates").sheet_html(
        sheet.model_copy(update={"sections": [untitled]}), draft=False, fonts_url="fonts")
    assert re.findall(r"<(h\d)[ >]", html) == ["h1", "h1", "h2", "h2", "h3", "h3"]
    html = Renderer(REPO / "templates").sheet_html(
        sheet.model_copy(update={"sections": [section]}), draft=False, fonts_url="fonts")
    assert re.findall(r"<(h\d)[ >]", html) == ["h1", "h1", "h2", "h2", "h3", "h3", "h4", "h4"]


def test_a_weasyprint_that_tags_another_way_is_refused(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    from weasyprint.pdf import tags

    monkeypatch.delattr(tags, "_build_box_tree")
    with pytest.raises(RenderError, match="builds its tags in another way than WeasyPrint 70"):
        rendered("<p>x</p>", tmp_path)
