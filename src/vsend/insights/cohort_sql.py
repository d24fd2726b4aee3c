"""The SQL every dashboard aggregate is built from: the rating scale, the scope and filters that
make a cohort (the children enrolled, as at a date, in the settings of a scope), and the joins
that find each child's picture as at that date. See queries.py for the aggregates themselves."""

from dataclasses import dataclass
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
