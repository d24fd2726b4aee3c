"""Dashboard tables as CSV, Excel and the governors' PDF."""

import csv
import io
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone
from openpyxl import Workbook

from vsend.exports.pdf import tagged_pdf
from vsend.insights import suppression
from vsend.insights.charts import table_chart
from vsend.insights.dashboards import Dashboard, Table

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """Text a spreadsheet could run as a formula is kept as text (a leading apostrophe)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return "" if value is None else value


def _header(dashboard: Dashboard) -> list[list[Any]]:
    filters = ", ".join(f"{k}={v}" for k, v in dashboard.filters.as_query().items()) or "none"
    return [
        [dashboard.title],
        [f"As at {dashboard.as_at.isoformat()} ({dashboard.term.label})"],
        [f"Filters: {filters}"],
        [suppression.NOTE if dashboard.suppressed else "Exact figures (not for publication)"],
    ]


def to_csv(dashboard: Dashboard, tables: list[Table]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    for row in _header(dashboard):
        writer.writerow([safe_cell(v) for v in row])
    for table in tables:
        writer.writerow([])
        writer.writerow([safe_cell(table.title)])
        writer.writerow([safe_cell(c) for c in table.columns])
        for row in table.rows:
            writer.writerow([safe_cell(v) for v in row])
    return out.getvalue()


def to_xlsx(dashboard: Dashboard, tables: list[Table]) -> bytes:
    book = Workbook()
    about = book.active
    about.title = "About"
    for row in _header(dashboard):
        about.append([safe_cell(v) for v in row])
    for table in tables:
        sheet = book.create_sheet(table.key[:31])
        sheet.append([safe_cell(table.title)])
        sheet.append([safe_cell(c) for c in table.columns])
        for row in table.rows:
            sheet.append([safe_cell(v) for v in row])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


GOVERNOR_TABLES = (
    "children",
    "need_levels",
    "significant",
    "complexity",
    "readiness_gaps",
    "confidence_gaps",
    "change_term",
    "change_year",
    "trend",
)


def governors_pdf(dashboard: Dashboard, extra: list[Table] | None = None) -> bytes:
    """The summary; `extra` tables (already through disclosure control) follow the others."""
    tables = [t for t in dashboard.tables if t.key in GOVERNOR_TABLES] + (extra or [])
    html = render_to_string(
        "insights/governors.html",
        {
            "dashboard": dashboard,
            "tables": tables,
            "charts": {t.key: table_chart(t) for t in tables},
            "detailed": any(t.key == "need_levels" for t in tables),
            "now": timezone.localdate(),
        },
    )
    return tagged_pdf(html)
