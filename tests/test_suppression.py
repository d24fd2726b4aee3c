from vsend.insights.suppression import HIDDEN, WITHHELD, suppress


def _unrecoverable(shown, row_totals=True, column_totals=False):
    """No line with a visible total has exactly one hidden count."""

    def hid(v):
        return isinstance(v, str) and v in (HIDDEN, WITHHELD)

    lines = []
    if row_totals:
        lines += [(r[:-1], r[-1]) for r in shown]
    if column_totals:
        lines += [([r[j] for r in shown[:-1]], shown[-1][j]) for j in range(len(shown[0]))]
    return all(hid(total) or sum(hid(v) for v in line) != 1 for line, total in lines)


def test_small_counts_are_hidden_and_cannot_be_worked_out_from_the_total():
    shown = suppress([[10, 3, 20, 33], [12, 0, 9, 21]], row_totals=True)
    assert shown[0][1] == HIDDEN
    assert shown[0][0] == WITHHELD  # the smallest other count in the row
    assert shown[0][2] == 20 and shown[0][3] == 33
    assert shown[1] == [12, 0, 9, 21]  # nothing small: nothing hidden
    assert _unrecoverable(shown)


def test_zero_is_shown_and_a_small_total_is_hidden():
    shown = suppress([[0, 0, 4, 4]], row_totals=True)
    assert shown[0][2] == HIDDEN and shown[0][3] == HIDDEN
    assert shown[0][0] == 0


def test_secondary_suppression_holds_across_rows_and_columns():
    cells = [[20, 2, 30, 52], [15, 40, 9, 64], [35, 42, 39, 116]]
    shown = suppress(cells, row_totals=True, column_totals=True)
    assert shown[0][1] == HIDDEN
    assert _unrecoverable(shown, row_totals=True, column_totals=True)


def test_labels_and_means_pass_through():
    shown = suppress([["Autumn 2026", 3, 1.5]], row_totals=False)
    assert shown == [["Autumn 2026", HIDDEN, 1.5]]


def test_a_hidden_total_cannot_be_rebuilt_from_its_visible_parts():
    from vsend.insights.suppression import Relations, suppress_cells

    # Settings 5 and 5 make a locality of 10; the authority is 13, so the other locality is 3.
    grid = [[5], [5], [10], [3], [13]]
    rel = Relations(sums=[([(0, 0), (1, 0)], (2, 0)), ([(2, 0), (3, 0)], (4, 0))])
    shown = suppress_cells(grid, rel)
    assert shown[3][0] == HIDDEN
    hidden = [r[0] in (HIDDEN, WITHHELD) for r in shown]
    # Neither relation is left with exactly one hidden member.
    assert sum(hidden[i] for i in (0, 1, 2)) != 1 and sum(hidden[i] for i in (2, 3, 4)) != 1
