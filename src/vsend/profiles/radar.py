"""The radar drawing behind the at-a-glance chart: a server-rendered SVG over the five domains.

Needs are blue, setting readiness green, home confidence pink, as in the Valuing SEND tool; the
needs at the last profile are purple. Each series also has its own line pattern and marker
shape, so the chart reads without colour and in greyscale print.

Legible at every size: the drawing is laid out in a small coordinate box (about 380 units wide,
fitted to the axis names) with large text, so that on a 320 px phone the text is still 11 px or
more; at 200% zoom and in print it scales as a vector. Equal values on an axis sit side by side
(across the axis) rather than on top of each other, level 0 is a small ring rather than the
centre point (so level 0 on two axes does not meet), and the level numbers sit between two
axes, where no marker can fall.
"""

import math
from dataclasses import dataclass

from django.utils.translation import gettext as _

from vsend.config.text import xml_escape as escape

MAX_WIDTH = 380  # coordinate units; the SVG scales to the space it has
LABEL_SIZE, NUMBER_SIZE, KEY_SIZE = 15, 14, 14
PAD, GAP = 6, 10  # margin round the drawing; space between an axis end and its name
MARKER_STEP = 13  # distance between markers of equal value on one axis
INNER = 0.3  # level 0's ring, as a share of the radius


@dataclass(frozen=True)
class Series:
    key: str
    label: str
    values: list[int | None]
    colour: str
    dash: str  # stroke-dasharray, "" for solid
    marker: str  # circle, square, triangle, diamond or star
    meaning: str = ""
    width: float = 3


def standard_series(
    need: list[int | None],
    readiness: list[int | None],
    confidence: list[int | None],
    previous_need: list[int | None] | None = None,
) -> list[Series]:
    series = [
        Series(
            "need",
            _("Needs"),
            need,
            "#1d70b8",
            "",
            "circle",
            _("how much extra help the child needs"),
        ),
        Series(
            "readiness",
            _("Setting readiness"),
            readiness,
            "#00703c",
            "12 6",
            "square",
            _("the level of need the setting is ready to meet"),
        ),
        Series(
            "confidence",
            _("Home confidence"),
            confidence,
            "#d53880",
            "1 7",
            "triangle",
            _("how confident the family feels at home"),
        ),
    ]
    if previous_need is not None and any(v is not None for v in previous_need):
        series.append(
            Series(
                "previous",
                _("Needs at the last profile"),
                previous_need,
                "#4c2c92",
                "14 4 3 4",
                "diamond",
                _("to show the change in need"),
                2.5,
            )
        )
    return series


def child_series(values: list[int | None]) -> Series:
    """The child's own view of each area (voice app, ADR 28): brown, dot-dot-dash, stars."""
    return Series(
        "child",
        _("The child's own view"),
        values,
        "#8a4500",
        "2 4 2 4 10 4",
        "star",
        _("how the child says each area is for them (0: fine for me)"),
        2.5,
    )


def _star(x: float, y: float) -> str:
    points = []
    for k in range(10):
        r = 8 if k % 2 == 0 else 3.5
        a = -math.pi / 2 + k * math.pi / 5
        points.append(f"{x + r * math.cos(a):.1f},{y + r * math.sin(a):.1f}")
    return " ".join(points)


def _marker(kind: str, x: float, y: float, colour: str, attrs: str = "") -> str:
    a = f" {attrs}" if attrs else ""
    if kind == "star":
        return (
            f'<polygon{a} points="{_star(x, y)}" fill="{colour}" stroke="#fff" stroke-width="1"/>'
        )

    if kind == "circle":
        return (
            f'<circle{a} cx="{x:.1f}" cy="{y:.1f}" r="6" fill="{colour}" stroke="#fff" '
            'stroke-width="1.5"/>'
        )
    if kind == "square":
        return (
            f'<rect{a} x="{x - 5.5:.1f}" y="{y - 5.5:.1f}" width="11" height="11" fill="#fff" '
            f'stroke="{colour}" stroke-width="3"/>'
        )
    if kind == "triangle":
        pts = f"{x:.1f},{y - 7:.1f} {x + 6.5:.1f},{y + 5:.1f} {x - 6.5:.1f},{y + 5:.1f}"
        return f'<polygon{a} points="{pts}" fill="{colour}" stroke="#fff" stroke-width="1"/>'
    if kind == "diamond":
        pts = f"{x:.1f},{y - 7:.1f} {x + 6:.1f},{y:.1f} {x:.1f},{y + 7:.1f} {x - 6:.1f},{y:.1f}"
        return f'<polygon{a} points="{pts}" fill="#fff" stroke="{colour}" stroke-width="2.5"/>'
    return ""


def swatch(s: Series) -> str:
    """A small picture of a series' line and marker, for a key in HTML."""
    dash = f' stroke-dasharray="{s.dash}"' if s.dash else ""
    return (
        '<svg class="vsend-chart-swatch" aria-hidden="true" focusable="false" viewBox="0 0 56 20" '
        f'width="56" height="20"><line x1="2" y1="10" x2="54" y2="10" stroke="{s.colour}" '
        f'stroke-width="{s.width}" stroke-linecap="round"{dash}/>'
        f"{_marker(s.marker, 28, 10, s.colour)}</svg>"
    )


