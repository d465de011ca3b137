"""A country's pack → the HTML handed to WeasyPrint, through ``templates/pack.html.j2``.

What the pack holds, and its parts per organisation, are :mod:`briefing.core.packs`';
this module only hands them to the template with the timeline drawing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from babel import Locale
from babel.dates import format_date
from markupsafe import Markup

from ..core.labels import locales
from ..core.lang import year_span
from ..core.model import Project
from ..core.packs import Pack, pack_languages, pack_parts
from ..errors import TemplateError
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
    years = year_span(summary.first_year, summary.last_year) if summary.count else "–"
    described = " / ".join(
        timeline_description(labels[lang]["pack"].get("timeline_alt", {}), locale_of[lang],
                             summary.count, years)
        for lang in languages)
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
        years=years,
        parts=parts,
        # Built by ElementTree, which escapes all text.
        timeline=Markup(timeline_svg(marks, title=described)),
        draft=draft,
        fonts_url=fonts_url,
    )


def timeline_description(forms: Mapping[str, str], locale: str, count: int, years: str) -> str:
    """What the timeline shows, in one language: "Timeline of 12 activities, 2010–2015".

    ``forms`` holds the sentence per CLDR plural category of ``count`` (``one``,
    ``few``, ``many``, ``other``) in ``locale``; ``other`` stands in for a missing one.
    """
    form = Locale.parse(locale).plural_form(count)
    try:
        sentence = forms.get(form) or forms["other"]
        return str(sentence).format(count=count, years=years)
    except (KeyError, IndexError, AttributeError, TypeError, ValueError) as error:
        raise TemplateError(f"templates/labels.yaml: pack.timeline_alt ({locale}): "
                            f"needs 'other', with {{count}} and {{years}} only ({error})") \
            from None
