"""Nothing from outside the project: links out of templates/, data/ and the hashed folders,
a DOCX naming a sheet by a path, and URLs (checked against a loopback server)."""

from __future__ import annotations

import io
import os
import zipfile
from pathlib import Path

import jinja2
import pytest

from briefing.errors import TemplateError
from briefing.paged.render import Renderer
from tests.cli_runner import run
from tests.conftest import REPO
from tests.docx_helpers import sheet_docx
from tests.hostile.support import (
    BUILD,
    SHEET,
    TITLE_EN,
    TITLE_RU,
    Loopback,
    OpenProbe,
    error_lines,
    link,
    refused,
    set_title,
)

SECRET = "SECRET-FROM-OUTSIDE"


def outputs_text(project: Path) -> bytes:
    reports = project / "reports"
    return b"".join(p.read_bytes() for p in reports.rglob("*") if p.is_file()) \
        if reports.exists() else b""


def test_a_template_linked_outside_templates_is_refused(project: Path, outside: Path) -> None:
    secret = outside / "cells.j2"
    secret.write_text(SECRET, encoding="utf-8")
    link(project / "templates" / "_cells.html.j2", secret)
    refused(project, BUILD, [f"Error: templates/_cells.html.j2: cannot read: a link to {secret}, "
                             "outside templates/"])
    assert SECRET.encode() not in outputs_text(project)


def test_the_template_loader_resolves_every_name_inside_templates(
    project: Path, outside: Path
) -> None:
    templates = project / "templates"
    secret = outside / "secret.j2"
    secret.write_text(SECRET, encoding="utf-8")
    link(templates / "_cells.html.j2", secret)
    environment = Renderer(templates).environment
    with pytest.raises(TemplateError) as caught:
        environment.get_template("_cells.html.j2")
    assert str(caught.value) == (f"templates/_cells.html.j2: cannot read: a link to {secret}, "
                                 "outside templates/")
    for name in ("../outside/secret.j2", f"../../{outside.name}/secret.j2"):
        with pytest.raises(jinja2.TemplateNotFound):
            environment.get_template(name)
    os.mkfifo(templates / "pipe.j2")
    with pytest.raises(TemplateError) as caught:
        environment.get_template("pipe.j2")
    assert str(caught.value) == "templates/pipe.j2: cannot read: not a regular file (a pipe)"


def test_a_hashed_template_file_linked_outside_is_never_opened(
    project: Path, outside: Path
) -> None:
    probe = OpenProbe(outside / "probe.css")
    link(project / "templates" / "extra.css", probe.path)
    refused(project, BUILD, [f"Error: templates/extra.css: cannot read: a link to {probe.path}, "
                             "outside templates/"])
    assert not probe.was_opened()


def test_a_linked_folder_inside_templates_may_not_lead_out(project: Path, outside: Path) -> None:
    (outside / "more").mkdir()
    link(project / "templates" / "more", outside / "more")
    refused(project, BUILD, [f"Error: templates/more: cannot read: a link to {outside / 'more'}, "
                             "outside templates/"])


def sheet_outside(outside: Path) -> Path:
    """A valid sheet, kept outside the project, with a secret in it."""
    source = REPO / "data" / "sheets" / f"{SHEET}.yaml"
    text = source.read_text(encoding="utf-8").replace(f"id: {SHEET}", "id: evil")
    text = text.replace(TITLE_EN, SECRET, 1)
    sheet = outside / "evil.yaml"
    sheet.write_text(text, encoding="utf-8")
    return sheet


@pytest.mark.parametrize("argv", [["build", "-j", "1"], ["check"]])
def test_a_sheet_linked_outside_data_is_refused(project: Path, outside: Path,
                                                argv: list[str]) -> None:
    sheet = sheet_outside(outside)
    link(project / "data" / "sheets" / "evil.yaml", sheet)
    line = f"data/sheets/evil.yaml: cannot read: a link to {sheet}, outside sheets/"
    if argv == ["check"]:
        result = run(project, *argv)
        assert result.code == 1
        assert f"data/sheets/evil.yaml: error: cannot read: a link to {sheet}, outside " \
               "sheets/ [schema]" in result.out.splitlines()
        assert SECRET not in result.out + result.err
    else:
        refused(project, argv, [line])
    assert SECRET.encode() not in outputs_text(project)


