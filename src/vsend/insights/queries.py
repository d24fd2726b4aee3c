"""The aggregates behind every dashboard, computed by the database.

Each function runs a fixed number of GROUP BY queries over a *cohort*: the children enrolled, as
at a date, in the settings of a scope (one setting, a locality or the whole authority), narrowed
by filters. A child's picture as at that date is their latest finalised profile assessed on or
before it (see Profile.superseded_on). Results come back per setting; locality and authority
figures are sums of those rows, so no child is ever looped over in Python.
"""

from dataclasses import dataclass, field, replace
from datetime import date

from django.db import connection

from vsend.children import cohort
from vsend.children.models import Child, Enrolment
from vsend.organisations.models import Setting, YearGroup
from vsend.profiles.models import DomainRating, Profile

SIGNIFICANT = 3  # the shipped framework's: level 3 or above on the 0-4 scale (see Scale)
LEVELS = 5
T = {
    "child": Child._meta.db_table,
    "enrolment": Enrolment._meta.db_table,
    "setting": Setting._meta.db_table,
    "yeargroup": YearGroup._meta.db_table,
    "profile": Profile._meta.db_table,
    "rating": DomainRating._meta.db_table,
}


@dataclass(frozen=True)
class Scale:
    """The rating scale figures are counted on, from the framework: its number of levels, the
    lowest significant level, and the frameworks whose profiles share it (no other profile's
    ratings are ever pooled with these)."""

    levels: int = LEVELS
    significant: int = SIGNIFICANT
    frameworks: tuple[tuple[str, str, str], ...] = ()

    def sql(self, alias: str) -> tuple[str, list[object]]:
        if not self.frameworks:
            return "", []
        marks = " OR ".join(
            f"({alias}.framework_id = %s AND {alias}.framework_version = %s AND {alias}.age_band = %s)"
            for _ in self.frameworks
        )
        return f" AND ({marks})", [v for f in self.frameworks for v in f]


def current_scale() -> Scale:
    from vsend.frameworks import registry

    framework = registry.dashboard_framework()
    return Scale(
        framework.levels, framework.significant_from, tuple(registry.sharing_scale(framework))
    )


@dataclass(frozen=True)
class Scope:
    authority_id: int
    setting_id: int | None = None
    locality_id: int | None = None
    class_ids: tuple[int, ...] | None = None  # a teacher's classes
    setting_ids: tuple[int, ...] | None = None  # several settings (stored rows' recomputation)
    # Only children counted at another setting too, whose main registration is elsewhere (see
    # DUPLICATE): subtracted from sums of settings' stored rows so each child counts once.
    duplicates_only: bool = False
    # Only the enrolments a child is counted at in sums (not DUPLICATE): a query over several
    # settings at once (a trend) then counts a child registered at two of them once.
    counted_only: bool = False


# A child enrolled at two settings on a date counts at both settings, and once in sums: at their
# main registration (a subsidiary registration never is; between two of the same kind, the
# enrolment that started first, then the lower id). The same rule as
# children.selectors.counted_enrolments.
_SUBSIDIARY = "CASE WHEN {alias}.registration = 'S' THEN 1 ELSE 0 END"
DUPLICATE = (
    "EXISTS (SELECT 1 FROM {enrolment} e2 WHERE e2.child_id = e.child_id AND e2.id <> e.id "
    "AND e2.started_on <= %s AND (e2.ended_on IS NULL OR e2.ended_on >= %s) "
    "AND ("
    + _SUBSIDIARY.format(alias="e2")
    + " < "
    + _SUBSIDIARY.format(alias="e")
    + " OR ("
    + _SUBSIDIARY.format(alias="e2")
    + " = "
    + _SUBSIDIARY.format(alias="e")
    + " AND (e2.started_on < e.started_on OR (e2.started_on = e.started_on AND e2.id < e.id)))))"
)


KEY = "e.setting_id"  # what the per-setting queries group by


def split_key(as_at: date) -> str:
    """Group by setting and by DUPLICATE at once: 2 * setting id, plus 1 for the children whose
    main registration is elsewhere (the date is a date, written into the SQL as such)."""
    day = f"'{date.fromordinal(as_at.toordinal()).isoformat()}'"
    dup = DUPLICATE.format(enrolment=T["enrolment"]).replace("%s", day)
    return f"(e.setting_id * 2 + CASE WHEN {dup} THEN 1 ELSE 0 END)"


@dataclass(frozen=True)
class Filters:
    year: str = ""
    school_class: int | None = None
    sen_provision: str = ""
    need: str = ""
    sex: str = ""

    def as_query(self) -> dict[str, str]:
        return {k: str(v) for k, v in self.__dict__.items() if v}


