"""A child's costed provision map over three terms, and a setting's provision map."""

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, Q, Sum
from django.utils import timezone

from vsend.children.models import Enrolment
from vsend.frameworks.loader import DOMAIN_KEYS
from vsend.insights.queries import SIGNIFICANT
from vsend.insights.terms import Term, previous_term, term_containing
from vsend.profiles.models import DomainRating
from vsend.provision import aggregates
from vsend.provision.costs import terms_between
from vsend.provision.models import PlaceTermCost, Provision, SenBudget, StaffRole

ZERO = Decimal(0)
PENNY = Decimal("0.01")
TENTH = Decimal("0.1")


def money(value: Decimal) -> Decimal:
    return value.quantize(PENNY, rounding=ROUND_HALF_UP)


def tenth(value: Decimal) -> Decimal:
    return value.quantize(TENTH, rounding=ROUND_HALF_UP)


def next_term(t: Term) -> Term:
    return term_containing(t.ends + timedelta(days=1))


def three_terms(middle: Term | None = None) -> list[Term]:
    """Previous, current and next (or around the term given)."""
    current = middle or term_containing(timezone.localdate())
    return [previous_term(current), current, next_term(current)]


def domain_names() -> dict[str, str]:
    from vsend.insights.dashboards import domain_names as names

    return {**names(), "unassigned": "No area given"}


@dataclass
class Cell:
    planned: Decimal = ZERO
    missed: Decimal = ZERO
    hours: Decimal = ZERO
    cost: Decimal = ZERO

    @property
    def received(self) -> Decimal:
        return self.planned - self.missed


@dataclass
class MapRow:
    place_id: int
    provision: str
    group: str
    kind: str
    staff_role: str
    areas: list[str]
    cells: list[Cell]
    total: Cell = field(default_factory=Cell)


@dataclass
class ChildMap:
    terms: list[Term]
    rows: list[MapRow]
    totals: list[Cell]
    total: Cell


def child_map(child_id: int, terms: list[Term]) -> ChildMap:
    """Every place the child had in the terms, with sessions, hours and cost per term. One
    query on the ledger (its rows are already shared by group size and pro-rated)."""
    index = {t.starts: i for i, t in enumerate(terms)}
    ledger = (
        PlaceTermCost.objects.filter(child_id=child_id, term_starts__in=list(index))
        .values(
            "place",
            "term_starts",
            "provision__name",
            "provision__kind",
            "provision__areas",
            "place__group__name",
            "staff_role__name",
            "provision__provider",
        )
        .annotate(
            planned=Sum("planned_sessions"),
            missed=Sum("missed_sessions"),
            hours=Sum("hours"),
            cost=Sum("cost"),
        )
        .order_by("provision__name", "place")
    )
    rows: dict[int, MapRow] = {}
    totals = [Cell() for _ in terms]
    total = Cell()
    for r in ledger:
        row = rows.get(r["place"])
        if row is None:
            row = rows[r["place"]] = MapRow(
                r["place"],
                r["provision__name"],
                r["place__group__name"],
                r["provision__kind"],
                r["staff_role__name"] or r["provision__provider"] or "",
                list(r["provision__areas"] or []),
                [Cell() for _ in terms],
            )
        cell = row.cells[index[r["term_starts"]]]
        for target in (cell, row.total, totals[index[r["term_starts"]]], total):
            target.planned += aggregates._d(r["planned"])
            target.missed += aggregates._d(r["missed"])
            target.hours += aggregates._d(r["hours"])
            target.cost += aggregates._d(r["cost"])
    return ChildMap(terms, list(rows.values()), totals, total)


# The setting's map


@dataclass
class SettingMap:
    terms: list[Term]
    by_provision: list[dict[str, Any]]
    by_area: list[dict[str, Any]]
    by_role: list[dict[str, Any]]
    totals: list[Decimal]
    need: dict[str, tuple[int, int]]  # area: (children profiled, at significant need)
    budget: SenBudget | None
    budget_year: int
    year_spend: Decimal
    children: list[int]


