"""The house style, declared once: page, type and colours.

The CSS templates read it as ``style`` (a Jinja global of the paged renderer),
the DOCX writers and the SVG timeline import it, so the PDF and the DOCX of a
document cannot drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Colour:
    """A colour as CSS writes it (``#1d3f6e`` or ``#555``)."""

    css: str

    @property
    def hex6(self) -> str:
        """Six hex digits, upper case, as Word writes a colour (``1D3F6E``)."""
        digits = self.css.lstrip("#")
        if len(digits) == 3:
            digits = "".join(digit * 2 for digit in digits)
        return digits.upper()

    @property
    def rgb(self) -> tuple[int, int, int]:
        value = int(self.hex6, 16)
        return value >> 16, (value >> 8) & 0xFF, value & 0xFF

    def __str__(self) -> str:
        return self.css


@dataclass(frozen=True)
class Margins:
    top: float
    right: float
    bottom: float
    left: float

    @property
    def css(self) -> str:
        return " ".join(f"{side:g}mm" for side in (self.top, self.right, self.bottom, self.left))


#: A4 portrait, in millimetres.
PAGE_SIZE_MM = (210, 297)
#: Room for the running header above and the footer below.
PAGE_MARGINS_MM = Margins(top=22, right=16, bottom=20, left=16)

#: Shipped in fonts/ (SIL OFL) with every face; it has U+2010 and Cyrillic.
FONT_FAMILY = "Noto Sans"
#: weight, style, file in fonts/
FONT_FACES = (
    ("normal", "normal", "NotoSans-Regular.ttf"),
    ("bold", "normal", "NotoSans-Bold.ttf"),
    ("normal", "italic", "NotoSans-Italic.ttf"),
    ("bold", "italic", "NotoSans-BoldItalic.ttf"),
)
BODY_SIZE_PT = 9.5
RUNNING_SIZE_PT = 7.5

#: Section headings, dates, timeline marks.
ACCENT = Colour("#1d3f6e")
TEXT = Colour("#111")
#: Running headers and footers, secondary text.
MUTED = Colour("#555")
#: Lines between the columns and cells.
RULE = Colour("#bbb")
#: Labels in the timeline.
LABEL = Colour("#333")
#: Placeholders of missing translations and the DRAFT mark.
ALERT = Colour("#b00020")
#: The mark of fictional sample data.
SAMPLE = Colour("#b35c00")
#: A pack's organisations, in the order they are printed: their timeline marks, legend and
#: activity numbers (repeated after the last). Each is dark enough for white digits on it.
ORGANISATION_COLOURS = (
    ACCENT, Colour("#2e7d32"), Colour("#8e3b8f"), Colour("#7a5c12"), Colour("#2f7fc1"),
    Colour("#a23b5a"),
)
