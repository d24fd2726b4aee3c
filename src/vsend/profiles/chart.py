"""The at-a-glance chart: a server-rendered SVG radar over the five domains.

Needs are blue, setting readiness green, home confidence pink, as in the Valuing SEND tool.
Each series also has its own line pattern and marker shape, so the chart reads without colour
and in greyscale print. The page around it carries the same numbers as a table.
"""

import math
from dataclasses import dataclass

from vsend.config.text import xml_escape as escape

WIDTH, HEIGHT = 640, 560
CX, CY, RADIUS = 320, 250, 170


@dataclass(frozen=True)
class Series:
    key: str
    label: str
    values: list[int | None]
    colour: str
    dash: str  # stroke-dasharray, "" for solid
    marker: str  # circle, square, triangle or none


def standard_series(
    need: list[int | None],
    readiness: list[int | None],
    confidence: list[int | None],
    previous_need: list[int | None] | None = None,
) -> list[Series]:
    series = []
    if previous_need is not None and any(v is not None for v in previous_need):
        series.append(
            Series("previous", "Needs at the last profile", previous_need, "#505a5f", "3 5", "none")
        )
    series += [
        Series("need", "Needs", need, "#1d70b8", "", "circle"),
        Series("readiness", "Setting readiness", readiness, "#00703c", "12 6", "square"),
        Series("confidence", "Home confidence", confidence, "#d53880", "2 5", "triangle"),
    ]
    return series


def _point(i: int, n: int, value: float, max_level: int) -> tuple[float, float]:
    angle = -math.pi / 2 + 2 * math.pi * i / n
    r = RADIUS * value / max_level
    return CX + r * math.cos(angle), CY + r * math.sin(angle)


def _marker(kind: str, x: float, y: float, colour: str) -> str:
    if kind == "circle":
        return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="6" fill="{colour}" stroke="#fff" stroke-width="1.5"/>'
    if kind == "square":
        return (
            f'<rect x="{x - 5.5:.1f}" y="{y - 5.5:.1f}" width="11" height="11" fill="#fff" '
            f'stroke="{colour}" stroke-width="3"/>'
        )
    if kind == "triangle":
        pts = f"{x:.1f},{y - 7:.1f} {x + 6.5:.1f},{y + 5:.1f} {x - 6.5:.1f},{y + 5:.1f}"
        return f'<polygon points="{pts}" fill="{colour}" stroke="#fff" stroke-width="1"/>'
    return ""


def _label_lines(text: str) -> list[str]:
    words, lines, line = text.split(), [], ""
    for word in words:
        if line and len(line) + len(word) > 16:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return [*lines, line]


def radar_svg(domains: list[str], levels: list[str], series: list[Series], title: str) -> str:
    """domains: axis names; levels: the scale's labels from level 0 up."""
    n, max_level = len(domains), len(levels) - 1
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" '
        f'height="{HEIGHT}" role="img" aria-labelledby="chart-title chart-desc" class="vsend-chart" '
        'font-family="Arial, sans-serif">',
        f'<title id="chart-title">{escape(title)}</title>',
    ]
    desc = "; ".join(
        f"{s.label}: "
        + ", ".join(
            f"{d} {v if v is not None else 'not rated'}"
            for d, v in zip(domains, s.values, strict=True)
        )
        for s in series
    )
    out.append(f'<desc id="chart-desc">Levels 0 to {max_level}. {escape(desc)}</desc>')
    out.append('<rect width="100%" height="100%" fill="#fff"/>')
    # Rings for each level, with the level number on the first axis.
    for level in range(1, max_level + 1):
        pts = " ".join(
            f"{x:.1f},{y:.1f}" for x, y in (_point(i, n, level, max_level) for i in range(n))
        )
        out.append(f'<polygon points="{pts}" fill="none" stroke="#b1b4b6" stroke-width="1"/>')
        x, y = _point(0, n, level, max_level)
        out.append(
            f'<text x="{x + 6:.1f}" y="{y + 4:.1f}" font-size="13" fill="#0b0c0c">{level}</text>'
        )
    for i, name in enumerate(domains):
        x, y = _point(i, n, max_level, max_level)
        out.append(
            f'<line x1="{CX}" y1="{CY}" x2="{x:.1f}" y2="{y:.1f}" stroke="#b1b4b6" stroke-width="1"/>'
        )
        lx, ly = _point(i, n, max_level + 0.55, max_level)
        anchor = "middle" if abs(lx - CX) < 20 else ("start" if lx > CX else "end")
        lines = _label_lines(name)
        top = ly - 8 * (len(lines) - 1) + (6 if ly > CY else 0) - (6 if i == 0 else 0)
        for j, line in enumerate(lines):
            out.append(
                f'<text x="{lx:.1f}" y="{top + 16 * j:.1f}" font-size="15" font-weight="bold" '
                f'text-anchor="{anchor}" fill="#0b0c0c">{escape(line)}</text>'
            )
    for s in series:
        points = [
            (_point(i, n, v, max_level) if v is not None else None) for i, v in enumerate(s.values)
        ]
        dash = f' stroke-dasharray="{s.dash}"' if s.dash else ""
        width = 2 if s.key == "previous" else 3
        if all(p is not None for p in points):
            pts = " ".join(f"{p[0]:.1f},{p[1]:.1f}" for p in points if p)
            out.append(
                f'<polygon class="series series-{s.key}" data-values="{",".join(str(v) for v in s.values)}" '
                f'points="{pts}" fill="none" stroke="{s.colour}" stroke-width="{width}"{dash} '
                'stroke-linejoin="round"/>'
            )
        out.extend(_marker(s.marker, p[0], p[1], s.colour) for p in points if p)
    # Legend: a line sample, the marker and the name of each series.
    y = HEIGHT - 22 * len(series) - 8
    for s in series:
        dash = f' stroke-dasharray="{s.dash}"' if s.dash else ""
        out.append(
            f'<line x1="40" y1="{y}" x2="90" y2="{y}" stroke="{s.colour}" stroke-width="3"{dash}/>'
        )
        out.append(_marker(s.marker, 65, y, s.colour))
        out.append(
            f'<text x="100" y="{y + 5}" font-size="15" fill="#0b0c0c">{escape(s.label)}</text>'
        )
        y += 22
    scale = ", ".join(f"{i} {lbl}" for i, lbl in enumerate(levels))
    out.append(
        f'<text x="{WIDTH - 20}" y="{HEIGHT - 12}" font-size="12" text-anchor="end" fill="#505a5f">'
        f"{escape('Scale: ' + scale)}</text>"
    )
    out.append("</svg>")
    return "\n".join(out)


def profile_chart(view) -> str:  # noqa: ANN001 - a selectors.ProfileView
    """The chart for a ProfileView (see selectors), with the previous needs if it has them."""
    domains = [d.domain.short_name for d in view.domains]
    previous = [d.previous_need for d in view.domains] if view.has_previous else None
    series = standard_series(
        [d.rating.need_level for d in view.domains],
        [d.rating.readiness_level for d in view.domains],
        [d.rating.confidence_level for d in view.domains],
        previous,
    )
    child = view.profile.child
    title = f"Valuing SEND ratings for {child.full_name}, profile {view.profile.number}"
    return radar_svg(domains, [lv.need for lv in view.framework.scale], series, title)
