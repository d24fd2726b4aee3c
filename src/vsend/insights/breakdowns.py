"""A setting's needs by year group and by class, and its children by type of need: the
setting-level views the SENDCo and teachers use to plan. For viewers who may see the children
only (a breakdown by class of a handful of children would identify them)."""

from dataclasses import dataclass, field
from datetime import date

from vsend.frameworks.loader import DOMAIN_KEYS
from vsend.insights.cohort_sql import (
    RATINGS,
    Filters,
    Scale,
    Scope,
    _case,
    _cohort_sql,
    _from,
    _profile_join,
    _rows,
)

SUPPORT, PLAN = "c.sen_provision = 'K'", "c.sen_provision = 'E'"
GROUPS = {"year": "e.year_group_id", "class": "e.school_class_id"}


@dataclass
class Group:
    key: int | None
    children: int = 0
    with_sen: int = 0
    profiled: int = 0
    significant_any: int = 0
    significant: dict[str, int] = field(default_factory=dict)


def by_group(scope: Scope, filters: Filters, as_at: date, by: str, scale: Scale) -> list[Group]:
    """Children, with SEN, profiled (on the scale), and at significant need in any area and in
    each area, per year group or class. One query."""
    left_ratings = (RATINGS[0].replace(" JOIN ", " LEFT JOIN ", 1), RATINGS[1])
    frm, params = _from(
        _cohort_sql(scope, filters, as_at),
        [_profile_join("p", as_at, left=True, scale=scale), left_ratings],
    )
    sig = f"r.need_level >= {int(scale.significant)}"
    per_domain = ", ".join(
        f"MAX(CASE WHEN r.domain = '{k}' AND {sig} THEN 1 ELSE 0 END) AS d{i}"
        for i, k in enumerate(DOMAIN_KEYS)
    )
    sums = ", ".join(f"SUM(d{i})" for i in range(len(DOMAIN_KEYS)))
    sql = (
        f"SELECT grp, COUNT(*), SUM(sen), SUM(prof), SUM(sig_any), {sums} FROM ("
        f"SELECT {GROUPS[by]} AS grp, c.id AS child, "
        f"MAX(CASE WHEN c.sen_provision IN ('K', 'E') THEN 1 ELSE 0 END) AS sen, "
        f"MAX(CASE WHEN p.id IS NOT NULL THEN 1 ELSE 0 END) AS prof, "
        f"MAX(CASE WHEN {sig} THEN 1 ELSE 0 END) AS sig_any, {per_domain} "
        f"FROM {frm} GROUP BY {GROUPS[by]}, c.id) per_child GROUP BY grp"
    )
    out = []
    for grp, n, sen, prof, sig_any, *domains in _rows(sql, params):
        out.append(
            Group(
                grp,
                int(n),
                int(sen or 0),
                int(prof or 0),
                int(sig_any or 0),
                {k: int(v or 0) for k, v in zip(DOMAIN_KEYS, domains, strict=True)},
            )
        )
    return out


def by_need_type(scope: Scope, filters: Filters, as_at: date) -> list[tuple[str, int, int]]:
    """Children with SEN by primary type of need: (need, on SEN support, with an EHC plan)."""
    frm, params = _from(_cohort_sql(scope, filters, as_at), [])
    sql = (
        f"SELECT c.primary_need, {_case(SUPPORT)}, {_case(PLAN)} FROM {frm} "
        f"AND c.sen_provision IN ('K', 'E') GROUP BY c.primary_need"
    )
    return [(need or "", int(k or 0), int(e or 0)) for need, k, e in _rows(sql, params)]
