"""The differencing attack (insights/attack.py) on the statutory timeliness tables an LA officer
can open (statutory/timeliness_tables.py): the unknowns are each setting's counts in each month
(setting 0: children at no setting), every table cell a constraint on their sums, a share read
back into the count it was worked out from. No count from 1 to 4 may be pinned to one value."""

from typing import Any

from vsend.insights import suppression
from vsend.insights.attack import BIG, Cell, Finding, Rules, System, determined_small_counts
from vsend.organisations.models import LocalAuthority, Setting
from vsend.statutory import stored
from vsend.statutory.timeliness_tables import FIELDS, Published, published_timeliness

NO_SETTING = 0
ALL = (*stored.TIMELINESS, "held", "held_on_time")
# The whole-term table's rows: (its count, the count its share is of it).
TERM_ROWS = (
    ("requests", None),
    ("decisions", "decisions_within_6_weeks"),
    ("plans_issued", "plans_within_20_weeks"),
    ("plans_issued_without_exception", "plans_within_20_weeks_without_exception"),
)


def _v(setting: int, month: str, field: str) -> str:
    return f"{setting}:{month}.{field}"


def structure(months: list[str]) -> Any:
    def add(system: System, settings: list[int]) -> None:
        for s in [*settings, NO_SETTING]:
            for m in months:

                def v(f: str, s: int = s, m: str = m) -> str:
                    return _v(s, m, f)

                for part, whole in (
                    ("decisions_within_6_weeks", "decisions"),
                    ("plans_within_20_weeks", "plans_issued"),
                    ("plans_issued_without_exception", "plans_issued"),
                    ("plans_within_20_weeks_without_exception", "plans_issued_without_exception"),
                    ("plans_within_20_weeks_without_exception", "plans_within_20_weeks"),
                    ("held_on_time", "held"),
                ):
                    system.add({v(part): 1, v(whole): -1}, -BIG, 0)

    return add


def _cells(expr_of: Any, row: list[Any], pairs: list[tuple[int, str, int | None]]) -> list[Cell]:
    """A row's counts, and each share turned back into the published count it came from (a
    share of a shown count reveals its numerator's published value; no share, a hidden one)."""
    out = []
    for col, field, pct_col in pairs:
        value = row[col]
        out.append(Cell(expr_of(field), value))
        if pct_col is None:
            continue
        share, numerator = row[pct_col], FIELDS[pct_col - 1]
        if isinstance(value, int) and value > 0:
            shown = suppression.HIDDEN if share is None else round(share * value / 100)
            out.append(Cell(expr_of(numerator), shown))
    return out


def cells_of(published: Published, all_ids: list[int]) -> list[Cell]:
    keys = [key for key, _, _ in stored.months(published.term)]
    by_name = dict(zip(published.months, keys, strict=True))
    everyone = [*all_ids, NO_SETTING]

    def over(settings: list[int], months: list[str]) -> Any:
        return lambda f: {_v(s, m, f): 1 for s in settings for m in months}

    term, by_month, by_locality, by_setting = published.tables
    cells: list[Cell] = []
    whole = over(everyone, keys)
    for (field, part), row in zip(TERM_ROWS, term.rows, strict=True):
        cells.append(Cell(whole(field), row[1]))
        if part is not None and isinstance(row[1], int) and row[1] > 0:
            shown = suppression.HIDDEN if row[2] is None else round(row[2] * row[1] / 100)
            cells.append(Cell(whole(part), shown))
    pairs = [(1, "requests", None), (2, "decisions", 3), (4, "plans_issued", 5), (6, "held", 7)]
    for row in by_month.rows:
        cells += _cells(over(everyone, [by_name[row[0]]]), row, pairs)
    for row in by_locality.rows:
        among = everyone if row[0] == "Whole authority" else published.localities[row[0]]
        cells += _cells(over(among, keys), row, pairs)
    for row in by_setting.rows:
        cells += _cells(over([published.settings[row[0]]], keys), row, pairs)
    return cells


def truth(authority: LocalAuthority, ids: list[int], published: Published) -> dict[str, int]:
    """The true counts, computed from scratch (not read from the stored rows)."""
    as_at = published.term.ends
    rows = stored.compute(authority.pk, tuple(ids), as_at, False)
    rows[NO_SETTING] = stored.unplaced(authority.pk, as_at)
    point = {}
    for s, values in rows.items():
        for key, _, _ in stored.months(published.term):
            for f in ALL:
                point[_v(s, key, f)] = values.get(f"{key}.{f}", 0)
    return point


def attack(authority: LocalAuthority) -> tuple[list[Finding], int]:
    """The tables an LA officer sees for the last term that has ended, attacked."""
    from django.utils import timezone

    from vsend.insights.published import as_at_term_end
    from vsend.insights.terms import term_containing

    term = term_containing(as_at_term_end(timezone.localdate()))
    published = published_timeliness(authority, term)
    ids = list(Setting.objects.filter(authority=authority).values_list("pk", flat=True))
    when = term.ends
    rules = Rules(
        rounding=suppression.ROUNDING,
        hidden={suppression.HIDDEN: (1, suppression.HIDDEN_MAX)},
        pct_from_published=True,
    )
    keys = [key for key, _, _ in stored.months(term)]
    return determined_small_counts(
        {when: cells_of(published, ids)},
        ids,
        {when: truth(authority, ids, published)},
        rules,
        structure(keys),
    )
