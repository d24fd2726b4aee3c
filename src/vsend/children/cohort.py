"""Which children a figure counts: one definition, used both by the dashboards' SQL
(insights/queries.py) and by the children lists a figure links to (selectors.filter_children),
so a figure and its link always agree (tests/test_cohort.py checks every filter).

- sen_provision: the child's SEN provision (N, K or E), or WITH_SEN for either K or E;
- need: the child's *primary* type of need (as the school census counts it);
- sex: the child's recorded sex;
- year, school_class, setting: of the enrolment current on the date.
"""

from typing import Any

from django.db.models import Q

WITH_SEN = "with_sen"
SEN = ("K", "E")
CHILD = {"sen_provision": "sen_provision", "need": "primary_need", "sex": "sex"}
ENROLMENT = {
    "year": ("y.code", "year_group__code"),
    "school_class": ("e.school_class_id", "school_class_id"),
    "setting": ("e.setting_id", "setting_id"),
}


def _given(filters: Any, name: str) -> Any:
    value = getattr(filters, name, None)
    return None if value in (None, "") else value


def sql(filters: Any) -> tuple[list[str], list[object], bool]:
    """WHERE conditions over child c, enrolment e and year group y; their parameters; and
    whether the year group must be joined."""
    where: list[str] = []
    params: list[object] = []
    for name, column in CHILD.items():
        value = _given(filters, name)
        if value is None:
            continue
        if name == "sen_provision" and value == WITH_SEN:
            where.append(f"c.{column} IN (%s, %s)")
            params.extend(SEN)
        else:
            where.append(f"c.{column} = %s")
            params.append(value)
    for name, (column, _) in ENROLMENT.items():
        value = _given(filters, name)
        if value is not None:
            where.append(f"{column} = %s")
            params.append(value)
    return where, params, _given(filters, "year") is not None


def child_q(filters: Any) -> Q:
    q = Q()
    for name, field in CHILD.items():
        value = _given(filters, name)
        if value is None:
            continue
        if name == "sen_provision" and value == WITH_SEN:
            q &= Q(**{f"{field}__in": SEN})
        else:
            q &= Q(**{field: value})
    return q


def enrolment_q(filters: Any) -> Q:
    q = Q()
    for name, (_, lookup) in ENROLMENT.items():
        value = _given(filters, name)
        if value is not None:
            q &= Q(**{lookup: value})
    return q
