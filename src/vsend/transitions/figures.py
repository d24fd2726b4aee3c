"""The authority's transition figures: plans in progress and their outcomes, by the term each
began and the locality of the sending setting. Counts only, never a child; suppressed for
anyone who may not see the children behind them (ADR 11: insights.suppression)."""

import csv
import io
from collections import Counter
from dataclasses import dataclass
from typing import Any

from openpyxl import Workbook

from vsend.insights import suppression
from vsend.insights.exports import safe_cell
from vsend.organisations.models import LocalAuthority
from vsend.transitions.models import Outcome, TransitionPlan
from vsend.workflows.terms import term_label, term_of

COLUMNS = [
    "Term started",
    "Locality",
    "Plans",
    "In progress",
    "Returned to mainstream",
    "Stayed at special school",
    "Enhanced support, then setting support (no assessment request)",
    "Referred for an assessment",
    "Ended early",
]
OUTCOME_ORDER = [
    Outcome.RETURNED,
    Outcome.STAYED,
    Outcome.SCHOOL_SUPPORT,
    Outcome.REFERRED,
    Outcome.ENDED,
]


@dataclass(frozen=True)
class Figures:
    authority: LocalAuthority
    suppressed: bool
    rows: list[list[Any]]
    totals: list[Any]


def figures(authority: LocalAuthority, *, suppressed: bool) -> Figures:
    counts: Counter[tuple[tuple[int, int], str, str]] = Counter()
    for started_on, locality, outcome in TransitionPlan.objects.filter(
        child__authority=authority
    ).values_list("started_on", "sending_setting__locality__name", "outcome"):
        counts[(term_of(started_on), locality, outcome or "open")] += 1
    keys = sorted({(term, loc) for term, loc, _ in counts})

    def shown(value: int) -> int | str:
        return suppression.count(value) if suppressed else value

    rows = []
    totals = Counter[str]()
    for term, loc in keys:
        by = {o: counts[(term, loc, o)] for o in ["open", *OUTCOME_ORDER]}
        for k, v in by.items():
            totals[k] += v
        rows.append(
            [term_label(*term), loc, shown(sum(by.values())), shown(by["open"])]
            + [shown(by[o]) for o in OUTCOME_ORDER]
        )
    total_row = ["All terms", "All localities", shown(sum(totals.values())), shown(totals["open"])]
    total_row += [shown(totals[o]) for o in OUTCOME_ORDER]
    return Figures(authority, suppressed, rows, total_row)


def _header(f: Figures) -> list[list[Any]]:
    return [
        [f"Transition plans: {f.authority.name}"],
        [suppression.NOTE if f.suppressed else "Exact figures (not for publication)"],
    ]


def to_csv(f: Figures) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    for row in [*_header(f), [], COLUMNS, *f.rows, f.totals]:
        writer.writerow([safe_cell(v) for v in row])
    return out.getvalue()


def to_xlsx(f: Figures) -> bytes:
    book = Workbook()
    about = book.active
    about.title = "About"
    for row in _header(f):
        about.append([safe_cell(v) for v in row])
    sheet = book.create_sheet("transitions")
    for row in [COLUMNS, *f.rows, f.totals]:
        sheet.append([safe_cell(v) for v in row])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def table_xlsx(title: str, columns: list[str], rows: list[list[Any]]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "list"
    sheet.append([safe_cell(title)])
    for row in [columns, *rows]:
        sheet.append([safe_cell(v) for v in row])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def table_csv(columns: list[str], rows: list[list[Any]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    for row in [columns, *rows]:
        writer.writerow([safe_cell(v) for v in row])
    return out.getvalue()
