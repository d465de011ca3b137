from __future__ import annotations

from pathlib import Path

import pytest

from briefing.core.lang import language_name
from briefing.core.load import load_project
from briefing.core.model import Sheet
from briefing.core.rows import group_rows, sheet_rows
from briefing.errors import TemplateError
from briefing.paged.render import (
    Renderer,
    css_string,
    rich_text,
)
from tests.conftest import REPO, SEED_SHEET


@pytest.fixture(scope="module")
def seed() -> Sheet:
    return load_project(REPO / "data", REPO, [SEED_SHEET]).project.sheets[SEED_SHEET]


def hostile_sheet(seed: Sheet, text: str) -> Sheet:
    data = seed.model_dump()
    data["sections"][0]["blocks"][1]["text"]["en"] = text
    return Sheet.model_validate(data)


def test_data_never_becomes_markup(seed: Sheet) -> None:
    payload = '<b>bold</b> <img src="file:///etc/passwd"> & <script>x()</script>'
    html = Renderer(REPO / "templates").sheet_html(
        hostile_sheet(seed, payload), draft=False, fonts_url="../fonts")
    assert "&lt;b&gt;bold&lt;/b&gt; &lt;img src=&#34;file:///etc/passwd&#34;&gt; &amp; " \
           "&lt;script&gt;x()&lt;/script&gt;" in html
    assert "<img" not in html
    assert "<script" not in html


def test_rich_text_escapes_and_marks_up() -> None:
    assert str(rich_text("**a<b** the 3rd", "en")) == \
        "<strong>a&lt;b</strong> the 3<sup>rd</sup>"
    assert str(rich_text(None, "ru", "Перевод ожидается")) == \
        '<span class="missing">Перевод ожидается</span>'


def test_css_strings_cannot_break_out() -> None:
    assert str(css_string('a"; } body { x: "')) == r'"a\22 ; \7d  body \7b  x: \22 "'


def test_rows_follow_the_units_and_contact_fields_each_get_a_row(seed: Sheet) -> None:
    rows = sheet_rows(seed)
    keys = [row.key for row in rows]
    assert keys[:4] == ["title", "organisation", "description", "description.title"]
    assert keys[-9:] == [
        "contact.secretariat.organisation", "contact.secretariat.unit",
        "contact.secretariat.street", "contact.secretariat.city",
        "contact.secretariat.telephone", "contact.secretariat.fax",
        "contact.secretariat.email", "contact.secretariat.website",
        "contact.secretariat.facebook"]
    assert rows[-5].texts == {"en": "+43 1 504 4677 0", "ru": "+43 1 504 4677 0"}


def test_headings_are_glued_to_what_follows(seed: Sheet) -> None:
    groups = group_rows(sheet_rows(seed))
    for group in groups:
        assert group.rows[-1].kind not in {"heading", "title", "subheading", "document-title"}
        assert group.keep == (len(group.rows) > 1)
    contact = groups[-1]
    assert [row.kind for row in contact.rows][:2] == ["heading", "contact-field"]
    assert len(contact.rows) == 10


def test_language_names_come_from_babel() -> None:
    assert language_name("en") == "English"
    assert language_name("ru") == "Русский"


def test_template_errors_name_file_and_line(tmp_path: Path) -> None:
    (tmp_path / "broken.html.j2").write_text("line one\n{% if %}\n", encoding="utf-8")
    (tmp_path / "undefined.html.j2").write_text("a\nb {{ nothing.here }}\n", encoding="utf-8")
    renderer = Renderer(tmp_path)
    with pytest.raises(TemplateError, match=r"^templates/broken.html.j2:2: Expected an expression"):
        renderer.render("broken.html.j2")
    with pytest.raises(TemplateError,
                       match=r"^templates/undefined.html.j2:2: 'nothing' is undefined$"):
        renderer.render("undefined.html.j2")


def test_a_language_without_labels_is_reported(seed: Sheet) -> None:
    with pytest.raises(TemplateError, match="no labels for language"):
        Renderer(REPO / "templates").labels_for(["en", "de"])
