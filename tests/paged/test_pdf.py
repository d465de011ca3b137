from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pikepdf
import pytest

from briefing.errors import FetchRefusedError, RenderError
from briefing.paged import pdf as pdf_module
from briefing.paged.pdf import render_pdf
from tests.conftest import REPO
from tests.pdftext import struct_elements

ALLOWED = (REPO / "templates", REPO / "fonts", REPO / "data")


def html_with(body: str) -> str:
    return f'<!DOCTYPE html><html lang="en"><head><title>t</title></head><body>{body}</body></html>'


@pytest.mark.parametrize("url", [
    "file:///etc/passwd",
    "http://127.0.0.1:9/x.png",
    "https://example.org/x.css",
    "../../etc/hostname",
])
def test_resources_outside_the_project_folders_are_refused(url: str, tmp_path: Path) -> None:
    with pytest.raises(FetchRefusedError) as caught:
        render_pdf(html_with(f'<img src="{url}">'), base_url=tmp_path / "reports",
                   allowed_roots=ALLOWED)
    message = str(caught.value)
    assert message.startswith("refused to fetch ")
    assert message.endswith("documents may only use files inside the project's templates/, "
                            "fonts/ and data/ folders")


def test_stylesheets_are_refused_too(tmp_path: Path) -> None:
    with pytest.raises(FetchRefusedError, match="refused to fetch file:///etc/hostname"):
        render_pdf(html_with('<link rel="stylesheet" href="file:///etc/hostname">'),
                   base_url=tmp_path, allowed_roots=ALLOWED)


def test_files_inside_the_project_folders_are_fetched(tmp_path: Path) -> None:
    font = (REPO / "fonts" / "NotoSans-Bold.ttf").as_uri()
    html = html_with(f'<style>@font-face {{ font-family: X; src: url("{font}") }} '
                     f'p {{ font-family: X }}</style><p>Привет</p>')
    pdf = render_pdf(html, base_url=tmp_path, allowed_roots=ALLOWED)
    with pikepdf.open(io.BytesIO(pdf)) as document:
        fonts = [str(f.get("/BaseFont")) for f in document.pages[0].Resources.Font.values()]
    assert [name.split("+", 1)[1] for name in fonts] == ["X-Bold"]  # NotoSans-Bold.ttf, subset


def test_second_cells_get_the_right_language(tmp_path: Path) -> None:
    html = html_with('<table><tr><td>one</td><td lang="ru">два</td></tr></table>')
    pdf = render_pdf(html, base_url=tmp_path, allowed_roots=ALLOWED, right_lang="ru")
    with pikepdf.open(io.BytesIO(pdf)) as document:
        langs = [str(cell.get("/Lang", "")) for cell in struct_elements(document, "/TD")]
    assert langs == ["", "ru"]


def font_html(font: Path, body: str = "<p>Привет</p>") -> str:
    """A document as the templates make them: its one style sheet in its head."""
    style = (f'@font-face {{ font-family: X; src: url("{font.as_uri()}") }} '
             'p { font-family: X; color: #123456 } .b { color: #654321 }')
    return html_with(body).replace("</head>", f"<style>{style}</style></head>")


def test_a_shared_style_sheet_gives_the_bytes_an_inline_one_does(tmp_path: Path) -> None:
    shared = font_html(REPO / "fonts" / "NotoSans-Bold.ttf")
    # Another <style> (or a <link>): WeasyPrint parses each where it is, nothing is shared.
    inline = shared.replace("<title>t</title>", "<title>t</title><style></style>")
    assert pdf_module._without_style(inline) is None
    assert pdf_module._without_style(shared) is not None
    for other in ("<style>p { color: red }</style>", '<link rel="stylesheet" href="x.css">'):
        assert pdf_module._without_style(shared.replace("<p>", f"{other}<p>")) is None
    first = render_pdf(shared, base_url=tmp_path, allowed_roots=ALLOWED)
    assert render_pdf(shared, base_url=tmp_path, allowed_roots=ALLOWED) == first  # kept sheet
    assert render_pdf(inline, base_url=tmp_path, allowed_roots=ALLOWED) == first


def base_fonts(pdf: bytes) -> list[str]:
    with pikepdf.open(io.BytesIO(pdf)) as document:
        return [str(f.get("/BaseFont")).split("+", 1)[1]
                for f in document.pages[0].Resources.Font.values()]


def test_a_font_replaced_between_documents_is_loaded_again(tmp_path: Path) -> None:
    # Watch mode lays documents out in one process while fonts/ is edited.
    font = tmp_path / "fonts" / "X.ttf"
    font.parent.mkdir()
    shutil.copy(REPO / "fonts" / "NotoSans-Bold.ttf", font)
    allowed = (*ALLOWED, font.parent)
    html = font_html(font)
    assert base_fonts(render_pdf(html, base_url=tmp_path, allowed_roots=allowed)) == ["X-Bold"]
    shutil.copy(REPO / "fonts" / "NotoSans-Italic.ttf", font)
    assert base_fonts(render_pdf(html, base_url=tmp_path, allowed_roots=allowed)) == \
        ["X-Italic"]
    font.write_bytes(b"\0\1\0\0 not a font" * 64)
    for _ in range(2):  # a style sheet whose font did not load is not kept
        with pytest.raises(RenderError) as caught:
            render_pdf(html, base_url=tmp_path, allowed_roots=allowed)
        assert str(caught.value) == ("the font 'X' cannot be loaded: a file of it in fonts/ "
                                     "is missing or damaged")


def test_a_font_url_that_names_no_path_is_refused_not_a_traceback(tmp_path: Path) -> None:
    html = html_with("<p>x</p>").replace("</head>", '<style>@font-face { font-family: X; '
                                         'src: url("file:///x%00y.ttf") }</style></head>')
    with pytest.raises(FetchRefusedError, match=r"^refused to fetch "):
        render_pdf(html, base_url=tmp_path, allowed_roots=ALLOWED)


STUBBED = html_with(
    "<style>@page { size: A6 } @page after-4 { counter-increment: page 4 }"
    " a::after { content: ' p. ' target-counter(attr(href url), page) }"
    " div.stub { break-before: page } div.after-4 { page: after-4 }</style>"
    '<p><a href="#one">One</a></p><p><a href="#two">Two</a></p>'
    '<div class="stub" id="one"></div><div class="stub after-4" id="two"></div>')


def test_stub_pages_are_counted_on_and_left_out(tmp_path: Path) -> None:
    # Two stubs after a one-page document: the first counted as page 2, the second 4 on.
    pdf = render_pdf(STUBBED, base_url=tmp_path, allowed_roots=ALLOWED, stubs=2)
    with pikepdf.open(io.BytesIO(pdf)) as document:
        assert len(document.pages) == 1
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True,
                          check=True).stdout.decode()
    assert "One p. 2" in text
    assert "Two p. 6" in text
    with pikepdf.open(io.BytesIO(render_pdf(STUBBED, base_url=tmp_path,
                                            allowed_roots=ALLOWED))) as whole:
        assert len(whole.pages) == 3


def test_more_stubs_than_pages_is_a_render_error(tmp_path: Path) -> None:
    with pytest.raises(RenderError, match=r"^3 stub page\(s\) asked for, 3 laid out$"):
        render_pdf(STUBBED, base_url=tmp_path, allowed_roots=ALLOWED, stubs=3)
