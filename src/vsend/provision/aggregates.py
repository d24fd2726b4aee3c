"""Setting-level provision aggregates: pure functions of (setting, term) returning rows.

Each reads only the cost ledger and the profiles, with a fixed number of GROUP BY queries, so
none grows with the number of children. They are written to be registered with the stored
per-setting aggregates (provision/stored.py, ADR 25); the setting's own pages call them
directly. The `*_by_setting` forms answer the same question for every setting of an
authority in one query (the rows a stored aggregate would hold, keyed by setting).
"""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import Count, QuerySet, Sum

from vsend.insights.terms import Term, previous_term
from vsend.organisations.models import Setting
from vsend.profiles.models import DomainRating, Profile
from vsend.provision.models import PlaceTermCost

ZERO = Decimal(0)
TABLE = PlaceTermCost._meta.db_table
PROFILE = Profile._meta.db_table
RATING = DomainRating._meta.db_table
SETTING = Setting._meta.db_table


@dataclass(frozen=True)
class AreaSpend:
    area: str
    children: int
    hours: Decimal
    cost: Decimal


@dataclass(frozen=True)
class RoleSpend:
    role_id: int | None
    hours: Decimal
    cost: Decimal


@dataclass(frozen=True)
class ProvisionSpend:
    provision_id: int
    children: int
    planned: Decimal
    missed: Decimal
    hours: Decimal
    cost: Decimal


@dataclass(frozen=True)
class AreaChange:
    area: str
    compared: int
    fell: int
    same: int
    rose: int
    total_change: int


def _ledger(setting_id: int, terms: list[Term]) -> QuerySet[PlaceTermCost]:
    return PlaceTermCost.objects.filter(
        setting_id=setting_id, term_starts__in=[t.starts for t in terms]
    )


def _d(value: object) -> Decimal:
    return Decimal(str(value)) if value is not None else ZERO


def _by_term(terms: list[Term], rows: Iterable[Any], make: Any) -> dict[Term, list[Any]]:
    index = {t.starts: t for t in terms}
    out: dict[Term, list[Any]] = {t: [] for t in terms}
    for r in rows:
        out[index[r["term_starts"]]].append(make(r))
    return out


def spend_by_area_terms(setting_id: int, terms: list[Term]) -> dict[Term, list[AreaSpend]]:
    rows = (
        _ledger(setting_id, terms)
        .values("term_starts", "area")
        .annotate(children=Count("child", distinct=True), hours=Sum("hours"), cost=Sum("cost"))
        .order_by("term_starts", "area")
    )
    return _by_term(
        terms, rows, lambda r: AreaSpend(r["area"], r["children"], _d(r["hours"]), _d(r["cost"]))
    )


def spend_by_staff_role_terms(setting_id: int, terms: list[Term]) -> dict[Term, list[RoleSpend]]:
    rows = (
        _ledger(setting_id, terms)
        .values("term_starts", "staff_role")
        .annotate(hours=Sum("hours"), cost=Sum("cost"))
        .order_by("term_starts", "staff_role")
    )
    return _by_term(
        terms, rows, lambda r: RoleSpend(r["staff_role"], _d(r["hours"]), _d(r["cost"]))
    )


def spend_by_provision_terms(
    setting_id: int, terms: list[Term]
) -> dict[Term, list[ProvisionSpend]]:
    rows = (
        _ledger(setting_id, terms)
        .values("term_starts", "provision")
        .annotate(
            children=Count("child", distinct=True),
            planned=Sum("planned_sessions"),
            missed=Sum("missed_sessions"),
            hours=Sum("hours"),
            cost=Sum("cost"),
        )
        .order_by("term_starts", "provision")
    )
    return _by_term(
        terms,
        rows,
        lambda r: ProvisionSpend(
            r["provision"],
            r["children"],
            _d(r["planned"]),
            _d(r["missed"]),
            _d(r["hours"]),
            _d(r["cost"]),
        ),
    )


# The pure functions of (setting, term), for the stored per-setting per-term aggregates.


def spend_by_area(setting_id: int, term: Term) -> list[AreaSpend]:
    return spend_by_area_terms(setting_id, [term])[term]


def spend_by_staff_role(setting_id: int, term: Term) -> list[RoleSpend]:
    return spend_by_staff_role_terms(setting_id, [term])[term]


def spend_by_provision(setting_id: int, term: Term) -> list[ProvisionSpend]:
    return spend_by_provision_terms(setting_id, [term])[term]


def children_with_provision(setting_id: int, term: Term) -> int:
    return _ledger(setting_id, [term]).values("child").distinct().count()


