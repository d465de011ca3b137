"""Low-level OOXML the python-docx API does not offer, shared by the DOCX writers.

python-docx has no call for a run's language, fonts per script, rows that do
not split, repeated header rows, grid widths, numbering definitions, custom
document properties or custom XML parts; these helpers set them in the XML.
Names of bookmarks that carry unit keys are made here too, so that the writers
and the reader agree on them.
"""

from __future__ import annotations

import copy
import hashlib
import io
import uuid
import zipfile
from collections.abc import Iterable, Mapping
from functools import cache
from typing import Any, cast

from babel.core import get_global
from docx.document import Document
from docx.enum.text import WD_TAB_ALIGNMENT
from docx.opc.constants import CONTENT_TYPE, RELATIONSHIP_TYPE
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.oxml.text.font import CT_RPr
from docx.oxml.text.run import CT_R
from docx.shared import Twips
from docx.table import Table, _Cell, _Row
from docx.text.paragraph import Paragraph
from lxml import etree

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
CUSTOM_PROPS_NS = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
VT_NS = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
DATASTORE_NS = "http://schemas.openxmlformats.org/officeDocument/2006/customXml"
CUSTOM_PROPS_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.custom-properties+xml"
#: The format id Office gives every user-defined property.
_USER_FMTID = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"

#: The full language tag set on runs, per language code of the data. A code not
#: listed here gets the likely region from CLDR (Babel), e.g. ``de`` → ``de-DE``.
LANGUAGE_TAGS: dict[str, str] = {"en": "en-GB", "ru": "ru-RU"}
FALLBACK_LANGUAGE_TAG = "xx-XX"

#: Twentieths of a point per millimetre.
TWIPS_PER_MM = 1440 / 25.4


def mm_to_twips(mm: float) -> int:
    return round(mm * TWIPS_PER_MM)


@cache
def language_tag(code: str) -> str:
    """``en`` → ``en-GB``; another code gets CLDR's likely region, else ``xx-XX``."""
    if code in LANGUAGE_TAGS:
        return LANGUAGE_TAGS[code]
    likely = str(get_global("likely_subtags").get(code, ""))
    region = likely.rsplit("_", 1)[-1] if "_" in likely else ""
    return f"{code}-{region}" if region.isalpha() and region.isupper() else FALLBACK_LANGUAGE_TAG


#: Where the schema's sequences place the elements added here: each is inserted
#: before the first of the elements listed for it (Word refuses misordered XML).
_SUCCESSORS: dict[str, tuple[str, ...]] = {
    "w:rPrDefault": ("w:pPrDefault",),
    "w:lang": ("w:eastAsianLayout", "w:specVanish", "w:oMath"),
    "w:rPr": ("w:sectPr", "w:pPrChange"),
    "w:tblW": ("w:jc", "w:tblCellSpacing", "w:tblInd", "w:tblBorders", "w:shd", "w:tblLayout",
               "w:tblCellMar", "w:tblLook", "w:tblCaption", "w:tblDescription",
               "w:tblPrChange"),
    "w:shd": ("w:noWrap", "w:tcMar", "w:textDirection", "w:tcFitText", "w:vAlign",
              "w:hideMark", "w:headers", "w:cellIns", "w:cellDel", "w:cellMerge",
              "w:tcPrChange"),
}


def _child(parent: etree._Element, tag: str) -> etree._Element:
    """The child ``tag`` of ``parent``, created in its schema position when missing."""
    found = parent.find(qn(tag))
    if found is None:
        found = OxmlElement(tag)
        successors = {qn(name) for name in _SUCCESSORS.get(tag, ())}
        following = next((child for child in parent if child.tag in successors), None)
        if following is not None:
            following.addprevious(found)
        else:
            parent.append(found)
    return found