def _wrap(text: str, width: int) -> list[str]:
    words, lines, line = text.split(), [], ""
    for word in words:
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return [*lines, line]


def _text_width(text: str, size: float, bold: bool = True) -> float:
    return len(text) * size * (0.6 if bold else 0.53)


@dataclass
class _Layout:
    n: int
    max_level: int
    radius: float
    cx: float = 0
    cy: float = 0
    width: float = 0
    height: float = 0

    def angle(self, i: float) -> float:
        return -math.pi / 2 + 2 * math.pi * i / self.n

    def distance(self, value: float) -> float:
        inner = self.radius * INNER
        return inner + (self.radius - inner) * value / self.max_level

    def at(self, i: float, distance: float) -> tuple[float, float]:
        a = self.angle(i)
        return self.cx + distance * math.cos(a), self.cy + distance * math.sin(a)

    def point(self, i: int, value: float) -> tuple[float, float]:
        return self.at(i, self.distance(value))


def _axis_label(layout: _Layout, i: int, lines: list[str]) -> tuple[str, list[tuple[float, float]]]:
    """Where an axis name goes: its anchor and each line's baseline, beyond the axis end."""
    a = layout.angle(i)
    x, y = layout.at(i, layout.radius + GAP)
    cos, sin = math.cos(a), math.sin(a)
    anchor = "middle" if abs(cos) < 0.2 else ("start" if cos > 0 else "end")
    line_h = LABEL_SIZE + 2
    if anchor == "middle" and sin < 0:  # above the top
        first = y - line_h * (len(lines) - 1) - 4
    elif anchor == "middle" or sin > 0.5:  # below the bottom
        first = y + LABEL_SIZE
    else:  # beside: centred on the axis end
        first = y - line_h * (len(lines) - 1) / 2 + LABEL_SIZE * 0.35
    return anchor, [(x, first + line_h * j) for j in range(len(lines))]


def _fit(domains: list[str], max_level: int) -> tuple[_Layout, list[list[str]]]:
    """The largest radius whose drawing, names included, fits MAX_WIDTH; then the box round it."""
    lines = [_wrap(name, 13) for name in domains]
    for radius in range(130, 59, -2):
        layout = _Layout(len(domains), max_level, radius)
        left = top = -radius - 14.0  # the rings and a marker's reach
        right = bottom = radius + 14.0
        for i, name_lines in enumerate(lines):
            anchor, baselines = _axis_label(layout, i, name_lines)
            w = max(_text_width(line, LABEL_SIZE) for line in name_lines)
            x = baselines[0][0]
            lo, hi = {"start": (x, x + w), "end": (x - w, x), "middle": (x - w / 2, x + w / 2)}[
                anchor
            ]
            left, right = min(left, lo), max(right, hi)
            top = min(top, baselines[0][1] - LABEL_SIZE)
            bottom = max(bottom, baselines[-1][1] + 5)
        if right - left + 2 * PAD <= MAX_WIDTH or radius <= 60:
            break
    layout.cx, layout.cy = PAD - left, PAD - top
    layout.width, layout.height = right - left + 2 * PAD, bottom - top + 2 * PAD
    return layout, lines


def _marker_positions(layout: _Layout, series: list[Series]) -> dict[tuple[str, int], tuple]:
    """Each (series, axis) marker's place: on the value's point, or, where several series have
    the same value on the axis, side by side across the axis."""
    places: dict[tuple[str, int], tuple[float, float]] = {}
    for i in range(layout.n):
        groups: dict[int, list[Series]] = {}
        for s in series:
            if s.values[i] is not None:
                groups.setdefault(s.values[i], []).append(s)  # type: ignore[arg-type]
        for value, members in groups.items():
            x, y = layout.point(i, value)
            a = layout.angle(i)
            tx, ty = -math.sin(a), math.cos(a)  # across the axis
            for j, s in enumerate(members):
                # Centred on the point; but on the two axes beside the level numbers, from the
                # point away from them.
                if i == 0:
                    shift: float = j * MARKER_STEP
                elif i == layout.n - 1:
                    shift = -j * MARKER_STEP
                else:
                    shift = (j - (len(members) - 1) / 2) * MARKER_STEP
                places[(s.key, i)] = (x + tx * shift, y + ty * shift)
    return places


