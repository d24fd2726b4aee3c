"""The aggregates behind every dashboard, computed by the database.

Each function runs a fixed number of GROUP BY queries over a *cohort*: the children enrolled, as
at a date, in the settings of a scope (one setting, a locality or the whole authority), narrowed
by filters. A child's picture as at that date is their latest finalised profile assessed on or
before it (see Profile.superseded_on). Results come back per setting; locality and authority
figures are sums of those rows, so no child is ever looped over in Python.
"""

from dataclasses import replace
from datetime import date

from vsend.insights.cohort_sql import (
    DUPLICATE,
    KEY,
    LEVELS,
    RATINGS,
    SIGNIFICANT,
    Filters,
    Scale,
    Scope,
    T,
    _case,
    _cohort_sql,
    _from,
    _profile_join,
    _rows,
    current_scale,
    split_key,
)
from vsend.insights.stats import Block, ChangeStats, CohortStats, DomainStats

# The scale, scope, filters and figures are importable from here, as they always were.
__all__ = [
    "DUPLICATE",
    "KEY",
    "LEVELS",
    "RATINGS",
    "SIGNIFICANT",
    "T",
    "Block",
    "ChangeStats",
    "CohortStats",
    "DomainStats",
    "Filters",
    "Scale",
    "Scope",
    "blocks_by_setting",
    "current_scale",
    "split_key",
    "trend",
]


def _domain_query(
    cohort: tuple[str, list[object]], as_at: date, scale: Scale | None = None, key: str = KEY
) -> list[tuple]:
    scale = scale or Scale()
    level_cols = ", ".join(_case(f"r.need_level = {i}") for i in range(scale.levels))
    frm, params = _from(cohort, [_profile_join("p", as_at, scale=scale), RATINGS])
    sql = (
        f"SELECT {key}, r.domain, COUNT(*), {level_cols}, "
        f"{_case(f'r.need_level >= {scale.significant}')}, "
        f"{_case('r.need_level > r.readiness_level')}, "
        f"SUM(CASE WHEN r.need_level > r.readiness_level THEN r.need_level - r.readiness_level ELSE 0 END), "
        f"{_case('r.need_level > r.confidence_level')}, "
        f"SUM(CASE WHEN r.need_level > r.confidence_level THEN r.need_level - r.confidence_level ELSE 0 END), "
        f"SUM(r.need_level) "
        f"FROM {frm} AND r.need_level IS NOT NULL GROUP BY {key}, r.domain"
    )
    return _rows(sql, params)


def _complexity_query(
    cohort: tuple[str, list[object]], as_at: date, scale: Scale | None = None, key: str = KEY
) -> list[tuple]:
    scale = scale or Scale()
    frm, params = _from(cohort, [_profile_join("p", as_at, scale=scale), RATINGS])
    sql = (
        f"SELECT setting_id, k, COUNT(*) FROM (SELECT {key} AS setting_id, "
        f"{_case(f'r.need_level >= {scale.significant}')} AS k FROM {frm} GROUP BY {key}, p.id) per_child "
        f"GROUP BY setting_id, k"
    )
    return _rows(sql, params)


def _cohort_query(
    cohort: tuple[str, list[object]], as_at: date, due_by: date, key: str = KEY
) -> list[tuple]:
    frm, params = _from(cohort, [_profile_join("p", as_at, left=True)])
    support, plan = _case("c.sen_provision = 'K'"), _case("c.sen_provision = 'E'")
    unprofiled = _case("c.sen_provision IN ('K', 'E') AND p.id IS NULL")
    sql = (
        f"SELECT {key}, COUNT(*), {support}, {plan}, {_case('p.id IS NOT NULL')}, {unprofiled}, "
        f"{_case('p.review_date < %s')}, {_case('p.review_date >= %s AND p.review_date <= %s')} "
        f"FROM {frm} GROUP BY {key}"
    )
    return _rows(sql, [as_at, as_at, due_by, *params])  # the SELECT's parameters come first