def set_run_language(run_element: CT_R, tag: str) -> None:
    """``w:lang`` on a run, for Latin, East-Asian and complex scripts alike."""
    lang = _child(run_element.get_or_add_rPr(), "w:lang")
    lang.set(qn("w:val"), tag)
    lang.set(qn("w:eastAsia"), tag)
    lang.set(qn("w:bidi"), tag)


def set_fonts(rpr: CT_RPr, family: str) -> None:
    """Name ``family`` for every script slot and drop any theme font in its place."""
    fonts = rpr.get_or_add_rFonts()
    for attribute in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
        if qn(f"w:{attribute}") in fonts.attrib:
            del fonts.attrib[qn(f"w:{attribute}")]
    for attribute in ("ascii", "hAnsi", "eastAsia", "cs"):
        fonts.set(qn(f"w:{attribute}"), family)


def remove_theme_fonts(document: Document, family: str) -> None:
    """Every style and the defaults name ``family``; otherwise LibreOffice picks Carlito."""
    styles = document.styles.element
    for rfonts in styles.iter(qn("w:rFonts")):
        rpr = rfonts.getparent()
        set_fonts(rpr, family)
    defaults = styles.find(qn("w:docDefaults"))
    if defaults is not None:
        # OxmlElement makes python-docx's element class for the tag: a CT_RPr here.
        set_fonts(cast(CT_RPr, _child(_child(defaults, "w:rPrDefault"), "w:rPr")), family)


def set_cant_split(row: _Row) -> None:
    """The row never breaks across pages: ``<w:cantSplit/>``, as Word writes it."""
    _set_on(row._tr.get_or_add_trPr(), "w:cantSplit")


def set_table_header(row: _Row) -> None:
    """The row repeats at the top of every page: ``<w:tblHeader/>``, as Word writes it."""
    _set_on(row._tr.get_or_add_trPr(), "w:tblHeader")


def _set_on(parent: etree._Element, tag: str) -> None:
    """Turn an on/off property on by its presence alone.

    Row properties are ``ST_OnOffOnly`` in the schema Word validates against: only
    ``on``/``off`` are allowed there, not the ``true`` python-docx writes elsewhere.
    The bare element is what Word itself writes, and means on.
    """
    element = _child(parent, tag)
    if qn("w:val") in element.attrib:
        del element.attrib[qn("w:val")]


def set_table_widths(table: Table, widths: list[int]) -> None:
    """Fixed column widths (twips) in the grid and in every cell; LibreOffice needs both."""
    width = _child(table._tbl.tblPr, "w:tblW")  # the table's own width has no API
    width.set(qn("w:w"), str(sum(widths)))
    width.set(qn("w:type"), "dxa")
    table.autofit = False
    for column, value in zip(table.columns, widths, strict=True):
        column.width = Twips(value)
    for row in table.rows:
        for cell, value in zip(row.cells, widths, strict=True):
            cell.width = Twips(value)


