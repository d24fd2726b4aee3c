"""A dashboard table: what pages, files and the API show."""

from dataclasses import dataclass
from typing import Any


@dataclass
class Table:
    key: str
    title: str
    columns: list[str]
    rows: list[list[Any]]
    description: str = ""
    row_totals: bool = False  # the last column is each row's total
    links: list[list[str | None]] | None = None  # per cell, for viewers who may see children
    chart: str = ""  # "stacked" (levels by domain) or "bars" (first number column)
    source: Any = None  # for the benchmark: its rows in by_setting and by_locality

    def as_dict(self) -> dict[str, Any]:
        return {"key": self.key, "title": self.title, "columns": self.columns, "rows": self.rows}