def test_a_sheet_linked_to_a_pipe_outside_is_never_opened(project: Path, outside: Path) -> None:
    probe = OpenProbe(outside / "probe.yaml")
    link(project / "data" / "sheets" / "evil.yaml", probe.path)
    refused(project, (*BUILD, "--sheet", "evil"), [
        f"data/sheets/evil.yaml: cannot read: a link to {probe.path}, outside sheets/"])
    assert not probe.was_opened()


def with_sheet_property(content: bytes, sheet: str) -> bytes:
    """The DOCX with its sheet reference (document property and base texts) replaced."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(content)) as source, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename.endswith(".xml"):
                data = data.replace(b">budapest-process<", f">{sheet}<".encode())
                data = data.replace(b'sheet="budapest-process"', f'sheet="{sheet}"'.encode())
            target.writestr(info.filename, data)
    return out.getvalue()


def test_a_docx_naming_its_sheet_by_a_path_is_refused_before_any_read(
    project: Path, outside: Path, tmp_path: Path
) -> None:
    probe = OpenProbe(outside / "probe.yaml")
    reference = f"../../../{outside.name}/probe"
    edited = tmp_path / "edited.docx"
    edited.write_bytes(with_sheet_property(sheet_docx(project), reference))
    refused(project, ["import-docx", str(edited)], [
        f"Error: {edited}: its briefing.sheet document property {reference!r} is not a "
        "sheet id"])
    assert not probe.was_opened()


@pytest.mark.parametrize(("make", "kind"), [
    (lambda path: link(path, Path("/dev/zero")), "a character device"),
    (os.mkfifo, "a pipe"),
])
def test_a_docx_that_is_a_device_or_a_pipe_is_refused_unread(
    project: Path, tmp_path: Path, make: object, kind: str
) -> None:
    docx = tmp_path / "edited.docx"
    make(docx)  # type: ignore[operator]
    refused(project, ["import-docx", str(docx)], [f"Error: {docx}: not a regular file ({kind})"])


def add_to_head(project: Path, markup: str) -> None:
    template = project / "templates" / "_base.html.j2"
    text = template.read_text(encoding="utf-8")
    assert "</head>" in text
    template.write_text(text.replace("</head>", f"{markup}</head>", 1), encoding="utf-8")


@pytest.mark.parametrize("markup", [
    '<link rel="stylesheet" href="{url}/style.css">',
    '<style>@import url("{url}/import.css");</style>',
    '<style>body {{ background: url("{url}/background.png") }}</style>',
])
def test_a_template_asking_for_a_url_is_refused_and_nothing_is_fetched(
    project: Path, loopback: Loopback, markup: str
) -> None:
    add_to_head(project, markup.format(url=loopback.url))
    asked = markup.format(url=loopback.url).split('"')[-2] if "url(" in markup else \
        markup.format(url=loopback.url).split('href="')[1].split('"')[0]
    refused(project, BUILD, [
        f"sheet {SHEET}: refused to fetch {asked}: documents may only use files inside the "
        "project's templates/, fonts/ and data/ folders",
        "Error: 1 document(s) failed"])
    assert loopback.requests == []


def test_a_template_asking_for_a_file_outside_is_refused(project: Path, outside: Path) -> None:
    secret = outside / "secret.css"
    secret.write_text("body { color: red }", encoding="utf-8")
    add_to_head(project, f'<link rel="stylesheet" href="{secret.as_uri()}">')
    refused(project, BUILD, [
        f"sheet {SHEET}: refused to fetch {secret.as_uri()}: documents may only use files "
        "inside the project's templates/, fonts/ and data/ folders",
        "Error: 1 document(s) failed"])


def test_markup_in_the_data_is_text_and_fetches_nothing(project: Path,
                                                       loopback: Loopback) -> None:
    tag = f'<img src = "{loopback.url}/pixel.png" > <link rel=stylesheet href = "{loopback.url}/x">'
    set_title(project, f"{TITLE_EN} {tag}", f"{TITLE_RU} {tag}")
    code, _, err = run(project, *BUILD)
    assert code == 0, err
    assert loopback.requests == []
    html = (project / "reports" / f"{SHEET}.html").read_text(encoding="utf-8")
    assert f"&lt;img src = &#34;{loopback.url}/pixel.png&#34; &gt;" in html
    assert "<img" not in html
    assert "<link rel=stylesheet" not in html
    assert error_lines(err) == []
