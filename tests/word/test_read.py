"""Reading a DOCX back: keys, texts as markup, dropped formatting, and every refusal."""

from __future__ import annotations

import copy
import io
import zipfile
from typing import Any

import docx
import pytest
from docx.shared import RGBColor
from lxml import etree

from briefing.core.load import load_project
from briefing.core.rows import sheet_rows
from briefing.errors import DocxImportError
from briefing.word import read as docx_read
from briefing.word.read import read_docx
from tests.conftest import REPO
from tests.docx_helpers import (
    SHEET,
    W,
    edit_document,
    part,
    replace_part,
    row_of,
    set_cell,
    sheet_docx,
    table_rows,
)

NAME = "sheet.docx"


@pytest.fixture(scope="module")
def content() -> bytes:
    return sheet_docx(REPO)


def _error(content: bytes) -> str:
    with pytest.raises(DocxImportError) as caught:
        read_docx(content, NAME)
    return str(caught.value)


def test_reads_every_row_with_its_key_and_texts(content: bytes) -> None:
    sheet = load_project(REPO / "data", REPO).project.sheets[SHEET]
    found = read_docx(content, NAME)
    assert (found.kind, found.sheet_id, found.languages) == ("sheet", SHEET, ("en", "ru"))
    rows = sheet_rows(sheet)
    assert [row.key for row in found.rows] == [row.key for row in rows]
    assert [row.number for row in found.rows] == list(range(2, len(rows) + 2))
    forum = next(row for row in found.rows if row.key == "description.forum")
    unit = next(u for u in sheet.units() if u.key == "description.forum")
    assert [cell.markup for cell in forum.cells] == [unit.texts["en"], unit.texts["ru"]]
    assert all(not cell.dropped for row in found.rows for cell in row.cells)


def test_bold_and_italic_come_back_as_markup(content: bytes) -> None:
    row = row_of(content, "description.forum")
    edited = set_cell(content, row, 0, [("A ", {}), ("bold", {"bold": True}), (" and ", {}),
                                        ("italic", {"italic": True}), (" 3rd word", {})])
    cell = next(r for r in read_docx(edited, NAME).rows if r.key == "description.forum").cells[0]
    assert cell.markup == "A **bold** and *italic* 3rd word"
    assert cell.dropped == ()


@pytest.mark.parametrize(("formats", "dropped"), [
    ({"underline": True}, ("underline",)),
    ({"strike": True}, ("strikethrough",)),
    ({"color": RGBColor(0xFF, 0, 0)}, ("colour",)),
    ({"name": "Arial"}, ("font",)),
    ({"superscript": True}, ("superscript",)),
    ({"subscript": True}, ("subscript",)),
    ({"all_caps": True}, ("capitals",)),
])
def test_formatting_the_markup_cannot_hold_is_reported(
        content: bytes, formats: dict[str, Any], dropped: tuple[str, ...]) -> None:
    row = row_of(content, "description.forum")
    edited = set_cell(content, row, 1, [("Текст ", {}), ("выделен", formats)])
    cell = next(r for r in read_docx(edited, NAME).rows if r.key == "description.forum").cells[1]
    assert cell.markup == "Текст выделен"
    assert cell.dropped == dropped


def test_highlight_hyperlink_paragraph_break_and_image_are_reported(content: bytes) -> None:
    row = row_of(content, "description.forum")

    def edit(root: Any) -> None:
        tc = table_rows(root)[row - 1].findall(f"{W}tc")[0]
        paragraph = tc.find(f"{W}p")
        run = paragraph.find(f"{W}r")
        marked = copy.deepcopy(run)
        etree.SubElement(marked.find(f"{W}rPr"), f"{W}highlight").set(f"{W}val", "yellow")
        link = etree.SubElement(paragraph, f"{W}hyperlink")
        link.append(marked)
        picture = etree.SubElement(etree.SubElement(paragraph, f"{W}r"), f"{W}drawing")
        del picture
        second = copy.deepcopy(paragraph)
        for extra in second.findall(f"{W}bookmarkStart") + second.findall(f"{W}bookmarkEnd"):
            second.remove(extra)
        paragraph.addnext(second)

    cell = next(r for r in read_docx(edit_document(content, edit), NAME).rows
                if r.key == "description.forum").cells[0]
    assert cell.dropped == ("hyperlink", "highlight", "image")
    assert len(cell.paragraphs) == 2  # Enter in a cell: the importer decides what it means
    assert cell.paragraphs[0] == cell.paragraphs[1]


