"""Place planning for one authority: each designated school's places and roll by year group,
demand in the three priority funnels, nearest suitable schools and how many nearer ones each
child passes, and a forecast of places needed (forecast.py).

Set-based: eight queries whatever the number of children (designations, centroids twice, the
roll at designated schools, placement records, new EHC plans, where funnel children are now,
past rolls), then Python over those
small tables. Only children on roll at a designated school, with a placement record or with a
new plan naming a designated school are read, never the authority's whole register.

Funnels, each child counted once, first match wins (A before B before C):
- A: a new EHC plan (issued in the last 12 months, not ceased) naming a designated school the
  child is not yet on roll at; or a child awaiting a special place who is neither on home
  tuition nor placed out of authority (in mainstream, typically).
- B: placed out of authority; or on roll at a designated school that is not their nearest
  suitable one, because that nearer school is full (its roll is at or over its places).
- C: on home tuition while awaiting a place.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Count, Q

from vsend.children.census import SENProvision
from vsend.children.models import Enrolment, Registration
from vsend.children.selectors import counted_enrolments
from vsend.organisations.models import LocalAuthority
from vsend.places.geography import Ranker, School, clamp_year, year_from_birth
from vsend.places.models import Centroid, Designation, Placement
from vsend.statutory.models import EhcPlan

NEW_PLAN_DAYS = 365
HISTORY_YEARS = 3
FUNNELS = ("A", "B", "C")
NO_SCHOOL = 0  # demand with no suitable school found
NO_AREA = -1  # demand whose home area is not recorded


def academic_start(today: date) -> int:
    return today.year if today.month >= 9 else today.year - 1


@dataclass
class FunnelChild:
    child_id: int
    funnel: str
    reason: str
    target: int  # a school id, NO_SCHOOL or NO_AREA


@dataclass
class Plan:
    authority: LocalAuthority
    today: date
    schools: list[School]
    roll: dict[int, Counter[int]]  # school -> year position -> children
    past_rolls: dict[int, list[int]]  # school -> roll 1, 2, 3 years ago
    funnel: dict[int, FunnelChild] = field(default_factory=dict)  # child -> their funnel
    passes: Counter[int] = field(default_factory=Counter)  # nearer schools passed -> children
    passes_by_school: dict[int, Counter[int]] = field(default_factory=dict)
    unlocated: int = 0  # children on roll whose home area is not recorded

    def on_roll(self, school_id: int) -> int:
        return sum(self.roll.get(school_id, Counter()).values())

    def demand(self) -> dict[int, Counter[str]]:
        out: dict[int, Counter[str]] = defaultdict(Counter)
        for f in self.funnel.values():
            out[f.target][f.funnel] += 1
        return out


def _schools(authority: LocalAuthority) -> list[School]:
    rows = (
        Designation.objects.filter(setting__authority=authority)
        .select_related("setting")
        .order_by("setting__name", "setting_id")
    )
    return [
        School(
            id=d.setting_id,
            name=d.setting.name,
            easting=d.setting.easting,
            northing=d.setting.northing,
            all_needs=d.all_needs,
            needs=frozenset(d.need_codes),
            first_year=d.first_year,
            last_year=d.last_year,
            places=d.places,
            resourced=d.kind == Designation.Kind.RESOURCED,
        )
        for d in rows
    ]


def _year(position: int | None, born: date, start: int) -> int | None:
    if position is not None:
        return position
    return clamp_year(year_from_birth(born.year, born.month, born.day, start))


def compute(authority: LocalAuthority, today: date) -> Plan:
    start = academic_start(today)
    schools = _schools(authority)
    by_id = {s.id: s for s in schools}
    ids = list(by_id)
    areas = {
        c["id"]: (c["easting"], c["northing"])
        for c in Centroid.objects.filter(authority=authority).values("id", "easting", "northing")
    }
    locality_area = dict(
        Centroid.objects.filter(authority=authority, kind=Centroid.Kind.LOCALITY).values_list(
            "name", "id"
        )
    )
    ranker = Ranker(schools, areas)

    # The roll at designated schools: one row per child (a subsidiary registration does not
    # hold a place; the main one does). vsend does not record who is in a mainstream school's
    # resourced provision: it is taken as the school's children with an EHC plan whose primary
    # need and year the provision is designated for.
    roll: dict[int, Counter[int]] = {sid: Counter() for sid in ids}
    on_roll_at: dict[int, int] = {}
    roll_rows = (
        counted_enrolments(today)
        .filter(setting_id__in=ids)
        .values_list(
            "child_id",
            "setting_id",
            "year_group__position",
            "child__primary_need",
            "child__date_of_birth",
            "child__placement__home_area_id",
            "child__sen_provision",
        )
    )
    child_facts: dict[int, tuple[str, int | None, int | None]] = {}
    for child_id, setting_id, position, need, born, area, provision in roll_rows:
        year = _year(position, born, start)
        if by_id[setting_id].resourced and not (
            provision == SENProvision.EHC_PLAN and by_id[setting_id].covers(need, year)
        ):
            continue  # at the school, not in its resourced provision
        if year is not None:
            roll[setting_id][year] += 1
        on_roll_at[child_id] = setting_id
        child_facts[child_id] = (need, year, area)

    # Placement records that make a child part of the demand, and where they are now.
    placements = list(
        Placement.objects.filter(child__authority=authority)
        .filter(
            Q(awaiting_since__isnull=False)
            | Q(home_tuition_since__isnull=False)
            | Q(out_of_authority_since__isnull=False)
        )
        .values_list(
            "child_id",
            "awaiting_since",
            "home_tuition_since",
            "out_of_authority_since",
            "home_area_id",
            "child__primary_need",
            "child__date_of_birth",
        )
    )
    plans = list(
        EhcPlan.objects.filter(
            child__authority=authority,
            ceased_on__isnull=True,
            issued_on__gt=today - timedelta(days=NEW_PLAN_DAYS),
            issued_on__lte=today,
            named_setting_id__in=ids,
        ).values_list("child_id", "named_setting_id")
    )
    # Where funnel children not on a designated school's roll are: their current setting's
    # locality stands in for a home area not recorded, and gives their year group.
    elsewhere = {p[0] for p in placements}
    elsewhere -= set(on_roll_at)
    current: dict[int, tuple[int | None, str]] = {}
    if elsewhere:
        for child_id, position, locality in (
            counted_enrolments(today)
            .filter(child_id__in=elsewhere)
            .values_list("child_id", "year_group__position", "setting__locality__name")
        ):
            current[child_id] = (position, locality)

    def facts(
        child_id: int, need: str, born: date, area: int | None
    ) -> tuple[str, int | None, int | None]:
        if child_id in child_facts:
            return child_facts[child_id]
        position, locality = current.get(child_id, (None, ""))
        return need, _year(position, born, start), area or locality_area.get(locality)

    def target(child_id: int, need: str, year: int | None, area: int | None) -> int:
        if area is None:
            return NO_AREA
        return ranker.nearest(area, need, year) or NO_SCHOOL

    plan = Plan(authority, today, schools, roll, _past_rolls(schools, today))
    # Funnel A: new plans naming a designated school the child is not on roll at...
    for child_id, named in plans:
        if on_roll_at.get(child_id) == named or child_id in plan.funnel:
            continue
        plan.funnel[child_id] = FunnelChild(child_id, "A", "new plan naming a special place", named)
    # ... and children awaiting a place, neither on home tuition nor out of authority.
    for child_id, awaiting, tuition, ooa, area, need, born in placements:
        if awaiting and not tuition and not ooa and child_id not in plan.funnel:
            n, year, a = facts(child_id, need, born, area)
            plan.funnel[child_id] = FunnelChild(
                child_id, "A", "awaiting a special place", target(child_id, n, year, a)
            )
    # Funnel B: out of authority...
    for child_id, _awaiting, _tuition, ooa, area, need, born in placements:
        if ooa and child_id not in plan.funnel:
            n, year, a = facts(child_id, need, born, area)
            plan.funnel[child_id] = FunnelChild(
                child_id, "B", "placed out of authority", target(child_id, n, year, a)
            )
    # ... and on roll past a full nearer school; and, for everyone on roll, schools passed.
    totals = {sid: plan.on_roll(sid) for sid in ids}
    for child_id, setting_id in on_roll_at.items():
        need, year_or_none, home = child_facts[child_id]
        if home is None or home not in areas or year_or_none is None:
            plan.unlocated += 1
            continue
        year, school = year_or_none, by_id[setting_id]
        passed, nearest = ranker.passing(home, need, year, school)
        plan.passes[passed] += 1
        plan.passes_by_school.setdefault(setting_id, Counter())[passed] += 1
        if (
            passed
            and nearest is not None
            and totals[nearest] >= by_id[nearest].places
            and child_id not in plan.funnel
        ):
            plan.funnel[child_id] = FunnelChild(child_id, "B", "past a full nearer school", nearest)
    # Funnel C: home tuition.
    for child_id, _awaiting, tuition, _ooa, area, need, born in placements:
        if tuition and child_id not in plan.funnel:
            n, year, a = facts(child_id, need, born, area)
            plan.funnel[child_id] = FunnelChild(
                child_id, "C", "on home tuition", target(child_id, n, year, a)
            )
    return plan


def _past_rolls(schools: list[School], today: date) -> dict[int, list[int]]:
    """Each school's roll on this day in each of the last three years, in one grouped query
    (for a resourced provision, the school's children with a plan and a need it is for)."""
    ids = [s.id for s in schools]
    which = Q(setting_id__in=[s.id for s in schools if not s.resourced])
    for s in schools:
        if s.resourced:
            need = Q() if s.all_needs else Q(child__primary_need__in=sorted(s.needs))
            which |= Q(setting_id=s.id, child__sen_provision=SENProvision.EHC_PLAN) & need
    day = (today.month, min(today.day, 28) if today.month == 2 else today.day)
    days = [date(today.year - k, *day) for k in range(1, HISTORY_YEARS + 1)]

    def on(day: date) -> Q:
        return Q(started_on__lte=day) & (Q(ended_on__isnull=True) | Q(ended_on__gte=day))

    rows = (
        Enrolment.objects.filter(which)
        .exclude(registration=Registration.SUBSIDIARY)
        .values("setting_id")
        .annotate(**{f"y{k}": Count("id", filter=on(day)) for k, day in enumerate(days, 1)})
    )
    out = {sid: [0] * HISTORY_YEARS for sid in ids}
    for r in rows:
        counts: dict[str, int] = r  # type: ignore[assignment]
        out[counts["setting_id"]] = [counts[f"y{k}"] for k in range(1, HISTORY_YEARS + 1)]
    return out