def children_by_setting(setting_ids: Iterable[int], term: Term) -> dict[int, int]:
    """children_with_provision for many settings, in one query."""
    rows = (
        PlaceTermCost.objects.filter(setting_id__in=list(setting_ids), term_starts=term.starts)
        .values("setting")
        .annotate(n=Count("child", distinct=True))
        .order_by()
    )
    return {r["setting"]: r["n"] for r in rows}


def spend_by_setting_area(setting_ids: Iterable[int], term: Term) -> dict[int, list[AreaSpend]]:
    """spend_by_area for many settings, in one query."""
    out: dict[int, list[AreaSpend]] = {}
    rows = (
        PlaceTermCost.objects.filter(setting_id__in=list(setting_ids), term_starts=term.starts)
        .values("setting", "area")
        .annotate(children=Count("child", distinct=True), hours=Sum("hours"), cost=Sum("cost"))
        .order_by("setting", "area")
    )
    for r in rows:
        out.setdefault(r["setting"], []).append(
            AreaSpend(r["area"], r["children"], _d(r["hours"]), _d(r["cost"]))
        )
    return out


def spend_by_provision_name(
    setting_ids: Iterable[int], term: Term
) -> list[tuple[str, int, Decimal]]:
    """The provisions most used across settings, by name: (name, children, cost)."""
    rows = (
        PlaceTermCost.objects.filter(setting_id__in=list(setting_ids), term_starts=term.starts)
        .values("provision__name")
        .annotate(children=Count("child", distinct=True), cost=Sum("cost"))
        .order_by("-children", "provision__name")
    )
    return [(r["provision__name"], r["children"], _d(r["cost"])) for r in rows]


# Table names come from the models; every value is a parameter.
CHANGE_SQL = f"""
SELECT l.setting_id, r.domain, COUNT(*),
  SUM(CASE WHEN r.need_level < rq.need_level THEN 1 ELSE 0 END),
  SUM(CASE WHEN r.need_level = rq.need_level THEN 1 ELSE 0 END),
  SUM(CASE WHEN r.need_level > rq.need_level THEN 1 ELSE 0 END),
  SUM(r.need_level - rq.need_level)
FROM (SELECT DISTINCT t0.setting_id, t0.child_id FROM {TABLE} t0
      WHERE t0.term_starts = %s AND t0.setting_id IN ({{marks}}) {{duplicates}}) l
JOIN {PROFILE} p ON p.child_id = l.child_id AND p.status = 'finalised'
  AND p.assessment_date <= %s AND (p.superseded_on IS NULL OR p.superseded_on > %s)
JOIN {RATING} r ON r.profile_id = p.id
JOIN {PROFILE} q ON q.child_id = l.child_id AND q.status = 'finalised'
  AND q.assessment_date <= %s AND (q.superseded_on IS NULL OR q.superseded_on > %s)
JOIN {RATING} rq ON rq.profile_id = q.id AND rq.domain = r.domain
WHERE q.id <> p.id AND r.need_level IS NOT NULL AND rq.need_level IS NOT NULL
GROUP BY l.setting_id, r.domain
"""  # noqa: S608
# Only the children who also had provision at a lower-numbered setting of the authority that
# term: those a sum of settings counts elsewhere (provision.stored).
DUPLICATES_SQL = f"""AND EXISTS (SELECT 1 FROM {TABLE} o JOIN {SETTING} os ON os.id = o.setting_id
  WHERE o.child_id = t0.child_id AND o.term_starts = t0.term_starts
  AND o.setting_id < t0.setting_id AND os.authority_id = %s)"""  # noqa: S608


def change_by_setting_area(
    setting_ids: Iterable[int], term: Term, duplicates_of: int | None = None
) -> dict[int, list[AreaChange]]:
    """Change in need over the term (the picture at its end against the one at the end of the
    term before) for the children who had provision in it, per setting and area; children not
    reassessed in the term are not compared. With `duplicates_of` (an authority), only the
    children counted at another setting of it."""
    ids = list(setting_ids)
    out: dict[int, list[AreaChange]] = {}
    if not ids:
        return out
    before = previous_term(term).ends
    sql = CHANGE_SQL.replace("{marks}", ", ".join(["%s"] * len(ids))).replace(
        "{duplicates}", DUPLICATES_SQL if duplicates_of is not None else ""
    )
    extra = [duplicates_of] if duplicates_of is not None else []
    params: list[Any] = [term.starts, *ids, *extra, term.ends, term.ends, before, before]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for setting_id, area, n, fell, same, rose, total in cursor.fetchall():
            out.setdefault(setting_id, []).append(
                AreaChange(
                    area, int(n), int(fell or 0), int(same or 0), int(rose or 0), int(total or 0)
                )
            )
    return out


def need_change_with_provision(setting_id: int, term: Term) -> list[AreaChange]:
    return change_by_setting_area([setting_id], term).get(setting_id, [])
