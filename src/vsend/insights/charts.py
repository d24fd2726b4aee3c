"""Server-rendered SVG charts for dashboard tables. Each chart sits beside its table, which is
the text alternative; hidden (suppressed) counts are drawn as gaps and said in words."""

from itertools import count

from vsend.config.text import xml_escape as escape
from vsend.insights.suppression import is_hidden

# Light to dark blues, readable in greyscale as a ramp; the darkest levels also carry hatching.
LEVEL_FILLS = ["#d2e2f1", "#9cc1e3", "#5694ca", "#1d70b8", "#003078"]
# The trend chart's lines: colours, patterns and markers of their own, so that none reads as the
# at-a-glance chart's needs (blue), setting readiness (green dashed), home confidence (pink
# dotted) or previous needs (purple). Each has at least 3:1 contrast on white.
LINE_STYLES = [
    ("#0b0c0c", "", "ring"),
    ("#942514", "8 4", "cross"),
    ("#6f72af", "16 4 4 4", "plus"),
    ("#b58840", "4 3", "down"),
    ("#28a197", "2 3 8 3", "bar"),
]
_ids = count()


def _svg(
    width: int, height: int, title: str, desc: str, body: list[str], kind: str = "table"
) -> str:
    n = next(_ids)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" '
        f'role="img" aria-labelledby="c{n}t c{n}d" '
        f'class="vsend-insight-chart vsend-insight-chart--{kind}" font-family="Arial, sans-serif">'
        f'<title id="c{n}t">{escape(title)}</title><desc id="c{n}d">{escape(desc)}</desc>'
        + "".join(body)
        + "</svg>"
    )


def _is_hidden(v: object) -> bool:
    return is_hidden(v)


# Bars sit under their row's name rather than beside it, so the drawing is about 400 units wide
# with 15-unit text: still 11 px or more on a 320 px phone.
WIDTH, SIZE, ROW = 400, 15, 50