def shade_cell(cell: _Cell, fill: str) -> None:
    shading = _child(cell._tc.get_or_add_tcPr(), "w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)


def add_bullet_numbering(document: Document, family: str) -> int:
    """A bullet list definition in numbering.xml; returns the ``numId`` to use."""
    numbering = document.part.numbering_part.element
    abstract_ids = [int(a.get(qn("w:abstractNumId"))) for a in numbering.iter(qn("w:abstractNum"))]
    num_ids = [int(n.get(qn("w:numId"))) for n in numbering.iter(qn("w:num"))]
    abstract_id = max(abstract_ids, default=0) + 1
    num_id = max(num_ids, default=0) + 1
    indent = str(mm_to_twips(4))
    abstract = parse_xml(
        f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{abstract_id}">'
        '<w:multiLevelType w:val="singleLevel"/>'
        '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="bullet"/>'
        '<w:lvlText w:val="\u2022"/><w:lvlJc w:val="left"/>'
        f'<w:pPr><w:ind w:left="{indent}" w:hanging="{indent}"/></w:pPr>'
        f'<w:rPr><w:rFonts w:ascii="{family}" w:hAnsi="{family}" w:cs="{family}" '
        f'w:eastAsia="{family}"/></w:rPr></w:lvl></w:abstractNum>'
    )
    # Every abstractNum must precede every num in the schema's order.
    first_num = numbering.find(qn("w:num"))
    if first_num is not None:
        first_num.addprevious(abstract)
    else:
        numbering.append(abstract)
    num = parse_xml(
        f'<w:num {nsdecls("w")} w:numId="{num_id}">'
        f'<w:abstractNumId w:val="{abstract_id}"/></w:num>'
    )
    numbering.append(num)
    return num_id


def set_numbering(paragraph: Paragraph, num_id: int, level: int = 0) -> None:
    # python-docx makes ``get_or_add_numPr`` (in schema order) at run time; its type
    # information does not declare it.
    properties: Any = paragraph._p.get_or_add_pPr()
    num_pr = properties.get_or_add_numPr()
    num_pr.get_or_add_ilvl().set(qn("w:val"), str(level))
    num_pr.get_or_add_numId().set(qn("w:val"), str(num_id))


def bookmark_name(key: str, column: int) -> str:
    """A bookmark name for a unit's cell: a letter, a hash of the key, the column.

    Word allows 40 characters (letters, digits, ``_``, starting with a letter);
    keys are longer and hold dots, so the reader maps names back by hashing the
    sheet's keys the same way.
    """
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]
    return f"k{digest}_{column}"


def bookmark_cell(cell: _Cell, name: str, bookmark_id: int) -> None:
    """Wrap the cell's paragraphs in a bookmark named ``name``."""
    start = OxmlElement("w:bookmarkStart")
    start.set(qn("w:id"), str(bookmark_id))
    start.set(qn("w:name"), name)
    end = OxmlElement("w:bookmarkEnd")
    end.set(qn("w:id"), str(bookmark_id))
    _wrap_cell(cell, start, end)


def custom_properties_xml(properties: Mapping[str, str]) -> bytes:
    """``docProps/custom.xml`` holding text properties (LibreOffice keeps them)."""
    root = etree.Element(f"{{{CUSTOM_PROPS_NS}}}Properties", nsmap={None: CUSTOM_PROPS_NS,  # type: ignore[dict-item]
                                                                   "vt": VT_NS})
    for pid, (name, value) in enumerate(properties.items(), start=2):
        prop = etree.SubElement(root, f"{{{CUSTOM_PROPS_NS}}}property")
        prop.set("fmtid", _USER_FMTID)
        prop.set("pid", str(pid))
        prop.set("name", name)
        etree.SubElement(prop, f"{{{VT_NS}}}lpwstr").text = value
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True))


def add_custom_properties(document: Document, properties: Mapping[str, str]) -> None:
    package = document.part.package
    part = Part(PackURI("/docProps/custom.xml"), CUSTOM_PROPS_CONTENT_TYPE,
                custom_properties_xml(properties), package)
    package.relate_to(part, RELATIONSHIP_TYPE.CUSTOM_PROPERTIES)


def read_custom_properties(root: etree._Element) -> dict[str, str]:
    """Name → text of each custom property (numbers and dates as their text)."""
    found: dict[str, str] = {}
    for prop in root.iter(f"{{{CUSTOM_PROPS_NS}}}property"):
        name = prop.get("name")
        value = next(iter(prop), None)
        if name and value is not None:
            found[name] = value.text or ""
    return found


