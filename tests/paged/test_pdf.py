from __future__ import annotations

import io
from pathlib import Path

import pikepdf
import pytest

from briefing.errors import FetchRefusedError
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
