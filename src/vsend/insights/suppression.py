"""Small-number suppression for anything an LA officer or a governor sees.

Primary: a count from 1 to 4 is shown as "fewer than 5" (0 is shown). Secondary: wherever
counts on show add up to a total on show (a row and its total, a column and its total row, a
pair of figures that together make another), a lone hidden count could be worked out by
subtraction, so the next smallest count in that relation is withheld too; repeated until no
relation with a visible total has exactly one hidden part. Percentages of a hidden count are
hidden with it.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field

THRESHOLD = 5
HIDDEN = "fewer than 5"
WITHHELD = "withheld"  # not small itself: hidden so that a small count cannot be worked out

Cell = tuple[int, int]


@dataclass
class Relations:
    """How the cells of one table add up."""

    sums: list[tuple[list[Cell], Cell]] = field(default_factory=list)  # parts, total
    derived: list[tuple[Cell, Cell]] = field(
        default_factory=list
    )  # (percentage, the count it shows)


def _small(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value < THRESHOLD


def suppress_cells(
    grid: Sequence[Sequence[object]], relations: Relations, force: set[Cell] | None = None
) -> list[list[object]]:
    """force: cells to hide whatever their value (they then count as hidden in every relation)."""
    grid = [list(r) for r in grid]
    hidden = [[_small(v) for v in r] for r in grid]
    for i, j in force or ():
        hidden[i][j] = True
    changed = True
    while changed:
        changed = False
        for parts, total in relations.sums:
            # Parts and total are one set: if exactly one of them is hidden, the others give it
            # away (a hidden total is the sum of visible parts), so hide one more.
            cells = [c for c in [*parts, total] if isinstance(grid[c[0]][c[1]], int)]
            if sum(hidden[i][j] for i, j in cells) != 1:
                continue
            visible_parts = [
                (grid[i][j], i, j) for i, j in parts if (i, j) in cells and not hidden[i][j]
            ]
            if visible_parts:
                # Withhold the smallest visible part: it gives away the least.
                _, i, j = min(visible_parts, key=lambda c: (c[0] == 0, c[0]))
                hidden[i][j] = True
            else:
                hidden[total[0]][total[1]] = True
            changed = True
    out = [
        [(HIDDEN if _small(v) else WITHHELD) if hidden[i][j] else v for j, v in enumerate(r)]
        for i, r in enumerate(grid)
    ]
    for (pi, pj), (ci, cj) in relations.derived:
        if hidden[ci][cj] and out[pi][pj] is not None:
            out[pi][pj] = WITHHELD
    return out


def suppress(
    cells: list[list[object]], *, row_totals: bool, column_totals: bool = False
) -> list[list[object]]:
    """The common case: the last column is each row's total, and/or the last row is the totals."""
    rel = Relations()
    n, width = len(cells), len(cells[0]) if cells else 0
    if row_totals:
        rel.sums += [([(i, j) for j in range(width - 1)], (i, width - 1)) for i in range(n)]
    if column_totals and n > 1:
        rel.sums += [([(i, j) for i in range(n - 1)], (n - 1, j)) for j in range(width)]
    return suppress_cells(cells, rel)