def test_placeholder_reads_as_no_text(project: Any, sheet_file: Any) -> None:
    text = sheet_file.read_text(encoding="utf-8")
    sheet_file.write_text(text.replace("  ru: Информация участника\n", ""), encoding="utf-8")
    found = read_docx(sheet_docx(project, draft=True), NAME)
    assert found.rows[0].cells[1].markup == ""
    assert "ru" not in found.base[0].texts


def test_not_a_zip() -> None:
    assert _error(b"%PDF-1.7 not a docx") == f"{NAME}: not a DOCX file (not a zip archive)"


def test_zip_without_a_document() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("hello.txt", "hi")
    assert _error(out.getvalue()) == f"{NAME}: not a DOCX file (no word/document.xml)"


def test_truncated_archive(content: bytes) -> None:
    assert _error(content[: len(content) // 2]) == f"{NAME}: not a DOCX file (not a zip archive)"


def test_corrupt_entry(content: bytes) -> None:
    data = bytearray(content)
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        info = archive.getinfo("word/document.xml")
    start = info.header_offset + 30 + len(info.filename) + len(info.extra)
    for index in range(start + 100, start + 400):
        data[index] ^= 0x5A
    message = _error(bytes(data))
    assert message.startswith(f"{NAME}: corrupt archive (")


def test_oversized_file(content: bytes, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(docx_read, "MAX_DOCX_BYTES", 1000)
    assert _error(content) == \
        f"{NAME}: file is {len(content)} bytes, larger than the 1000 bytes allowed"


def test_zip_bomb_entry_refused_by_ratio(content: bytes) -> None:
    bomb = replace_part(content, "word/styles.xml", b"<a>" + b" " * (30 * 1024 * 1024) + b"</a>")
    assert _error(bomb) == \
        f"{NAME}: archive entry word/styles.xml is compressed more than 100:1 (zip bomb?)"


def test_zip_bomb_refused_by_total_size(content: bytes, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(docx_read, "MAX_TOTAL_UNCOMPRESSED", 100_000)
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        total = sum(info.file_size for info in archive.infolist())
    assert _error(content) == (f"{NAME}: archive would unpack to {total} bytes, more than the "
                               "100000 allowed (zip bomb?)")


def test_dtd_refused(content: bytes) -> None:
    xml = etree.tostring(part(content, "word/document.xml"))
    with_dtd = b'<?xml version="1.0"?>\n<!DOCTYPE w:document>\n' + xml
    assert _error(replace_part(content, "word/document.xml", with_dtd)) == \
        f"{NAME}: word/document.xml declares a DTD (<!DOCTYPE>); refused, DOCX files never need one"


def test_external_entity_refused_and_never_fetched(content: bytes, tmp_path: Any) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET", encoding="utf-8")
    xml = etree.tostring(part(content, "word/document.xml")).decode()
    xml = xml.replace("Participant Information", "&xxe;", 1)
    evil = (f'<?xml version="1.0"?>\n<!DOCTYPE d [<!ENTITY xxe SYSTEM "{secret.as_uri()}">]>\n'
            + xml).encode()
    message = _error(replace_part(content, "word/document.xml", evil))
    assert message == (f"{NAME}: word/document.xml declares a DTD (<!DOCTYPE>); refused, "
                       "DOCX files never need one")
    assert "SECRET" not in message


def test_custom_properties_with_entities_refused(content: bytes) -> None:
    laughs = (b'<?xml version="1.0"?><!DOCTYPE p [<!ENTITY a "aaaaaaaaaa">'
              b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><p>&b;</p>')
    assert _error(replace_part(content, "docProps/custom.xml", laughs)) == (
        f"{NAME}: docProps/custom.xml declares a DTD (<!DOCTYPE>); refused, "
        "DOCX files never need one")


def test_malformed_xml(content: bytes) -> None:
    message = _error(replace_part(content, "word/document.xml", b"<w:document><unclosed>"))
    assert message.startswith(f"{NAME}: word/document.xml is not well-formed XML (")


def test_a_docx_not_made_by_briefing() -> None:
    out = io.BytesIO()
    docx.Document().save(out)
    assert _error(out.getvalue()) == (f"{NAME}: not a DOCX made by briefing (no briefing.kind "
                                      "and briefing.sheet document properties)")


def test_base_texts_missing(content: bytes) -> None:
    stub = b'<?xml version="1.0"?><other xmlns="urn:x"/>'
    assert _error(replace_part(content, "customXml/item2.xml", stub)) == (
        f"{NAME}: the texts it was made from are missing (no custom XML part from briefing); "
        "cannot tell what changed")


def _rows_edit(content: bytes, change: Any) -> bytes:
    def edit(root: Any) -> None:
        change(table_rows(root))
    return edit_document(content, edit)


def test_deleted_row_is_listed_not_refused(content: bytes) -> None:
    row = row_of(content, "activities.2013-04-istanbul")
    edited = _rows_edit(content, lambda rows: rows[row - 1].getparent().remove(rows[row - 1]))
    found = read_docx(edited, NAME)
    assert [unit.key for unit in found.deleted] == ["activities.2013-04-istanbul"]
    assert "activities.2013-04-istanbul" not in [r.key for r in found.rows]


def _strip_bookmarks(tr: Any) -> Any:
    for tag in ("bookmarkStart", "bookmarkEnd"):
        for element in list(tr.iter(f"{W}{tag}")):
            element.getparent().remove(element)
    return tr


def _keys_round(found: Any, row: int) -> list[str | None]:
    return [r.key for r in found.rows if row - 1 <= r.number <= row + 1]


def test_a_row_inserted_without_bookmarks_is_an_added_row(content: bytes) -> None:
    row = row_of(content, "activities.2013-04-istanbul")
    edited = _rows_edit(content, lambda rows: rows[row - 1].addnext(
        _strip_bookmarks(copy.deepcopy(rows[row - 1]))))
    found = read_docx(edited, NAME)
    assert _keys_round(found, row + 1) == ["activities.2013-04-istanbul", None,
                                           read_docx(content, NAME).rows[row - 1].key]
    assert found.deleted == []


def test_a_copied_row_leaves_the_key_with_the_unchanged_one(content: bytes) -> None:
    """Word and LibreOffice copy a row's bookmarks with it: the row whose texts are still the
    base texts keeps the key, wherever it stands; the other is a new unit."""
    row = row_of(content, "activities.2013-04-istanbul")

    def copy_above_and_edit_the_original(rows: list[Any]) -> None:
        rows[row - 1].addprevious(copy.deepcopy(rows[row - 1]))
        next(rows[row - 1].iter(f"{W}t")).text = "Edited"

    found = read_docx(_rows_edit(content, copy_above_and_edit_the_original), NAME)
    assert _keys_round(found, row + 1) == ["activities.2013-04-istanbul", None,
                                           read_docx(content, NAME).rows[row - 1].key]
    copied = read_docx(_rows_edit(content, lambda rows: rows[row - 1].addnext(
        copy.deepcopy(rows[row - 1]))), NAME)
    assert _keys_round(copied, row + 1) == ["activities.2013-04-istanbul", None,
                                            read_docx(content, NAME).rows[row - 1].key]


def test_merged_rows(content: bytes) -> None:
    row = row_of(content, "activities.2013-04-istanbul")

    def merge(rows: list[Any]) -> None:
        first, second = rows[row - 1], rows[row]
        for tc_first, tc_second in zip(first.findall(f"{W}tc"), second.findall(f"{W}tc"),
                                       strict=True):
            for paragraph in tc_second.findall(f"{W}p"):
                tc_first.append(paragraph)
        second.getparent().remove(second)

    following = read_docx(content, NAME).rows[row - 1].key  # the next row's key
    assert _error(_rows_edit(content, merge)) == (
        f"{NAME}: row {row} (activities.2013-04-istanbul, {following}): rows or cells were "
        "merged; each row must stay one unit pair (split them again)")


def test_a_moved_row_keeps_its_key_in_its_new_place(content: bytes) -> None:
    row = row_of(content, "activities.2013-04-istanbul")
    edited = _rows_edit(content, lambda rows: rows[row - 1].addprevious(rows[row]))
    following = read_docx(content, NAME).rows[row - 1].key
    found = read_docx(edited, NAME)
    assert [r.key for r in found.rows if r.number in (row, row + 1)] == \
        [following, "activities.2013-04-istanbul"]
    assert found.deleted == []


def test_rows_without_any_bookmark_are_matched_by_their_texts(content: bytes) -> None:
    """Two rows swapped in a DOCX whose key bookmarks were all removed: each row keeps the
    unit whose text it holds, not the one whose place it took."""
    first = row_of(content, "activities.2013-04-istanbul")

    def swap_and_strip(rows: list[Any]) -> None:
        rows[first - 1].addprevious(rows[first])
        for tr in rows:
            _strip_bookmarks(tr)

    found = read_docx(_rows_edit(content, swap_and_strip), NAME)
    original = read_docx(content, NAME)
    assert found.deleted == []
    texts = {r.key: r.cells[0].markup for r in original.rows}
    assert all(texts[r.key or ""] == r.cells[0].markup for r in found.rows)
    assert found.rows[first - 2].key == original.rows[first - 1].key


def test_a_row_like_two_missing_units_is_refused(content: bytes) -> None:
    row = row_of(content, "best-practices.open-channels")

    def lose_two_and_blend(rows: list[Any]) -> None:
        for tr in (rows[row - 1], rows[row]):
            _strip_bookmarks(tr)
        for source, target in zip(rows[row].iter(f"{W}t"), rows[row - 1].iter(f"{W}t"),
                                  strict=False):
            target.text = source.text
        rows[row - 1].addnext(copy.deepcopy(rows[row - 1]))

    with pytest.raises(DocxImportError, match=r"reads like .* as much as like"):
        read_docx(_rows_edit(content, lose_two_and_blend), NAME)


def test_tracked_changes_and_comments_are_found_with_their_rows(content: bytes) -> None:
    row = row_of(content, "activities.2013-04-istanbul")

    def track(rows: list[Any]) -> None:
        run = next(rows[row - 1].iter(f"{W}r"))
        inserted = etree.Element(f"{W}ins", {f"{W}id": "901", f"{W}author": "T"})
        run.addprevious(inserted)
        inserted.append(run)

    found = read_docx(_rows_edit(content, track), NAME)
    assert found.revisions == [row]
    assert read_docx(content, NAME).revisions == []


def test_column_added(content: bytes) -> None:
    row = row_of(content, "activities.2013-04-istanbul")
    edited = _rows_edit(content, lambda rows: rows[row - 1].append(
        copy.deepcopy(rows[row - 1].findall(f"{W}tc")[1])))
    assert _error(edited) == (f"{NAME}: row {row}: has 3 cells where 2 were made; columns "
                              "cannot be added or removed")


def test_a_row_that_lost_its_bookmarks_in_place_keeps_its_key(content: bytes) -> None:
    row = row_of(content, "activities.2013-04-istanbul")
    edited = _rows_edit(content, lambda rows: _strip_bookmarks(rows[row - 1]))
    found = read_docx(edited, NAME)
    assert found.rows[row - 2].key == "activities.2013-04-istanbul"
    assert found.rows[row - 2].number == row


def test_an_added_empty_row_is_ignored(content: bytes) -> None:
    row = row_of(content, "activities.2013-04-istanbul")

    def add_empty(rows: list[Any]) -> None:
        empty = _strip_bookmarks(copy.deepcopy(rows[row - 1]))
        for text in empty.iter(f"{W}t"):
            text.text = ""
        rows[row - 1].addnext(empty)

    keys = [r.key for r in read_docx(_rows_edit(content, add_empty), NAME).rows]
    assert keys == [r.key for r in read_docx(content, NAME).rows]


def test_a_table_added_above_the_sheet_is_not_read_as_it(content: bytes) -> None:
    def add_table(root: Any) -> None:
        body = root.find(f"{W}body")
        table = etree.SubElement(body, f"{W}tbl")
        row = etree.SubElement(etree.SubElement(table, f"{W}tr"), f"{W}tc")
        etree.SubElement(etree.SubElement(etree.SubElement(row, f"{W}p"), f"{W}r"),
                         f"{W}t").text = "A table of my own"
        body.insert(0, table)

    found = read_docx(edit_document(content, add_table), NAME)
    assert [r.key for r in found.rows] == [r.key for r in read_docx(content, NAME).rows]