def add_custom_xml_part(document: Document, content: bytes) -> None:
    """A custom XML data part with its properties part, related as Word relates them.

    The part's name is not kept by LibreOffice (it renumbers ``customXml/itemN``);
    readers find it by its root element's namespace. Without the properties part
    (``itemPropsN.xml``: the item's id and schema) Word's validation reports the
    item, and LibreOffice invents one by copying another item's, id included.
    """
    package = document.part.package
    taken = {str(part.partname) for part in package.iter_parts()}
    number = 1
    while f"/customXml/item{number}.xml" in taken or \
            f"/customXml/itemProps{number}.xml" in taken:
        number += 1
    part = Part(PackURI(f"/customXml/item{number}.xml"), "application/xml", content, package)
    document.part.relate_to(part, RELATIONSHIP_TYPE.CUSTOM_XML)
    properties = Part(PackURI(f"/customXml/itemProps{number}.xml"),
                      CONTENT_TYPE.OFC_CUSTOM_XML_PROPERTIES, custom_xml_properties(content),
                      package)
    part.relate_to(properties, RELATIONSHIP_TYPE.CUSTOM_XML_PROPS)


def custom_xml_properties(content: bytes) -> bytes:
    """``itemPropsN.xml`` for a custom XML item: its id and its root's namespace as schema.

    The id is derived from the content, so identical input gives identical bytes.
    """
    namespace = etree.QName(etree.fromstring(content)).namespace or ""
    digest = hashlib.sha256(content).hexdigest()
    item_id = str(uuid.uuid5(uuid.NAMESPACE_URL, f"{namespace}#{digest}")).upper()
    root = etree.Element(f"{{{DATASTORE_NS}}}datastoreItem", nsmap={"ds": DATASTORE_NS})
    root.set(f"{{{DATASTORE_NS}}}itemID", f"{{{item_id}}}")
    refs = etree.SubElement(root, f"{{{DATASTORE_NS}}}schemaRefs")
    if namespace:
        etree.SubElement(refs, f"{{{DATASTORE_NS}}}schemaRef").set(
            f"{{{DATASTORE_NS}}}uri", namespace)
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=False))


#: The relationship of Word 2010's ``stylesWithEffects.xml``, which python-docx's
#: template still carries; Word 2013 and later neither write nor need it.
_STYLES_WITH_EFFECTS = "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects"


def drop_styles_with_effects(document: Document) -> None:
    """Leave out the template's ``stylesWithEffects.xml``.

    It is a second copy of the styles for Word 2010; the styles added to
    ``styles.xml`` are missing from it, which Word may report as unreadable
    content. Unrelated, python-docx writes neither the part nor its content type.
    """
    part = document.part
    for rel_id, rel in list(part.rels.items()):
        if rel.reltype == _STYLES_WITH_EFFECTS:
            part.rels.pop(rel_id)


#: Zip entries get this date, so identical input gives identical bytes.
FIXED_ZIP_DATE = (2000, 1, 1, 0, 0, 0)


def deterministic_zip(content: bytes, drop: Iterable[str] = ()) -> bytes:
    """The archive re-packed with fixed dates and without the entries in ``drop``."""
    dropped = set(drop)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(content)) as source, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            if info.filename in dropped:
                continue
            fixed = zipfile.ZipInfo(info.filename, FIXED_ZIP_DATE)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            target.writestr(fixed, source.read(info.filename))
    return out.getvalue()


#: Custom document properties naming what a DOCX was made from; they survive a
#: LibreOffice re-save (as text) and a Word save.
PROP_KIND = "briefing.kind"
PROP_SHEET = "briefing.sheet"
PROP_BASE = "briefing.base"
PROP_LANG = "briefing.lang"
KIND_SHEET = "sheet"
KIND_REVIEW = "review"
#: Namespace of the custom XML part holding the texts the DOCX was made from.
BASE_NS = "urn:briefing:docx-base:1"
#: Character style of "translation pending" placeholders; the reader ignores it.
PLACEHOLDER_STYLE = "Placeholder"


def add_field(paragraph: Paragraph, instruction: str) -> CT_R:
    """A simple field (``PAGE``, ``NUMPAGES``) whose result Word and LibreOffice update."""
    field = parse_xml(f'<w:fldSimple {nsdecls("w")} w:instr=" {instruction} ">'
                      "<w:r><w:t>1</w:t></w:r></w:fldSimple>")
    paragraph._p.append(field)
    return cast(CT_R, field[0])