def _key_svg(series: list[Series], levels: list[tuple[str, str, str]], y: float, width: float):
    """The key inside a standalone SVG: each series, then what each level means."""
    out = []
    for s in series:
        dash = f' stroke-dasharray="{s.dash}"' if s.dash else ""
        out.append(
            f'<line x1="{PAD + 4}" y1="{y:.0f}" x2="{PAD + 50}" y2="{y:.0f}" stroke="{s.colour}" '
            f'stroke-width="{s.width}" stroke-linecap="round"{dash}/>'
        )
        out.append(_marker(s.marker, PAD + 27, y, s.colour))
        out.append(
            f'<text x="{PAD + 60}" y="{y + 5:.0f}" font-size="{KEY_SIZE}" fill="#0b0c0c">'
            f"{escape(s.label)}</text>"
        )
        y += 24
    chars = int((width - 2 * PAD) / (KEY_SIZE * 0.55))
    for i, (need, readiness, confidence) in enumerate(levels):
        text = _(
            "Level %(level)s: needs: %(need)s; setting readiness: %(readiness)s; "
            "home confidence: %(confidence)s"
        ) % {"level": i, "need": need, "readiness": readiness, "confidence": confidence}
        for line in _wrap(text, chars):
            y += KEY_SIZE + 3
            out.append(
                f'<text x="{PAD}" y="{y:.0f}" font-size="{KEY_SIZE}" fill="#0b0c0c">'
                f"{escape(line)}</text>"
            )
        y += 4
    return out, y


def radar_svg(
    domains: list[str],
    levels: list[str] | list[tuple[str, str, str]],
    series: list[Series],
    title: str,
    *,
    key: bool = True,
) -> str:
    """domains: axis names; levels: each level's label (or its needs, readiness and home
    confidence labels) from level 0 up. key: draw the key inside the SVG (for the SVG on its
    own; pages and the PDF give it in HTML instead)."""
    scales = [lv if isinstance(lv, tuple) else (lv, lv, lv) for lv in levels]
    layout, names = _fit(domains, len(levels) - 1)
    n, max_level = layout.n, layout.max_level
    body: list[str] = ['<rect width="100%" height="100%" fill="#fff"/>']
    for level in range(max_level + 1):
        pts = " ".join(f"{x:.1f},{y:.1f}" for x, y in (layout.point(i, level) for i in range(n)))
        body.append(f'<polygon points="{pts}" fill="none" stroke="#b1b4b6" stroke-width="1"/>')
    for i, name_lines in enumerate(names):
        x0, y0 = layout.point(i, 0)
        x1, y1 = layout.point(i, max_level)
        body.append(
            f'<line x1="{x0:.1f}" y1="{y0:.1f}" x2="{x1:.1f}" y2="{y1:.1f}" stroke="#b1b4b6" '
            'stroke-width="1"/>'
        )
        anchor, baselines = _axis_label(layout, i, name_lines)
        body.extend(
            f'<text x="{bx:.1f}" y="{by:.1f}" font-size="{LABEL_SIZE}" font-weight="bold" '
            f'text-anchor="{anchor}" fill="#0b0c0c">{escape(line)}</text>'
            for line, (bx, by) in zip(name_lines, baselines, strict=True)
        )
    places = _marker_positions(layout, series)
    for s in series:
        points = [layout.point(i, v) if v is not None else None for i, v in enumerate(s.values)]
        dash = f' stroke-dasharray="{s.dash}" stroke-linecap="round"' if s.dash else ""
        if all(p is not None for p in points):
            pts = " ".join(f"{p[0]:.1f},{p[1]:.1f}" for p in points if p)
            values = ",".join(str(v) for v in s.values)
            body.append(
                f'<polygon class="series series-{s.key}" data-values="{values}" points="{pts}" '
                f'fill="none" stroke="{s.colour}" stroke-width="{s.width}"{dash} '
                'stroke-linejoin="round"/>'
            )
    for s in series:  # markers over every line
        for i, v in enumerate(s.values):
            if v is not None:
                x, y = places[(s.key, i)]
                attrs = f'class="marker marker-{s.key}" data-axis="{i}" data-value="{v}"'
                body.append(_marker(s.marker, x, y, s.colour, attrs))
    # Level numbers midway between the last and the first axis, where no marker falls.
    for level in range(max_level + 1):
        x, y = layout.at(n - 0.5, layout.distance(level) * math.cos(math.pi / n))
        where = f'x="{x:.1f}" y="{y + NUMBER_SIZE * 0.35:.1f}" font-size="{NUMBER_SIZE}" text-anchor="middle"'
        # A white outline first, then the number: the lines crossing here stay behind it.
        body.append(
            f'<text {where} fill="#fff" stroke="#fff" stroke-width="4" aria-hidden="true">{level}</text>'
        )
        body.append(f'<text class="level-number" {where} fill="#0b0c0c">{level}</text>')
    height = layout.height
    if key:
        key_parts, height = _key_svg(series, scales, layout.height + 8, layout.width)
        body += key_parts
        height += PAD
    desc = "; ".join(
        f"{s.label}: "
        + ", ".join(
            f"{d} {v if v is not None else _('not rated')}"
            for d, v in zip(domains, s.values, strict=True)
        )
        for s in series
    )
    return "\n".join(
        [
            f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {layout.width:.0f} '
            f'{height:.0f}" width="{layout.width * 1.3:.0f}" height="{height * 1.3:.0f}" '
            'role="img" aria-labelledby="chart-title chart-desc" class="vsend-chart" '
            'font-family="Arial, sans-serif">',
            f'<title id="chart-title">{escape(title)}</title>',
            f'<desc id="chart-desc">{escape(_("Levels 0 to %(top)s.") % {"top": max_level})} '
            f"{escape(desc)}</desc>",
            *body,
            "</svg>",
        ]
    )
