"""The low-level OOXML helpers: language tags, bookmark names, properties, grid, numbering."""

from __future__ import annotations

import io
import re
import zipfile

import docx
import docx.document
import pytest
from lxml import etree

from briefing.word.oxml import (
    W_NS,
    add_bullet_numbering,
    add_custom_xml_part,
    bookmark_name,
    custom_properties_xml,
    custom_xml_properties,
    deterministic_zip,
    drop_styles_with_effects,
    language_tag,
    mm_to_twips,
    read_custom_properties,
    remove_theme_fonts,
    set_cant_split,
    set_table_header,
    set_table_widths,
)

W = f"{{{W_NS}}}"


@pytest.mark.parametrize(("code", "tag"), [
    ("en", "en-GB"), ("ru", "ru-RU"), ("de", "de-DE"), ("kk", "kk-KZ"), ("uz", "uz-UZ"),
    ("zz", "xx-XX"),
])
def test_language_tags_mapped_then_from_cldr_then_fallback(code: str, tag: str) -> None:
    assert language_tag(code) == tag


def test_bookmark_names_are_valid_for_word_and_distinct() -> None:
    keys = ["title", "activities.2013-04-istanbul", "x" * 200, "contact.secretariat.telephone"]
    names = [bookmark_name(key, column) for key in keys for column in (0, 1, 2)]
    assert len(set(names)) == len(names)
    for name in names:
        assert len(name) <= 40
        assert re.fullmatch(r"[A-Za-z][A-Za-z0-9_]*", name)
    assert bookmark_name("title", 0) == bookmark_name("title", 0)


def test_custom_properties_read_back() -> None:
    props = {"briefing.sheet": "a-b", "briefing.kind": "sheet", "note": "Ж & <x>"}
    assert read_custom_properties(etree.fromstring(custom_properties_xml(props))) == props


def test_reals_written_by_libreoffice_read_as_their_text() -> None:
    xml = ('<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
           'custom-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/'
           'docPropsVTypes"><property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="2" '
           'name="n"><vt:r8>3.0</vt:r8></property></Properties>')
    assert read_custom_properties(etree.fromstring(xml)) == {"n": "3.0"}


def test_table_widths_in_grid_and_cells() -> None:
    document = docx.Document()
    table = document.add_table(rows=2, cols=2)
    set_table_widths(table, [1000, 2000])
    grid = [int(c.get(f"{W}w")) for c in table._tbl.tblGrid]
    assert grid == [1000, 2000]
    for row in table.rows:
        assert [int(c._tc.tcPr.find(f"{W}tcW").get(f"{W}w")) for c in row.cells] == grid
    assert table._tbl.tblPr.find(f"{W}tblLayout").get(f"{W}type") == "fixed"
    assert mm_to_twips(25.4) == 1440


def test_bullet_numbering_definition_precedes_its_num() -> None:
    document = docx.Document()
    num_id = add_bullet_numbering(document, "Noto Sans")
    numbering = document.part.numbering_part.element
    children = [etree.QName(child).localname for child in numbering]
    assert children.index("abstractNum") < children.index("num")
    assert max(i for i, n in enumerate(children) if n == "abstractNum") < children.index("num")
    num = next(n for n in numbering.iter(f"{W}num") if n.get(f"{W}numId") == str(num_id))
    abstract_id = num.find(f"{W}abstractNumId").get(f"{W}val")
    level = next(a for a in numbering.iter(f"{W}abstractNum")
                 if a.get(f"{W}abstractNumId") == abstract_id).find(f"{W}lvl")
    assert level.find(f"{W}numFmt").get(f"{W}val") == "bullet"


def test_theme_fonts_removed_and_family_named() -> None:
    document = docx.Document()
    remove_theme_fonts(document, "Noto Sans")
    for fonts in document.styles.element.iter(f"{W}rFonts"):
        assert not [name for name in fonts.attrib if "heme" in name]
        assert fonts.get(f"{W}ascii") == "Noto Sans"


def test_deterministic_zip_fixes_dates_and_drops_entries() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("a.xml", "<a/>")
        archive.writestr("thumb.jpeg", "x")
    packed = deterministic_zip(out.getvalue(), drop=["thumb.jpeg"])
    with zipfile.ZipFile(io.BytesIO(packed)) as archive:
        assert [(i.filename, i.date_time) for i in archive.infolist()] == \
            [("a.xml", (2000, 1, 1, 0, 0, 0))]


def saved(document: docx.document.Document) -> dict[str, bytes]:
    out = io.BytesIO()
    document.save(out)
    with zipfile.ZipFile(out) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def test_row_properties_are_on_by_presence_as_word_writes_them() -> None:
    document = docx.Document()
    row = document.add_table(rows=1, cols=1).rows[0]
    set_cant_split(row)
    set_table_header(row)
    set_cant_split(row)  # twice: still one element
    properties = row._tr.trPr
    assert [etree.QName(child).localname for child in properties] == ["cantSplit", "tblHeader"]
    assert all(child.get(f"{W}val") is None for child in properties)


def test_custom_xml_item_comes_with_its_properties_part() -> None:
    content = b'<?xml version="1.0"?><b xmlns="urn:example:1"><x/></b>'
    document = docx.Document()
    add_custom_xml_part(document, content)
    files = saved(document)
    # python-docx's template already holds item1 (and its itemProps1).
    assert files["customXml/item2.xml"] == content
    rels = etree.fromstring(files["customXml/_rels/item2.xml.rels"])
    assert [(str(r.get("Type")).rsplit("/", 1)[-1], r.get("Target")) for r in rels] == \
        [("customXmlProps", "itemProps2.xml")]
    props = etree.fromstring(files["customXml/itemProps2.xml"])
    ds = "{http://schemas.openxmlformats.org/officeDocument/2006/customXml}"
    assert props.tag == f"{ds}datastoreItem"
    item_id = str(props.get(f"{ds}itemID"))
    assert re.fullmatch(r"\{[0-9A-F]{8}(-[0-9A-F]{4}){3}-[0-9A-F]{12}\}", item_id)
    assert [r.get(f"{ds}uri") for r in props.iter(f"{ds}schemaRef")] == ["urn:example:1"]
    assert props.get(f"{ds}itemID") != etree.fromstring(
        files["customXml/itemProps1.xml"]).get(f"{ds}itemID")
    types = files["[Content_Types].xml"].decode()
    assert ('PartName="/customXml/itemProps2.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.customXmlProperties+xml"') in types
    assert custom_xml_properties(content) == files["customXml/itemProps2.xml"]  # deterministic


def test_styles_with_effects_is_left_out_with_its_content_type() -> None:
    document = docx.Document()
    assert "word/stylesWithEffects.xml" in saved(document)
    drop_styles_with_effects(document)
    files = saved(document)
    assert "word/stylesWithEffects.xml" not in files
    assert b"stylesWithEffects" not in files["[Content_Types].xml"]
    assert b"stylesWithEffects" not in files["word/_rels/document.xml.rels"]
