"""The sheet DOCX: its XML read back — table grid, widths, styles, lists, languages, fonts."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import docx
import pdfplumber
import pytest

from briefing.cli import main
from briefing.core import markup
from briefing.core.lang import language_name
from briefing.core.load import load_project
from briefing.core.rows import sheet_rows
from briefing.paged.render import Renderer
from briefing.style import FONT_FAMILY, PAGE_MARGINS_MM
from briefing.word.document import text_width_twips
from briefing.word.oxml import (
    BASE_NS,
    bookmark_name,
    language_tag,
    mm_to_twips,
    read_custom_properties,
)
from briefing.word.read import read_docx
from tests.conftest import REPO
from tests.docx_helpers import SHEET, W, misordered, part, sheet_docx, table_rows


@pytest.fixture(scope="module")
def content() -> bytes:
    return sheet_docx(REPO)


@pytest.fixture(scope="module")
def body(content: bytes) -> Any:
    return part(content, "word/document.xml")


def _val(element: Any, tag: str, attribute: str = "val") -> str | None:
    found = element.find(f"{W}{tag}")
    return None if found is None else found.get(f"{W}{attribute}")


def _on(tr: Any, tag: str) -> bool:
    found = tr.find(f"{W}trPr/{W}{tag}")
    return found is not None and found.get(f"{W}val") is None


def test_page_is_a4_with_the_pdf_margins(body: Any) -> None:
    section = body.find(f".//{W}sectPr")
    size = section.find(f"{W}pgSz")
    assert (size.get(f"{W}w"), size.get(f"{W}h")) == (str(mm_to_twips(210)), str(mm_to_twips(297)))
    margins = section.find(f"{W}pgMar")
    assert [margins.get(f"{W}{side}") for side in ("top", "right", "bottom", "left")] == \
        [str(mm_to_twips(mm)) for mm in (22, 16, 20, 16)]
    assert PAGE_MARGINS_MM.css == "22mm 16mm 20mm 16mm"
    sheet = load_project(REPO / "data", REPO).project.sheets[SHEET]
    html = Renderer(REPO / "templates").sheet_html(sheet, draft=False, fonts_url="fonts")
    assert "margin: 22mm 16mm 20mm 16mm;" in html


def test_two_fixed_columns_in_grid_and_every_cell(body: Any) -> None:
    table = next(body.iter(f"{W}tbl"))
    grid = [int(col.get(f"{W}w")) for col in table.find(f"{W}tblGrid")]
    assert len(grid) == 2
    assert sum(grid) == text_width_twips() == mm_to_twips(178)
    assert _val(table.find(f"{W}tblPr"), "tblLayout", "type") == "fixed"
    for tr in table.findall(f"{W}tr"):
        widths = [int(tc.find(f"{W}tcPr/{W}tcW").get(f"{W}w")) for tc in tr.findall(f"{W}tc")]
        assert widths == grid


def test_header_row_repeats_and_names_the_languages(body: Any) -> None:
    header, *rows = table_rows(body)
    # On/off row properties are present without w:val, as Word writes them: the schema
    # Word validates against allows only "on"/"off" there, not python-docx's "true".
    assert _on(header, "tblHeader")
    names = ["".join(tc.itertext()) for tc in header.findall(f"{W}tc")]
    assert names == [language_name("en"), language_name("ru")] == ["English", "Русский"]
    assert all(_on(tr, "cantSplit") for tr in rows)
    assert not any(tr.find(f"{W}trPr/{W}tblHeader") is not None for tr in rows)


def test_same_rows_and_order_as_the_pdf(body: Any) -> None:
    sheet = load_project(REPO / "data", REPO).project.sheets[SHEET]
    rows = sheet_rows(sheet)
    trs = table_rows(body)[1:]
    assert len(trs) == len(rows)
    for row, tr in zip(rows, trs, strict=True):
        left, right = ("".join(tc.itertext()) for tc in tr.findall(f"{W}tc"))
        names = {b.get(f"{W}name") for b in tr.iter(f"{W}bookmarkStart")}
        assert names == {bookmark_name(row.key, 0), bookmark_name(row.key, 1)}
        if row.kind == "contact-plain":
            assert left.endswith(row.texts["en"])
            assert right.endswith(row.texts["ru"])
        else:
            assert (left, right) == (markup.plain(row.texts["en"]), markup.plain(row.texts["ru"]))


def test_headings_use_word_heading_styles(body: Any, content: bytes) -> None:
    sheet = load_project(REPO / "data", REPO).project.sheets[SHEET]
    expected = {"document-title": "Heading1", "heading": "Heading2", "title": "Heading3",
                "subheading": "Heading4"}
    seen = set()
    for row, tr in zip(sheet_rows(sheet), table_rows(body)[1:], strict=True):
        styles = {_val(p.find(f"{W}pPr"), "pStyle") if p.find(f"{W}pPr") is not None else None
                  for p in tr.iter(f"{W}p")}
        if row.kind in expected:
            assert styles == {expected[row.kind]}, row.key
            seen.add(row.kind)
    assert seen == set(expected)
    document = docx.Document(io.BytesIO(content))
    for name in ("Heading 1", "Heading 2", "Heading 3", "Heading 4"):
        style = document.styles[name]
        assert style.font.name == FONT_FAMILY
        assert style.element.xpath("string(.//w:outlineLvl/@w:val)") == str(int(name[-1]) - 1)


def test_no_theme_fonts_anywhere_in_the_styles(content: bytes) -> None:
    styles = part(content, "word/styles.xml")
    theme_attributes = [name for fonts in styles.iter(f"{W}rFonts") for name in fonts.attrib
                        if "Theme" in name or "theme" in name]
    assert theme_attributes == []
    defaults = styles.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}rFonts")
    assert {defaults.get(f"{W}{slot}") for slot in ("ascii", "hAnsi", "cs", "eastAsia")} == \
        {FONT_FAMILY}


def test_list_items_and_activities_are_word_bullet_lists(body: Any, content: bytes) -> None:
    numbering = part(content, "word/numbering.xml")
    sheet = load_project(REPO / "data", REPO).project.sheets[SHEET]
    num_ids = set()
    for row, tr in zip(sheet_rows(sheet), table_rows(body)[1:], strict=True):
        for p in tr.iter(f"{W}p"):
            num_id = p.find(f"{W}pPr/{W}numPr/{W}numId")
            if row.kind in ("list-item", "activity"):
                assert num_id is not None, row.key
                num_ids.add(num_id.get(f"{W}val"))
                assert "•" not in "".join(p.itertext())
            else:
                assert num_id is None, row.key
    assert len(num_ids) == 1
    num = next(n for n in numbering.iter(f"{W}num") if n.get(f"{W}numId") in num_ids)
    abstract_id = _val(num, "abstractNumId")
    abstract = next(a for a in numbering.iter(f"{W}abstractNum")
                    if a.get(f"{W}abstractNumId") == abstract_id)
    assert _val(abstract.find(f"{W}lvl"), "numFmt") == "bullet"
    assert _val(abstract.find(f"{W}lvl"), "lvlText") == "•"


def test_every_run_carries_its_columns_language_and_the_fonts(body: Any) -> None:
    for tr in table_rows(body):
        for tc, lang in zip(tr.findall(f"{W}tc"), ("en", "ru"), strict=True):
            runs = list(tc.iter(f"{W}r"))
            assert runs
            for run in runs:
                assert _val(run.find(f"{W}rPr"), "lang") == language_tag(lang)
                fonts = run.find(f"{W}rPr/{W}rFonts")
                assert [fonts.get(f"{W}{slot}") for slot in ("ascii", "hAnsi", "cs", "eastAsia")] \
                    == [FONT_FAMILY] * 4
    assert (language_tag("en"), language_tag("ru")) == ("en-GB", "ru-RU")


def test_ordinals_are_superscript_runs(body: Any) -> None:
    superscripts = [run for run in body.iter(f"{W}r")
                    if _val(run.find(f"{W}rPr"), "vertAlign") == "superscript"]
    texts = {"".join(run.itertext()) for run in superscripts}
    assert texts == {"rd", "th", "st", "nd"}
    for run in superscripts:
        before = "".join(run.getprevious().itertext())
        assert re.search(r"\d$", before)


def test_core_and_custom_properties(content: bytes) -> None:
    document = docx.Document(io.BytesIO(content))
    core = document.core_properties
    assert core.title == "Participant Information / Информация участника"
    assert core.author == "Budapest Process"
    assert core.language == "en-GB"
    custom = read_custom_properties(part(content, "docProps/custom.xml"))
    assert custom["briefing.kind"] == "sheet"
    assert custom["briefing.sheet"] == SHEET
    assert re.fullmatch(r"[0-9a-f]{16}", custom["briefing.base"])


def test_base_texts_travel_in_a_custom_xml_part(content: bytes) -> None:
    sheet = load_project(REPO / "data", REPO).project.sheets[SHEET]
    base = part(content, "customXml/item2.xml")
    assert base.tag == f"{{{BASE_NS}}}briefing"
    units = base.findall(f"{{{BASE_NS}}}unit")
    assert [u.get("key") for u in units] == [row.key for row in sheet_rows(sheet)]
    forum = next(u for u in units if u.get("key") == "description.forum")
    texts = {t.get("lang"): t.text for t in forum}
    unit = next(u for u in sheet.units() if u.key == "description.forum")
    assert texts == unit.texts


def test_identical_input_gives_identical_bytes(content: bytes) -> None:
    assert sheet_docx(REPO) == content


def _set_text(sheet_file: Path, old: str, new: str) -> None:
    text = sheet_file.read_text(encoding="utf-8")
    assert old in text
    sheet_file.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_bold_and_italic_markup_become_bold_and_italic_runs(project: Path,
                                                            sheet_file: Path) -> None:
    _set_text(sheet_file, "is a consultative forum", "is a **consultative** *forum*")
    body = part(sheet_docx(project), "word/document.xml")
    runs = {"".join(run.itertext()): run.find(f"{W}rPr") for run in body.iter(f"{W}r")}
    assert runs["consultative"].find(f"{W}b") is not None
    assert runs["consultative"].find(f"{W}i") is None
    assert runs["forum"].find(f"{W}i") is not None
    assert runs["forum"].find(f"{W}b") is None
    assert "**" not in "".join(body.itertext())


def test_pdf_sets_the_same_emphasis_in_bold_and_italic_faces(project: Path,
                                                             sheet_file: Path) -> None:
    _set_text(sheet_file, "is a consultative forum", "is a **consultative** *forum*")
    out = project / "out"
    assert main(["--root", str(project), "build", "--sheet", SHEET, "--output", str(out)],
                stdout=io.StringIO(), stderr=io.StringIO()) == 0
    with pdfplumber.open(out / f"{SHEET}.pdf") as pdf:
        chars = pdf.pages[0].chars
    text = "".join(c["text"] for c in chars)
    start = text.index("consultative")
    assert {c["fontname"].split("+")[-1] for c in chars[start:start + 12]} == {"Noto-Sans-Bold"}
    start = text.index("forum", start)
    assert {c["fontname"].split("+")[-1] for c in chars[start:start + 5]} == {"Noto-Sans-Italic"}
    assert (out / f"{SHEET}.docx").is_file()


def test_missing_translation_refused_unless_draft_then_a_placeholder(project: Path,
                                                                      sheet_file: Path) -> None:
    _set_text(sheet_file, "  ru: Информация участника\n", "")
    out = project / "out"
    err = io.StringIO()
    assert main(["--root", str(project), "build", "--sheet", SHEET, "--output", str(out)],
                stdout=io.StringIO(), stderr=err) == 1
    assert "title" in err.getvalue()
    assert "--draft" in err.getvalue()
    assert not (out / f"{SHEET}.docx").exists()
    body = part(sheet_docx(project, draft=True), "word/document.xml")
    title_row = table_rows(body)[1]
    right = title_row.findall(f"{W}tc")[1]
    assert "".join(right.itertext()) == "Перевод ожидается"
    assert {_val(r.find(f"{W}rPr"), "rStyle") for r in right.iter(f"{W}r")} == {"Placeholder"}


def test_running_header_and_page_numbers_in_both_languages(content: bytes) -> None:
    header = part(content, "word/header1.xml")
    assert _text_with_tabs(header) == \
        "Participant Information · Budapest Process\tИнформация участника · Будапештский процесс"
    footer = part(content, "word/footer1.xml")
    fields = [f.get(f"{W}instr") for f in footer.iter(f"{W}fldSimple")]
    assert fields == [" PAGE ", " NUMPAGES ", " PAGE ", " NUMPAGES "]
    labels = Renderer(REPO / "templates").labels
    assert _text_with_tabs(footer) == (f"{labels['en']['page']} 1 {labels['en']['of']} 1\t"
                                       f"{labels['ru']['page']} 1 {labels['ru']['of']} 1")
    langs = [_val(r.find(f"{W}rPr"), "lang") for r in footer.iter(f"{W}r")]
    assert langs[0] == "en-GB"
    assert langs[-1] == "ru-RU"


def _text_with_tabs(root: Any) -> str:
    return "".join("\t" if element.tag == f"{W}tab" else element.text or ""
                   for element in root.iter(f"{W}t", f"{W}tab")
                   if element.getparent().tag == f"{W}r")


def test_property_elements_keep_the_schemas_order(content: bytes, project: Path,
                                                  sheet_file: Path) -> None:
    assert misordered(content) == []
    _set_text(sheet_file, "  ru: Информация участника\n", "")
    assert misordered(sheet_docx(project, draft=True)) == []


def _note_paragraphs(body: Any) -> list[Any]:
    return [p for p in body.iter(f"{W}p")
            if p.find(f"{W}pPr/{W}pStyle") is not None
            and _val(p.find(f"{W}pPr"), "pStyle") == "EditingNote"]


def test_note_on_editing_opens_the_document_in_both_languages(body: Any) -> None:
    labels = Renderer(REPO / "templates").labels
    notes = _note_paragraphs(body)
    texts = ["".join(p.itertext()) for p in notes]
    expected = [text for lang in ("en", "ru") for text in
                (labels[lang]["docx_note"]["title"], *labels[lang]["docx_note"]["lines"])]
    assert texts == expected
    for lang in ("en", "ru"):
        assert len(labels[lang]["docx_note"]["lines"]) + 1 <= 6
    assert "--allow-delete" in texts[3]
    assert "--allow-delete" in texts[9]
    langs = [{_val(r.find(f"{W}rPr"), "lang") for r in p.iter(f"{W}r")} for p in notes]
    assert langs == [{"en-GB"}] * 6 + [{"ru-RU"}] * 6
    assert [r.find(f"{W}rPr/{W}b") is not None for r in notes[0].iter(f"{W}r")] == [True]
    blocks = list(body.find(f"{W}body"))
    table = next(body.iter(f"{W}tbl"))
    assert all(blocks.index(p) < blocks.index(table) for p in notes)
    assert all(p.getparent().tag == f"{W}body" for p in notes)  # in no table cell
    assert blocks[0] is notes[0]


def test_note_is_a_box_of_small_type(content: bytes) -> None:
    styles = part(content, "word/styles.xml")
    note = next(s for s in styles.iter(f"{W}style") if s.get(f"{W}styleId") == "EditingNote")
    borders = note.find(f"{W}pPr/{W}pBdr")
    assert [etree_name(b) for b in borders] == ["top", "left", "bottom", "right"]
    assert {b.get(f"{W}val") for b in borders} == {"single"}
    assert _val(note.find(f"{W}rPr"), "sz") == "16"


def etree_name(element: Any) -> str:
    return str(element.tag).rsplit("}", 1)[-1]


def test_note_is_not_read_as_a_row(content: bytes) -> None:
    sheet = load_project(REPO / "data", REPO).project.sheets[SHEET]
    read = read_docx(content, "sheet.docx")
    assert [row.key for row in read.rows] == [row.key for row in sheet_rows(sheet)]


def test_note_is_left_out_when_labels_yaml_has_none(project: Path) -> None:
    labels_file = project / "templates" / "labels.yaml"
    text = labels_file.read_text(encoding="utf-8")
    labels_file.write_text(re.sub(r"  docx_note:.*?\n(?=  locale:)", "", text, flags=re.S),
                           encoding="utf-8")
    body = part(sheet_docx(project), "word/document.xml")
    assert _note_paragraphs(body) == []
    assert len(table_rows(body)) == len(table_rows(part(sheet_docx(REPO), "word/document.xml")))
