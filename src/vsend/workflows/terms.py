"""School terms for due dates counted in terms (a transition plan's "by the end of term 5").

The year runs in six terms from 1 September. Each term ends on a fixed day (below), close to
the usual English half-term breaks; an authority whose dates differ a little loses nothing that
matters for planning, and the dates are in one place. The summer holiday after term 6 belongs
to the next year's term 1 (a plan started in August is in the autumn term).
"""

import calendar
from datetime import date

# (month, day) each term ends; day 0 means the last day of the month (February).
TERM_ENDS: tuple[tuple[int, int], ...] = ((10, 31), (12, 31), (2, 0), (4, 15), (5, 31), (7, 22))
TERMS_A_YEAR = len(TERM_ENDS)


def _end(year_start: int, term: int) -> date:
    month, day = TERM_ENDS[term - 1]
    year = year_start if month >= 9 else year_start + 1
    return date(year, month, day or calendar.monthrange(year, month)[1])


def term_of(day: date) -> tuple[int, int]:
    """(the year the school year starts, the term 1-6) that a day falls in."""
    year_start = day.year if day.month >= 9 else day.year - 1
    for term in range(1, TERMS_A_YEAR + 1):
        if day <= _end(year_start, term):
            return year_start, term
    return year_start + 1, 1  # the summer holiday: the next year's autumn term


def term_end(day: date, terms_after: int) -> date:
    """The last day of the term `terms_after` terms after the one the day falls in
    (0: the end of its own term)."""
    year_start, term = term_of(day)
    index = term - 1 + terms_after
    return _end(year_start + index // TERMS_A_YEAR, index % TERMS_A_YEAR + 1)


def term_label(year_start: int, term: int) -> str:
    return f"{year_start}/{str(year_start + 1)[-2:]} term {term}"