def stacked(table) -> str:  # noqa: ANN001 - a dashboards.Table
    bar_w = WIDTH - 16
    hatch = f"hatch{next(_ids)}"
    body = [
        f'<defs><pattern id="{hatch}" width="6" height="6" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)"><line x1="0" y1="0" x2="0" y2="6" stroke="#fff" stroke-width="2"/>'
        "</pattern></defs>"
    ]
    levels = len(table.columns) - 2
    for r, row in enumerate(table.rows):
        y = 4 + r * ROW
        values = row[1 : 1 + levels]
        hidden = " (some counts hidden)" if any(_is_hidden(v) for v in values) else ""
        body.append(
            f'<text x="8" y="{y + SIZE}" font-size="{SIZE}">{escape(str(row[0]) + hidden)}</text>'
        )
        total = sum(v for v in values if isinstance(v, int)) or 1
        x = 8.0
        for i, v in enumerate(values):
            if not isinstance(v, int) or v == 0:
                continue
            w = bar_w * v / total
            body.append(
                f'<rect x="{x:.1f}" y="{y + 21}" width="{w:.1f}" height="20" fill="{LEVEL_FILLS[i % 5]}"/>'
            )
            if i >= 3:
                body.append(
                    f'<rect x="{x:.1f}" y="{y + 21}" width="{w:.1f}" height="20" fill="url(#{hatch})"/>'
                )
            x += w
    y = ROW * len(table.rows) + 10
    per_row = 3
    for i in range(levels):
        lx, ly = 8 + (i % per_row) * 128, y + (i // per_row) * 26
        body.append(
            f'<rect x="{lx}" y="{ly}" width="18" height="18" fill="{LEVEL_FILLS[i % 5]}" '
            'stroke="#0b0c0c" stroke-width="0.5"/>'
        )
        if i >= 3:
            body.append(f'<rect x="{lx}" y="{ly}" width="18" height="18" fill="url(#{hatch})"/>')
        body.append(f'<text x="{lx + 25}" y="{ly + 15}" font-size="{SIZE}">Level {i}</text>')
    height = y + 26 * ((levels + per_row - 1) // per_row) + 4
    desc = "; ".join(
        f"{row[0]}: " + ", ".join(f"level {i} {v}" for i, v in enumerate(row[1 : 1 + levels]))
        for row in table.rows
    )
    return _svg(WIDTH, height, table.title, desc, body)


def bars(table, col: int = 1) -> str:  # noqa: ANN001
    bar_w = WIDTH - 70
    rows = [row for row in table.rows if not str(row[0]).startswith("All ")]  # not the total
    values = [row[col] for row in rows]
    top = max([v for v in values if isinstance(v, int)] or [1]) or 1
    body = []
    for r, row in enumerate(rows):
        y = 4 + r * ROW
        v = row[col]
        body.append(f'<text x="8" y="{y + SIZE}" font-size="{SIZE}">{escape(str(row[0]))}</text>')
        if isinstance(v, int):
            w = bar_w * v / top
            body.append(f'<rect x="8" y="{y + 21}" width="{w:.1f}" height="20" fill="#1d70b8"/>')
            body.append(f'<text x="{w + 14:.1f}" y="{y + 36}" font-size="{SIZE}">{v}</text>')
        else:
            body.append(f'<text x="8" y="{y + 36}" font-size="{SIZE}">{escape(str(v))}</text>')
    desc = "; ".join(f"{row[0]}: {row[col]}" for row in rows)
    return _svg(WIDTH, ROW * len(rows) + 8, table.title, desc, body)


def _trend_marker(kind: str, x: float, y: float, colour: str) -> str:
    """Markers of their own (not the at-a-glance chart's circle, square, triangle, diamond)."""
    common = f'fill="none" stroke="{colour}" stroke-width="2.5"'
    if kind == "ring":
        return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="5" fill="#fff" stroke="{colour}" stroke-width="2.5"/>'
    if kind == "cross":
        return f'<path d="M{x - 5:.1f},{y - 5:.1f}l10,10m0,-10l-10,10" {common}/>'
    if kind == "plus":
        return f'<path d="M{x - 6:.1f},{y:.1f}h12m-6,-6v12" {common}/>'
    if kind == "down":
        pts = f"{x - 6:.1f},{y - 4:.1f} {x + 6:.1f},{y - 4:.1f} {x:.1f},{y + 6:.1f}"
        return f'<polygon points="{pts}" fill="#fff" stroke="{colour}" stroke-width="2.5"/>'
    return f'<rect x="{x - 6:.1f}" y="{y - 2.5:.1f}" width="12" height="5" fill="{colour}"/>'


def lines(table, top: float = 4, ticks: int = 4) -> str:  # noqa: ANN001
    """Mean need (0 to 4) by term, or, with top=100, a percentage by term. Laid out about 400
    units wide with 15-unit text, so it is still readable on a 320 px phone."""
    left, width, height, top_pad, size = 44, 340, 200, 16, 15
    terms = [row[0] for row in table.rows]
    series = table.columns[2:]
    step = width / max(len(terms) - 1, 1)
    body = []
    for tick in range(ticks + 1):
        level = round(top * tick / ticks)
        y = top_pad + height - height * tick / ticks
        body.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{left + width}" y2="{y:.1f}" stroke="#b1b4b6"/>'
        )
        body.append(
            f'<text x="{left - 8}" y="{y + 5:.1f}" font-size="{size}" text-anchor="end">{level}</text>'
        )
    for i, term in enumerate(terms):
        for j, word in enumerate(str(term).split(" ", 1)):  # "Autumn" over "2025"
            body.append(
                f'<text x="{left + i * step:.1f}" y="{top_pad + height + 20 + j * 17}" '
                f'font-size="{size}" text-anchor="middle">{escape(word)}</text>'
            )
    key_top = top_pad + height + 62
    for s, name in enumerate(series):
        colour, dash, marker = LINE_STYLES[s % len(LINE_STYLES)]
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        pts = [
            (left + i * step, top_pad + height - height * row[2 + s] / top)
            for i, row in enumerate(table.rows)
            if isinstance(row[2 + s], int | float)
        ]
        if len(pts) > 1:
            d = " ".join(f"{x:.1f},{y:.1f}" for x, y in pts)
            body.append(
                f'<polyline points="{d}" fill="none" stroke="{colour}" stroke-width="3"{dash_attr}/>'
            )
        body.extend(_trend_marker(marker, x, y, colour) for x, y in pts)
        ly = key_top + s * 24
        body.append(
            f'<line x1="{left - 30}" y1="{ly}" x2="{left + 20}" y2="{ly}" stroke="{colour}" '
            f'stroke-width="3"{dash_attr}/>'
        )
        body.append(_trend_marker(marker, left - 5, ly, colour))
        body.append(f'<text x="{left + 28}" y="{ly + 5}" font-size="{size}">{escape(name)}</text>')
    desc = "; ".join(
        f"{row[0]}: " + ", ".join(f"{n} {row[2 + i]}" for i, n in enumerate(series))
        for row in table.rows
    )
    return _svg(left + width + 30, key_top + 24 * len(series), table.title, desc, body, "trend")


def table_chart(table) -> str:  # noqa: ANN001
    charts = {
        "stacked": stacked,
        "bars": bars,
        "bars_column_2": lambda t: bars(t, 2),
        "lines": lines,
        "lines_percent": lambda t: lines(t, 100, 4),
    }
    return charts.get(table.chart, lambda t: "")(table)