def add_right_tab(paragraph: Paragraph, position: int) -> None:
    paragraph.paragraph_format.tab_stops.add_tab_stop(Twips(position), WD_TAB_ALIGNMENT.RIGHT)


def set_paragraph_mark(paragraph: Paragraph, tag: str, family: str) -> None:
    """Language and fonts of the paragraph mark: what text typed into an empty cell gets."""
    ppr = paragraph._p.get_or_add_pPr()
    if ppr.find(qn("w:rPr")) is None:  # the usual case: a copy of the one made for these
        _child(ppr, "w:rPr").extend(copy.deepcopy(list(_paragraph_mark(tag, family))))
        return
    rpr = cast(CT_RPr, _child(ppr, "w:rPr"))
    set_fonts(rpr, family)
    lang = _child(rpr, "w:lang")
    for attribute in ("val", "eastAsia", "bidi"):
        lang.set(qn(f"w:{attribute}"), tag)


@cache
def _paragraph_mark(tag: str, family: str) -> etree._Element:
    """A paragraph mark's properties as :func:`set_paragraph_mark` makes them, made once
    (a pack's DOCX sets thousands)."""
    rpr = cast(CT_RPr, OxmlElement("w:rPr"))
    set_fonts(rpr, family)
    lang = _child(rpr, "w:lang")
    for attribute in ("val", "eastAsia", "bidi"):
        lang.set(qn(f"w:{attribute}"), tag)
    return rpr


#: Elements of settings.xml that the schema puts before ``w:documentProtection``.
_BEFORE_PROTECTION = frozenset(qn(f"w:{name}") for name in (
    "writeProtection", "view", "zoom", "removePersonalInformation", "removeDateAndTime",
    "doNotDisplayPageBoundaries", "displayBackgroundShape", "printPostScriptOverText",
    "printFractionalCharacterWidth", "printFormsData", "embedTrueTypeFonts", "embedSystemFonts",
    "saveSubsetFonts", "saveFormsData", "mirrorMargins", "alignBordersAndEdges",
    "bordersDoNotSurroundHeader", "bordersDoNotSurroundFooter", "gutterAtTop",
    "hideSpellingErrors", "hideGrammaticalErrors", "activeWritingStyle", "proofState",
    "formsDesign", "attachedTemplate", "linkStyles", "stylePaneFormatFilter",
    "stylePaneSortMethod", "documentType", "mailMerge", "revisionView", "trackRevisions",
    "doNotTrackMoves", "doNotTrackFormatting"))


def protect_read_only(document: Document) -> None:
    """Editing restricted to the ranges :func:`allow_editing` marks; no password.

    Measured: LibreOffice 7.4 keeps the protection and every range through a
    DOCX → DOCX re-save (it writes an empty range's markers twice).
    """
    settings = document.settings.element
    protection = OxmlElement("w:documentProtection")
    protection.set(qn("w:edit"), "readOnly")
    protection.set(qn("w:enforcement"), "1")
    position = 0
    for index, child in enumerate(settings):
        if child.tag in _BEFORE_PROTECTION:
            position = index + 1
    settings.insert(position, protection)


def allow_editing(cell: _Cell, range_id: int) -> None:
    """Mark the cell's content as editable by everyone in a protected document."""
    start = OxmlElement("w:permStart")
    start.set(qn("w:id"), str(range_id))
    start.set(qn("w:edGrp"), "everyone")
    end = OxmlElement("w:permEnd")
    end.set(qn("w:id"), str(range_id))
    _wrap_cell(cell, start, end)


def _wrap_cell(cell: _Cell, start: etree._Element, end: etree._Element) -> None:
    """Put ``start`` before the cell's first run and ``end`` after its last."""
    paragraphs = cell._tc.findall(qn("w:p"))
    first = paragraphs[0]
    properties = first.find(qn("w:pPr"))
    if properties is not None:
        properties.addnext(start)
    else:
        first.insert(0, start)
    paragraphs[-1].append(end)
