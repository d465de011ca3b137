"""A country's pack → the HTML handed to WeasyPrint, through ``templates/pack.html.j2``.

What the pack holds, its parts per organisation and its briefing page are
:mod:`briefing.core.packs`'; this module only hands them to the template with the
timeline drawing.
"""

from __future__ import annotations

import datetime as dt

from babel.dates import format_date
from markupsafe import Markup

from .. import style
from ..core.labels import locales
from ..core.load import COUNTRIES_FILE, SHEETS_DIR
from ..core.model import Project
from ..core.packs import Pack, pack_briefing, pack_languages, pack_parts
from ..core.timeline import timeline_alt, timeline_description, timeline_marks
from .render import Renderer
from .timeline import timeline_svg

__all__ = ["pack_html", "pack_sources", "timeline_description"]


def pack_html(
    renderer: Renderer, pack: Pack, project: Project, *,
    draft: bool, fonts_url: str, generated: dt.date,
) -> str:
    """The pack's HTML; ``generated`` is the build date, printed on page one and dividing
    the latest activities from the planned ones."""
    languages = pack_languages(pack)
    labels = renderer.labels_for(languages)
    locale_of = locales(labels, languages)
    parts = pack_parts(pack, project, locale_of)
    described = timeline_alt(pack, labels, locale_of)
    return renderer.render(
        "pack.html.j2",
        pack=pack,
        country={lang: project.country_name(pack.country, lang) for lang in languages},
        languages=languages,
        labels=labels,
        generated={lang: format_date(generated, "long", locale=locale_of[lang])
                   for lang in languages},
        briefing=pack_briefing(pack, parts, locale_of, generated),
        parts=parts,
        # Built by ElementTree, which escapes all text.
        timeline=Markup(timeline_svg(timeline_marks(parts), title=described, today=generated)),
        organisation_colours=len(style.ORGANISATION_COLOURS),
        sources=pack_sources(pack),
        draft=draft,
        fonts_url=fonts_url,
    )


def pack_sources(pack: Pack) -> list[str]:
    """The data files the pack draws on, as its PDF's metadata names them (no page does)."""
    return [*(f"data/{SHEETS_DIR}/{sheet.id}.yaml" for sheet in pack.sheets),
            f"data/{COUNTRIES_FILE}"]
