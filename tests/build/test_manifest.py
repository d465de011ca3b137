"""The manifest: input hashes that change exactly when an input does, and entries on disk."""

from __future__ import annotations

import json
from pathlib import Path

import weasyprint

from briefing.build.manifest import Entry, InputHasher, Manifest, entry_for
from briefing.build.output import Output
from briefing.paged.pdffile import page_count as pdf_pages


def project_files(root: Path) -> tuple[Path, Path, Path]:
    (root / "templates").mkdir(parents=True)
    (root / "fonts").mkdir()
    (root / "templates" / "page.css.j2").write_text("@page {}", encoding="utf-8")
    (root / "fonts" / "Font.ttf").write_bytes(b"\0font")
    data = root / "sheet.yaml"
    data.write_text("id: a\n", encoding="utf-8")
    return root / "templates", root / "fonts", data


def inputs_of(root: Path, version: str = "1.0", options: dict[str, object] | None = None
              ) -> str:
    templates, fonts = root / "templates", root / "fonts"
    hasher = InputHasher(version, [templates, fonts])
    return hasher.inputs("sheet", [root / "sheet.yaml"], options or {"draft": False})


def test_the_hash_changes_with_each_input_and_only_then(tmp_path: Path) -> None:
    templates, fonts, data = project_files(tmp_path)
    first = inputs_of(tmp_path)
    assert inputs_of(tmp_path) == first
    data.write_text("id: b\n", encoding="utf-8")
    after_data = inputs_of(tmp_path)
    (templates / "page.css.j2").write_text("@page { size: A5 }", encoding="utf-8")
    after_template = inputs_of(tmp_path)
    (fonts / "Font.ttf").write_bytes(b"\0other font")
    after_font = inputs_of(tmp_path)
    hashes = [first, after_data, after_template, after_font, inputs_of(tmp_path, "1.1"),
              inputs_of(tmp_path, options={"draft": True})]
    assert len(set(hashes)) == len(hashes)


def test_a_new_template_file_changes_the_hash(tmp_path: Path) -> None:
    templates, _, _ = project_files(tmp_path)
    before = inputs_of(tmp_path)
    (templates / "extra.css").write_text("", encoding="utf-8")
    assert inputs_of(tmp_path) != before


def test_entries_record_pages_and_size(tmp_path: Path) -> None:
    pdf = weasyprint.HTML(string="<p>one</p><p style='break-before: page'>two</p>").write_pdf()
    assert pdf_pages(pdf) == 2
    entry = entry_for(Output(tmp_path / "a.pdf", pdf), "abc")
    assert entry == Entry("abc", 2, len(pdf))
    assert entry_for(Output(tmp_path / "a.html", b"<p>"), "abc") == Entry("abc", None, 3)


def test_saved_manifest_reads_back_and_judges_what_is_current(tmp_path: Path) -> None:
    output = tmp_path / "reports"
    (output / "packs").mkdir(parents=True)
    pdf = output / "packs" / "kg.pdf"
    pdf.write_bytes(b"12345")
    manifest = Manifest(output)
    manifest.record(pdf, Entry("hash-1", 3, 5))
    saved = manifest.output()
    saved.path.write_bytes(saved.content)
    assert json.loads(saved.content) == {
        "format": 1, "outputs": {"packs/kg.pdf": {"inputs": "hash-1", "pages": 3, "bytes": 5}}}

    again = Manifest.load(output)
    assert again.get(pdf) == Entry("hash-1", 3, 5)
    assert again.is_current([pdf], "hash-1")
    assert not again.is_current([pdf], "hash-2")
    assert not again.is_current([output / "packs" / "tj.pdf"], "hash-1")
    pdf.write_bytes(b"123456")  # changed by hand since
    assert not again.is_current([pdf], "hash-1")
    pdf.unlink()
    assert not again.is_current([pdf], "hash-1")


def test_identical_entries_give_identical_bytes(tmp_path: Path) -> None:
    one, two = Manifest(tmp_path), Manifest(tmp_path)
    one.record(tmp_path / "b.pdf", Entry("x", 1, 1))
    one.record(tmp_path / "a.pdf", Entry("y", 2, 2))
    two.record(tmp_path / "a.pdf", Entry("y", 2, 2))
    two.record(tmp_path / "b.pdf", Entry("x", 1, 1))
    assert one.output().content == two.output().content


def test_an_unreadable_manifest_means_nothing_is_current(tmp_path: Path) -> None:
    (tmp_path / "manifest.json").write_text("{not json", encoding="utf-8")
    assert Manifest.load(tmp_path).entries == {}
    (tmp_path / "manifest.json").write_text('{"format": 99, "outputs": {}}', encoding="utf-8")
    assert Manifest.load(tmp_path).entries == {}
    assert Manifest.load(tmp_path / "missing").entries == {}


def test_keep_only_forgets_outputs_no_longer_made(tmp_path: Path) -> None:
    manifest = Manifest(tmp_path)
    manifest.record(tmp_path / "old.pdf", Entry("x", 1, 1))
    manifest.record(tmp_path / "new.pdf", Entry("y", 1, 1))
    manifest.keep_only([tmp_path / "new.pdf"])
    assert list(manifest.entries) == ["new.pdf"]
