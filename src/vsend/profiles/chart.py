"""The at-a-glance chart of a profile: its series, its key and the charts already drawn.

The drawing itself (series, markers, layout, the SVG) is in profiles.radar. On pages and in the
PDF the chart comes with an HTML key (see _chart.html), which wraps on a phone: what each series
is, and what each level means on each of the three scales. The SVG on its own (the .svg download
and the API) carries the same key inside it.
"""

from django.template.loader import render_to_string
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from vsend.profiles.radar import MAX_WIDTH, Series, child_series, radar_svg, standard_series, swatch

__all__ = [
    "DRAWN_MAX",
    "MAX_WIDTH",
    "Series",
    "child_series",
    "profile_chart",
    "profile_chart_svg",
    "radar_svg",
    "standard_series",
    "swatch",
]


def _chart_parts(
    view,  # noqa: ANN001
    child_view: list[int | None] | None = None,
) -> tuple[list[str], list[tuple[str, str, str]], list[Series], str]:
    # The framework's words are data texts in the catalogue (frameworks.loader.family_texts).
    domains = [_(d.domain.short_name) for d in view.domains]
    previous = [d.previous_need for d in view.domains] if view.has_previous else None
    series = standard_series(
        [d.rating.need_level for d in view.domains],
        [d.rating.readiness_level for d in view.domains],
        [d.rating.confidence_level for d in view.domains],
        previous,
    )
    if child_view is not None and any(v is not None for v in child_view):
        series.append(child_series(child_view))
    child = view.profile.child
    title = _("Valuing SEND ratings for %(name)s, profile %(number)s") % {
        "name": child.full_name,
        "number": view.profile.number,
    }
    levels = [(_(lv.need), _(lv.readiness), _(lv.confidence)) for lv in view.framework.scale]
    return domains, levels, series, title


def profile_chart_svg(view, child_view: list[int | None] | None = None) -> str:  # noqa: ANN001
    """The chart on its own, with its key inside it (the .svg download and the API)."""
    domains, levels, series, title = _chart_parts(view, child_view)
    return radar_svg(domains, levels, series, title, key=True)


def profile_chart(view, child_view: list[int | None] | None = None) -> str:  # noqa: ANN001
    """The chart for a page or the PDF: the SVG and, beneath it, its key in HTML. Every text
    in the SVG and the swatches is escaped here; the template escapes the rest. child_view:
    the child's own view of each area, drawn as a further series when given."""
    domains, levels, series, title = _chart_parts(view, child_view)
    # The drawing depends on these inputs alone, so it is kept by them: every value drawn (the
    # child's own view among them), the names, the framework's level words and the language.
    key = (
        get_language(),
        tuple(domains),
        tuple(levels),
        title,
        tuple(
            (s.key, s.label, tuple(s.values), s.colour, s.dash, s.marker, s.meaning, s.width)
            for s in series
        ),
    )
    html = _DRAWN.get(key)
    if html is None:
        html = render_to_string(
            "profiles/_chart.html",
            {
                "svg": radar_svg(domains, levels, series, title, key=False),
                "series": [(s, swatch(s)) for s in series],
                "levels": list(enumerate(levels)),
            },
        )
        if len(_DRAWN) >= DRAWN_MAX:
            _DRAWN.clear()
        _DRAWN[key] = html
    return html


# Charts already drawn by this process, by everything that goes into them (a profile's page is
# drawn again at each visit though a finalised profile never changes).
_DRAWN: dict[tuple[object, ...], str] = {}
DRAWN_MAX = 2_000