def _cohort_sql(scope: Scope, filters: Filters, as_at: date) -> tuple[str, list[object]]:
    """FROM ... WHERE for the cohort: child c, enrolment e and setting s, as at a date.

    The first two parameters belong to the enrolment join, the rest to the WHERE clause.
    """
    where = ["s.authority_id = %s"]
    params: list[object] = [as_at, as_at, scope.authority_id]
    joins = ""
    if scope.setting_id:
        where.append("e.setting_id = %s")
        params.append(scope.setting_id)
    if scope.locality_id:
        where.append("s.locality_id = %s")
        params.append(scope.locality_id)
    if scope.setting_ids is not None:
        marks = ", ".join(["%s"] * len(scope.setting_ids)) or "NULL"
        where.append(f"e.setting_id IN ({marks})")
        params.extend(scope.setting_ids)
    if scope.duplicates_only:
        where.append(DUPLICATE.format(enrolment=T["enrolment"]))
        params.extend([as_at, as_at])
    if scope.counted_only:
        where.append("NOT " + DUPLICATE.format(enrolment=T["enrolment"]))
        params.extend([as_at, as_at])
    if scope.class_ids is not None:
        marks = ", ".join(["%s"] * len(scope.class_ids)) or "NULL"
        where.append(f"e.school_class_id IN ({marks})")
        params.extend(scope.class_ids)
    conditions, values, year_join = cohort.sql(filters)  # the one cohort definition
    if year_join:
        joins = f" JOIN {T['yeargroup']} y ON y.id = e.year_group_id"
    where.extend(conditions)
    params.extend(values)
    sql = (
        f"{T['child']} c JOIN {T['enrolment']} e ON e.child_id = c.id AND e.started_on <= %s "
        f"AND (e.ended_on IS NULL OR e.ended_on >= %s) "
        f"JOIN {T['setting']} s ON s.id = e.setting_id{joins} WHERE {' AND '.join(where)}"
    )
    return sql, params


def _profile_join(
    alias: str, as_at: date, *, left: bool = False, scale: Scale | None = None
) -> tuple[str, list[object]]:
    """Join each child's picture as at a date: finalised, assessed by then, not yet replaced;
    with a scale, only profiles made on it."""
    kind = "LEFT JOIN" if left else "JOIN"
    scale_sql, scale_params = scale.sql(alias) if scale is not None else ("", [])
    return (
        f" {kind} {T['profile']} {alias} ON {alias}.child_id = c.id AND {alias}.status = 'finalised' "
        f"AND {alias}.assessment_date <= %s "
        f"AND ({alias}.superseded_on IS NULL OR {alias}.superseded_on > %s){scale_sql}",
        [as_at, as_at, *scale_params],
    )


RATINGS: tuple[str, list[object]] = (f" JOIN {T['rating']} r ON r.profile_id = p.id", [])


def _from(
    cohort: tuple[str, list[object]], joins: list[tuple[str, list[object]]]
) -> tuple[str, list[object]]:
    """The cohort's tables, then extra joins (each on base tables, so indexes serve), then WHERE."""
    base, params = cohort
    tables, where = base.split(" WHERE ", 1)
    join_sql = "".join(j[0] for j in joins)
    join_params = [p for j in joins for p in j[1]]
    return f"{tables}{join_sql} WHERE {where}", params[:2] + join_params + params[2:]


def _rows(sql: str, params: list[object]) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)  # type: ignore[arg-type]
        return cursor.fetchall()


def _case(cond: str) -> str:
    return f"SUM(CASE WHEN {cond} THEN 1 ELSE 0 END)"


@dataclass
class DomainStats:
    key: str
    n: int = 0
    levels: list[int] = field(default_factory=list)
    significant: int = 0
    readiness_gap: int = 0
    readiness_gap_total: int = 0
    confidence_gap: int = 0
    confidence_gap_total: int = 0
    need_total: int = 0

    def add(self, other: "DomainStats") -> None:
        self.n += other.n
        width = max(len(self.levels), len(other.levels))
        mine, theirs = self.levels + [0] * width, other.levels + [0] * width
        self.levels = [mine[i] + theirs[i] for i in range(width)]
        for f in (
            "significant",
            "readiness_gap",
            "readiness_gap_total",
            "confidence_gap",
            "confidence_gap_total",
            "need_total",
        ):
            setattr(self, f, getattr(self, f) + getattr(other, f))

    @property
    def mean_need(self) -> float | None:
        return self.need_total / self.n if self.n else None


@dataclass
class ChangeStats:
    key: str
    n: int = 0
    improved: int = 0  # need went down
    same: int = 0
    increased: int = 0  # need went up
    total_change: int = 0

    def add(self, other: "ChangeStats") -> None:
        for f in ("n", "improved", "same", "increased", "total_change"):
            setattr(self, f, getattr(self, f) + getattr(other, f))

    @property
    def mean_change(self) -> float | None:
        return self.total_change / self.n if self.n else None


@dataclass
class CohortStats:
    children: int = 0
    sen_support: int = 0
    ehc_plan: int = 0
    profiled: int = 0
    sen_without_profile: int = 0
    reviews_overdue: int = 0
    reviews_due: int = 0

    def add(self, other: "CohortStats") -> None:
        for f in self.__dataclass_fields__:
            setattr(self, f, getattr(self, f) + getattr(other, f))

    def subtract(self, other: "CohortStats") -> None:
        for f in self.__dataclass_fields__:
            setattr(self, f, getattr(self, f) - getattr(other, f))

    @property
    def with_sen(self) -> int:
        return self.sen_support + self.ehc_plan


@dataclass
class Block:
    """Every figure for one group of children (a setting, a locality, or the whole scope)."""

    cohort: CohortStats = field(default_factory=CohortStats)
    domains: dict[str, DomainStats] = field(default_factory=dict)
    complexity: list[int] = field(
        default_factory=lambda: [0] * 6
    )  # children by domains at significant need
    change_term: dict[str, ChangeStats] = field(default_factory=dict)
    change_year: dict[str, ChangeStats] = field(default_factory=dict)

    def add(self, other: "Block") -> None:
        self.cohort.add(other.cohort)
        for attr in ("domains", "change_term", "change_year"):
            mine, theirs = getattr(self, attr), getattr(other, attr)
            for key, stats in theirs.items():
                if key not in mine:
                    mine[key] = type(stats)(key)
                mine[key].add(stats)
        self.complexity = [a + b for a, b in zip(self.complexity, other.complexity, strict=True)]


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
