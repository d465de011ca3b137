"""A pack's timeline as a PNG picture, for the DOCX: the PDF's drawing, in pixels.

Word shows no SVG without a PNG beside it, and python-docx inserts rasters only, so
the timeline is drawn with Pillow from the same layout as the PDF's SVG
(:mod:`briefing.core.timeline`): the same places, lanes, colours, filled and hollow
marks, numbers and years, at :data:`SCALE` pixels per unit of that layout. Drawn
with a fixed font and no time stamp, the same layout gives the same bytes.
"""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from .. import style
from ..core.timeline import (
    MARGIN,
    MARK_RADIUS,
    NUMBER_SIZE,
    STROKE,
    YEAR_SIZE,
    Layout,
    PlacedMark,
)

#: Pixels per unit of the layout: 2,000 pixels across the page's text width (about 280 dpi).
SCALE = 2

Font = ImageFont.FreeTypeFont | ImageFont.ImageFont


def timeline_png(placed: Layout, font_file: Path | None = None) -> bytes:
    """The layout as PNG bytes; ``font_file`` (a TrueType font) sets the numbers and years,
    else Pillow's own."""
    image = Image.new("RGB", (placed.width * SCALE, placed.height * SCALE), "white")
    draw = ImageDraw.Draw(image)
    numbers = _font(font_file, NUMBER_SIZE)
    years = _font(font_file, YEAR_SIZE)
    axis_y = _px(placed.axis_y)
    draw.line([(_px(MARGIN), axis_y), (_px(placed.width - MARGIN), axis_y)],
              fill=style.MUTED.rgb, width=_px(1.5))
    for x in [year.x for year in placed.years] + [placed.end_x]:
        draw.line([(_px(x), _px(placed.axis_y - 4)), (_px(x), _px(placed.axis_y + 4))],
                  fill=style.MUTED.rgb, width=SCALE)
    for year in placed.years:
        # The SVG's baseline, centred: anchor "ms" is middle, baseline.
        draw.text((_px(year.middle), _px(placed.year_label_y)), str(year.year),
                  fill=style.LABEL.rgb, font=years, anchor="ms")
    for mark in placed.marks:
        _mark(draw, mark, numbers)
    out = io.BytesIO()
    # zlib's default level: optimize=True tries harder for 7 % fewer bytes, at 3.5 times the
    # time (85 ms instead of 24, for the 2,000-pixel timeline of a 120-sheet corpus's pack).
    image.save(out, format="PNG")
    return out.getvalue()


def _mark(draw: ImageDraw.ImageDraw, placed: PlacedMark, font: Font) -> None:
    colour = placed.colour.rgb
    organised = placed.mark.organised
    radius = MARK_RADIUS
    box = (_px(placed.start_x - radius), _px(placed.y - radius),
           _px((placed.end_x if placed.bar else placed.start_x) + radius),
           _px(placed.y + radius))
    if organised:
        draw.rounded_rectangle(box, radius=_px(radius), fill=colour)
    else:
        draw.rounded_rectangle(box, radius=_px(radius), fill=(255, 255, 255), outline=colour,
                               width=_px(STROKE))
    draw.text((_px(placed.label_x), _px(placed.label_y)), str(placed.mark.number),
              fill=style.LABEL.rgb, font=font, anchor="ls")


def _px(value: float) -> int:
    return round(value * SCALE)


def _font(font_file: Path | None, size: float) -> Font:
    if font_file is not None:
        return ImageFont.truetype(str(font_file), _px(size))
    return ImageFont.load_default(_px(size))
