"""The place-planning tables, exact for those who may see the children (the authority's
administrators) and through disclosure control for LA officers (insights.suppression, ADR 11):
every count of children is published on its own rule; places, which count seats rather than
children, are shown as they are."""

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from vsend.insights import suppression
from vsend.insights.tables import Table
from vsend.places.forecast import HORIZON, forecast, year_labels
from vsend.places.geography import YEAR_CODES, YEAR_NAMES, School
from vsend.places.planning import FUNNELS, NO_AREA, NO_SCHOOL, Plan

FUNNEL_NAMES = {
    "A": "A: new plans and children in mainstream awaiting a place",
    "B": "B: out of authority, or past a full nearer school",
    "C": "C: home tuition awaiting a place",
}


@dataclass
class PlaceTables:
    plan: Plan
    identifiable: bool
    tables: list[Table] = field(default_factory=list)

    @property
    def note(self) -> str:
        return "" if self.identifiable else suppression.NOTE


def designation_text(school: School) -> str:
    return "All needs" if school.all_needs else ", ".join(sorted(school.needs))


def years_text(school: School) -> str:
    return (
        f"{YEAR_NAMES[YEAR_CODES[school.first_year]]} to {YEAR_NAMES[YEAR_CODES[school.last_year]]}"
    )


def build(plan: Plan, identifiable: bool) -> PlaceTables:
    def n(value: int) -> int | str:
        return value if identifiable else suppression.count(value)

    out = PlaceTables(plan, identifiable)
    schools = plan.schools
    total_places = sum(s.places for s in schools)
    total_roll = sum(plan.on_roll(s.id) for s in schools)
    places_cols = ["School", "Designation", "Years", "Places", "On roll"]
    rows: list[list[Any]] = []
    for s in schools:
        row: list[Any] = [
            s.name,
            designation_text(s),
            years_text(s),
            s.places,
            n(plan.on_roll(s.id)),
        ]
        if identifiable:
            row.append(s.places - plan.on_roll(s.id))
        rows.append(row)
    total: list[Any] = ["All designated schools", "", "", total_places, n(total_roll)]
    if identifiable:
        total.append(total_places - total_roll)
    rows.append(total)
    out.tables.append(
        Table(
            "places_by_school",
            "Places and roll at each special school and resourced provision",
            places_cols + (["Free places"] if identifiable else []),
            rows,
            "On roll counts each child once, at the school of their main registration.",
        )
    )

    years = range(
        min((s.first_year for s in schools), default=2),
        max((s.last_year for s in schools), default=2) + 1,
    )
    out.tables.append(
        Table(
            "roll_by_year",
            "Roll by year group",
            ["School", *[YEAR_NAMES[YEAR_CODES[y]] for y in years]],
            [
                [s.name, *[n(plan.roll.get(s.id, Counter()).get(y, 0)) for y in years]]
                for s in schools
            ],
        )
    )

    demand = plan.demand()
    targets: list[tuple[str, int]] = [(s.name, s.id) for s in schools]
    targets += [("No suitable school found", NO_SCHOOL), ("Home area not recorded", NO_AREA)]
    funnel_rows = []
    for name, key in targets:
        c = demand.get(key, Counter())
        funnel_rows.append([name, *[n(c[f]) for f in FUNNELS], n(sum(c.values()))])
    every = Counter(f.funnel for f in plan.funnel.values())
    funnel_rows.append(["All funnels", *[n(every[f]) for f in FUNNELS], n(len(plan.funnel))])
    out.tables.append(
        Table(
            "funnels",
            "Demand in the priority funnels, by the school each child needs",
            ["School", *[FUNNEL_NAMES[f] for f in FUNNELS], "Children"],
            funnel_rows,
            "Each child is counted once, in the first funnel that applies (A, then B, then C), "
            "at the school named in their new plan or otherwise their nearest suitable school.",
            chart="bars",
        )
    )

    bands = ["no nearer school", "1 nearer school", "2 nearer schools", "3 or more"]

    def banded(c: Counter[int]) -> list[int]:
        return [c[0], c[1], c[2], sum(v for k, v in c.items() if k >= 3)]

    passes_rows = [
        [s.name, *[n(v) for v in banded(plan.passes_by_school.get(s.id, Counter()))]]
        for s in schools
    ]
    passes_rows.append(["All designated schools", *[n(v) for v in banded(plan.passes)]])
    out.tables.append(
        Table(
            "travel_past",
            "Children travelling past nearer suitable schools",
            ["School attended", *[f"Passing {b}" for b in bands]],
            passes_rows,
            "Distances are straight lines from the middle of the child's home postcode district "
            "or locality. A suitable school is designated for the child's primary need and year "
            f"group. Children whose home area is not recorded: {n(plan.unlocated)}.",
        )
    )

    forecasts = forecast(plan)
    labels = year_labels(plan)
    f_rows: list[list[Any]] = []
    for f in forecasts:
        row = [f.school.name, f.school.places, *[n(v) for v in f.needed]]
        if identifiable:
            row.insert(2, f"{f.growth * 100:+.1f}%")
        f_rows.append(row)
    out.tables.append(
        Table(
            "forecast",
            f"Places needed over the next {HORIZON} years",
            ["School", "Places", *(["Recent growth"] if identifiable else []), *labels],
            f_rows,
        )
    )
    needed = [sum(f.needed[t] for f in forecasts) for t in range(HORIZON)]
    out.tables.append(
        Table(
            "forecast_total",
            "Places needed across the authority against places now",
            ["Academic year", "Places needed", "Places now", "Gap"],
            [
                [label, n(v), total_places, _gap(n(v), total_places)]
                for label, v in zip(labels, needed, strict=True)
            ],
            "A positive gap is the number of places short.",
            chart="bars",
        )
    )
    return out


def _gap(needed: int | str, places: int) -> int | str:
    """Places needed minus places: from the published count, so it tells no more than it."""
    return needed - places if isinstance(needed, int) else ""
