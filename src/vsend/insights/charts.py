"""Server-rendered SVG charts for dashboard tables. Each chart sits beside its table, which is
the text alternative; hidden (suppressed) counts are drawn as gaps and said in words."""

from itertools import count

from vsend.config.text import xml_escape as escape
from vsend.insights.suppression import is_hidden

# Light to dark blues, readable in greyscale as a ramp; the darkest levels also carry hatching.
LEVEL_FILLS = ["#d2e2f1", "#9cc1e3", "#5694ca", "#1d70b8", "#003078"]
LINE_STYLES = [
    ("#1d70b8", ""),
    ("#00703c", "10 5"),
    ("#d53880", "3 4"),
    ("#f47738", "14 4 3 4"),
    ("#4c2c92", "1 3"),
]
_ids = count()


def _svg(width: int, height: int, title: str, desc: str, body: list[str]) -> str:
    n = next(_ids)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" '
        f'role="img" aria-labelledby="c{n}t c{n}d" class="vsend-insight-chart" font-family="Arial, sans-serif">'
        f'<title id="c{n}t">{escape(title)}</title><desc id="c{n}d">{escape(desc)}</desc>'
        + "".join(body)
        + "</svg>"
    )


def _is_hidden(v: object) -> bool:
    return is_hidden(v)


def stacked(table) -> str:  # noqa: ANN001 - a dashboards.Table
    label_w, bar_w, row_h = 240, 420, 34
    height = row_h * len(table.rows) + 60
    body = [
        '<defs><pattern id="hatch" width="6" height="6" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)"><line x1="0" y1="0" x2="0" y2="6" stroke="#fff" stroke-width="2"/>'
        "</pattern></defs>"
    ]
    levels = len(table.columns) - 2
    for r, row in enumerate(table.rows):
        y = 10 + r * row_h
        body.append(
            f'<text x="{label_w - 8}" y="{y + 20}" font-size="14" text-anchor="end">{escape(str(row[0]))}</text>'
        )
        values = row[1 : 1 + levels]
        total = sum(v for v in values if isinstance(v, int)) or 1
        x = float(label_w)
        for i, v in enumerate(values):
            if not isinstance(v, int) or v == 0:
                continue
            w = bar_w * v / total
            body.append(
                f'<rect x="{x:.1f}" y="{y + 4}" width="{w:.1f}" height="{row_h - 10}" '
                f'fill="{LEVEL_FILLS[i % 5]}"/>'
            )
            if i >= 3:
                body.append(
                    f'<rect x="{x:.1f}" y="{y + 4}" width="{w:.1f}" height="{row_h - 10}" fill="url(#hatch)"/>'
                )
            x += w
        if any(_is_hidden(v) for v in values):
            body.append(
                f'<text x="{x + 6:.1f}" y="{y + 20}" font-size="12">some counts hidden</text>'
            )
    y = height - 30
    for i in range(levels):
        body.append(
            f'<rect x="{label_w + i * 84}" y="{y}" width="16" height="16" fill="{LEVEL_FILLS[i % 5]}" '
            'stroke="#0b0c0c" stroke-width="0.5"/>'
        )
        if i >= 3:
            body.append(
                f'<rect x="{label_w + i * 84}" y="{y}" width="16" height="16" fill="url(#hatch)"/>'
            )
        body.append(
            f'<text x="{label_w + i * 84 + 22}" y="{y + 13}" font-size="13">Level {i}</text>'
        )
    desc = "; ".join(
        f"{row[0]}: " + ", ".join(f"level {i} {v}" for i, v in enumerate(row[1 : 1 + levels]))
        for row in table.rows
    )
    return _svg(label_w + bar_w + 20, height, table.title, desc, body)


def bars(table, col: int = 1) -> str:  # noqa: ANN001
    label_w, bar_w, row_h = 240, 380, 30
    rows = [row for row in table.rows if not str(row[0]).startswith("All ")]  # not the total
    values = [row[col] for row in rows]
    top = max([v for v in values if isinstance(v, int)] or [1]) or 1
    body = []
    for r, row in enumerate(rows):
        y = 8 + r * row_h
        v = row[col]
        body.append(
            f'<text x="{label_w - 8}" y="{y + 17}" font-size="14" text-anchor="end">{escape(str(row[0]))}</text>'
        )
        if isinstance(v, int):
            w = bar_w * v / top
            body.append(
                f'<rect x="{label_w}" y="{y + 3}" width="{w:.1f}" height="{row_h - 10}" fill="#1d70b8"/>'
            )
            body.append(f'<text x="{label_w + w + 6:.1f}" y="{y + 17}" font-size="13">{v}</text>')
        else:
            body.append(
                f'<text x="{label_w + 4}" y="{y + 17}" font-size="13">{escape(str(v))}</text>'
            )
    desc = "; ".join(f"{row[0]}: {row[col]}" for row in rows)
    return _svg(label_w + bar_w + 60, row_h * len(rows) + 16, table.title, desc, body)


def lines(table, top: float = 4, ticks: int = 4) -> str:  # noqa: ANN001
    """Mean need (0 to 4) by term, or, with top=100, a percentage by term."""
    left, width, height, top_pad = 50, 560, 220, 20
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
            f'<text x="{left - 8}" y="{y + 4:.1f}" font-size="12" text-anchor="end">{level}</text>'
        )
    for i, term in enumerate(terms):
        body.append(
            f'<text x="{left + i * step:.1f}" y="{top_pad + height + 18}" font-size="12" '
            f'text-anchor="middle">{escape(term)}</text>'
        )
    for s, name in enumerate(series):
        colour, dash = LINE_STYLES[s % len(LINE_STYLES)]
        pts = [
            (left + i * step, top_pad + height - height * row[2 + s] / top)
            for i, row in enumerate(table.rows)
            if isinstance(row[2 + s], int | float)
        ]
        if len(pts) > 1:
            d = " ".join(f"{x:.1f},{y:.1f}" for x, y in pts)
            dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
            body.append(
                f'<polyline points="{d}" fill="none" stroke="{colour}" stroke-width="3"{dash_attr}/>'
            )
        ly = top_pad + height + 40 + s * 20
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        body.append(
            f'<line x1="{left}" y1="{ly}" x2="{left + 40}" y2="{ly}" stroke="{colour}" '
            f'stroke-width="3"{dash_attr}/>'
        )
        body.append(f'<text x="{left + 48}" y="{ly + 5}" font-size="13">{escape(name)}</text>')
    desc = "; ".join(
        f"{row[0]}: " + ", ".join(f"{n} {row[2 + i]}" for i, n in enumerate(series))
        for row in table.rows
    )
    return _svg(
        left + width + 40, top_pad + height + 50 + 20 * len(series), table.title, desc, body
    )


def table_chart(table) -> str:  # noqa: ANN001
    charts = {
        "stacked": stacked,
        "bars": bars,
        "bars_column_2": lambda t: bars(t, 2),
        "lines": lines,
        "lines_percent": lambda t: lines(t, 100, 4),
    }
    return charts.get(table.chart, lambda t: "")(table)
