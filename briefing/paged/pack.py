"""A country's pack → the HTML handed to WeasyPrint, through ``templates/pack.html.j2``.

What the pack holds, and its parts per organisation, are :mod:`briefing.core.packs`';
this module only hands them to the template with the timeline drawing.
"""

from __future__ import annotations

import datetime as dt

from babel.dates import format_date
from markupsafe import Markup

from ..core.labels import locales
from ..core.lang import year_span
from ..core.model import Project
from ..core.packs import Pack, pack_languages, pack_parts
from .render import Renderer
from .timeline import Mark, timeline_svg


def pack_html(
    renderer: Renderer, pack: Pack, project: Project, *,
    draft: bool, fonts_url: str, generated: dt.date,
) -> str:
    languages = pack_languages(pack)
    labels = renderer.labels_for(languages)
    locale_of = locales(labels, languages)
    parts = pack_parts(pack, project, locale_of)
    marks = sorted((Mark(e.number, e.activity.key, e.activity.start, e.activity.last_day)
                    for part in parts for e in part.entries), key=lambda mark: mark.number)
    summary = pack.summary
    return renderer.render(
        "pack.html.j2",
        pack=pack,
        country={lang: project.country_name(pack.country, lang) for lang in languages},
        country_name=project.country_name,
        languages=languages,
        labels=labels,
        generated={lang: format_date(generated, "long", locale=locale_of[lang])
                   for lang in languages},
        summary=summary,
        years=year_span(summary.first_year, summary.last_year) if summary.count else "–",
        parts=parts,
        timeline=Markup(timeline_svg(marks)),  # built by ElementTree, which escapes all text
        draft=draft,
        fonts_url=fonts_url,
    )