def academic_year(t: Term) -> int:
    return t.year if t.season == "autumn" else t.year - 1


def need_by_area(setting_id: int, as_at: date) -> dict[str, tuple[int, int]]:
    """Children enrolled at the setting at a date, by area: profiled, at significant need."""
    enrolled = Enrolment.objects.current(as_at).filter(setting_id=setting_id).values("child_id")
    rows = (
        DomainRating.objects.filter(
            profile__child_id__in=enrolled,
            profile__status="finalised",
            profile__assessment_date__lte=as_at,
            need_level__isnull=False,
        )
        .filter(Q(profile__superseded_on__isnull=True) | Q(profile__superseded_on__gt=as_at))
        .values("domain")
        .annotate(n=Count("id"), sig=Count("id", filter=Q(need_level__gte=SIGNIFICANT)))
    )
    return {r["domain"]: (r["n"], r["sig"]) for r in rows}


def setting_map(setting_id: int, terms: list[Term]) -> SettingMap:
    provisions = {p.pk: p for p in Provision.objects.filter(setting_id=setting_id)}
    roles = {r.pk: r.name for r in StaffRole.objects.filter(setting_id=setting_id)}
    by_provision: dict[int, dict[str, Any]] = {}
    by_area: dict[str, dict[str, Any]] = {
        k: {"area": k, "cells": [Cell() for _ in terms], "children": [0] * len(terms)}
        for k in DOMAIN_KEYS
    }
    by_role: dict[int | None, dict[str, Any]] = {}
    totals = [ZERO for _ in terms]
    provision_spend = aggregates.spend_by_provision_terms(setting_id, terms)
    area_spend = aggregates.spend_by_area_terms(setting_id, terms)
    role_spend = aggregates.spend_by_staff_role_terms(setting_id, terms)
    for i, term in enumerate(terms):
        for ps in provision_spend[term]:
            p = provisions.get(ps.provision_id)
            row = by_provision.setdefault(
                ps.provision_id,
                {
                    "provision": p,
                    "cells": [Cell() for _ in terms],
                    "children": [0] * len(terms),
                },
            )
            row["cells"][i] = Cell(ps.planned, ps.missed, ps.hours, ps.cost)
            row["children"][i] = ps.children
            totals[i] += ps.cost
        for a in area_spend[term]:
            arow = by_area.setdefault(
                a.area,
                {"area": a.area, "cells": [Cell() for _ in terms], "children": [0] * len(terms)},
            )
            arow["cells"][i] = Cell(hours=a.hours, cost=a.cost)
            arow["children"][i] = a.children
        for rs in role_spend[term]:
            rrow = by_role.setdefault(
                rs.role_id,
                {
                    "role": roles.get(rs.role_id or 0, "External or no staff role"),
                    "cells": [Cell() for _ in terms],
                },
            )
            rrow["cells"][i] = Cell(hours=rs.hours, cost=rs.cost)
    current = terms[len(terms) // 2]
    year = academic_year(current)
    budget = SenBudget.objects.filter(setting_id=setting_id, year=year).first()
    year_terms = terms_between(date(year, 9, 1), date(year + 1, 8, 31))
    year_spend = aggregates._d(
        PlaceTermCost.objects.filter(
            setting_id=setting_id, term_starts__in=[t.starts for t in year_terms]
        ).aggregate(s=Sum("cost"))["s"]
    )
    return SettingMap(
        terms,
        sorted(by_provision.values(), key=lambda r: r["provision"].name if r["provision"] else ""),
        list(by_area.values()),
        sorted(by_role.values(), key=lambda r: r["role"]),
        totals,
        need_by_area(setting_id, min(current.ends, timezone.localdate())),
        budget,
        year,
        year_spend,
        [],
    )