def _change_query(
    cohort: tuple[str, list[object]],
    as_at: date,
    before: date,
    scale: Scale | None = None,
    key: str = KEY,
) -> list[tuple]:
    frm, params = _from(
        cohort,
        [
            _profile_join("p", as_at, scale=scale),
            RATINGS,
            _profile_join("q", before, scale=scale),
            (f" JOIN {T['rating']} rq ON rq.profile_id = q.id AND rq.domain = r.domain", []),
        ],
    )
    sql = (
        f"SELECT {key}, r.domain, COUNT(*), {_case('r.need_level < rq.need_level')}, "
        f"{_case('r.need_level = rq.need_level')}, {_case('r.need_level > rq.need_level')}, "
        f"SUM(r.need_level - rq.need_level) "
        f"FROM {frm} AND q.id <> p.id AND r.need_level IS NOT NULL AND rq.need_level IS NOT NULL "
        f"GROUP BY {key}, r.domain"
    )
    return _rows(sql, params)


def blocks_by_setting(
    scope: Scope,
    filters: Filters,
    as_at: date,
    *,
    previous_term_end: date,
    year_before: date,
    due_by: date,
    scale: Scale | None = None,
    split: bool = False,
) -> dict[int, Block]:
    """Every figure per setting in the scope: five queries, whatever the number of children.
    With split, keyed by split_key(): each setting's children counted there alone (2 * id) and
    those whose main registration is elsewhere (2 * id + 1), in the same five queries."""
    scale = scale or current_scale()
    cohort = _cohort_sql(scope, filters, as_at)
    key = split_key(as_at) if split else KEY
    blocks: dict[int, Block] = {}

    def block(setting_id: int) -> Block:
        return blocks.setdefault(setting_id, Block())

    for setting_id, *counts in _cohort_query(cohort, as_at, due_by, key):
        block(setting_id).cohort = CohortStats(*(int(c or 0) for c in counts))
    for setting_id, domain, n, *rest in _domain_query(cohort, as_at, scale, key):
        width = scale.levels
        levels, rest = [int(x or 0) for x in rest[:width]], [int(x or 0) for x in rest[width:]]
        block(setting_id).domains[domain] = DomainStats(domain, int(n), levels, *rest)
    for setting_id, k, n in _complexity_query(cohort, as_at, scale, key):
        block(setting_id).complexity[min(int(k or 0), 5)] += int(n)
    for attr, then in (("change_term", previous_term_end), ("change_year", year_before)):
        for setting_id, domain, n, improved, same, increased, total in _change_query(
            cohort, as_at, then, scale, key
        ):
            getattr(block(setting_id), attr)[domain] = ChangeStats(
                domain,
                int(n),
                int(improved or 0),
                int(same or 0),
                int(increased or 0),
                int(total or 0),
            )
    return blocks


def trend(
    scope: Scope, filters: Filters, dates: list[date], scale: Scale | None = None
) -> list[dict[str, tuple[int, int, int]]]:
    """For each date: per domain, (children profiled, total need, children at significant
    need), for mean need (or, anonymously, the share at significant need) over terms.

    One query: the as-at selections for every date are stacked with UNION ALL. Over several
    settings, a child registered at two counts once, at their main registration (as in the sums
    of stored rows); within one setting, wherever they are registered.
    """
    scale = scale or current_scale()
    if scope.setting_id is None and not scope.duplicates_only:
        scope = replace(scope, counted_only=True)
    parts, params = [], []
    for i, d in enumerate(dates):
        frm, p = _from(
            _cohort_sql(scope, filters, d), [_profile_join("p", d, scale=scale), RATINGS]
        )
        parts.append(
            f"SELECT {i} AS t, r.domain AS domain, COUNT(*) AS n, SUM(r.need_level) AS total, "
            f"{_case(f'r.need_level >= {scale.significant}')} AS sig "
            f"FROM {frm} AND r.need_level IS NOT NULL GROUP BY r.domain"
        )
        params += p
    out: list[dict[str, tuple[int, int, int]]] = [{} for _ in dates]
    for t, domain, n, total, sig in _rows(" UNION ALL ".join(parts), params):
        out[int(t)][domain] = (int(n), int(total or 0), int(sig or 0))
    return out
