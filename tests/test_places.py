"""Place planning on a hand-made authority: funnels (each child once), nearest suitable school
and the nearer schools each child passes, and the forecast."""

from collections import Counter
from datetime import date

import pytest

from vsend.children.models import Child, Enrolment, Registration
from vsend.organisations.models import Setting
from vsend.places import forecast as fc
from vsend.places.geography import School, year_from_birth
from vsend.places.models import Centroid, Designation, Placement
from vsend.places.planning import NO_AREA, compute
from vsend.places.tables import build
from vsend.statutory.models import EhcPlan

TODAY = date(2026, 11, 30)
Y3 = date(2019, 1, 15)  # Year 3 (position 5) in 2026 to 2027
Y8 = date(2014, 1, 15)  # Year 8 (position 10)
Y12 = date(2010, 1, 15)  # Year 12 (position 14)


def school(world, name, urn, east, *, needs="", places, first=2, last=8):
    s = Setting.objects.create(
        authority=world.authority,
        locality=world.setting.locality,
        name=name,
        urn=urn,
        setting_type="special",
        easting=east,
        northing=300000,
    )
    Designation.objects.create(
        setting=s, all_needs=not needs, needs=needs, places=places, first_year=first, last_year=last
    )
    return s


def kid(world, name, born, need, *, at=None, started=date(2026, 9, 1), area=None, **placement):
    c = Child.objects.create(
        authority=world.authority,
        first_name=name,
        last_name="Place",
        date_of_birth=born,
        sex="M",
        sen_provision="E",
        primary_need=need,
    )
    if at is not None:
        Enrolment.objects.create(child=c, setting=at, started_on=started)
    if area is not None or placement:
        Placement.objects.create(child=c, home_area=area, **placement)
    return c


def plan_for(c, setting, issued=date(2026, 10, 1)):
    EhcPlan.objects.create(child=c, issued_on=issued, start_date=issued, named_setting=setting)


@pytest.fixture
def places(world):
    a = world.authority
    d1 = Centroid.objects.create(
        authority=a, kind="district", name="D1", easting=500000, northing=300000
    )
    d2 = Centroid.objects.create(
        authority=a, kind="district", name="D2", easting=510000, northing=300000
    )
    d3 = Centroid.objects.create(
        authority=a, kind="district", name="D3", easting=530000, northing=300000
    )
    Centroid.objects.create(
        authority=a, kind="locality", name="North", easting=500000, northing=300000
    )
    near = school(world, "Near School", "200001", 501000, places=2)
    mid = school(world, "Mid School", "200002", 505000, needs="ASD,SLCN", places=10)
    far = school(world, "Far School", "200003", 520000, places=20, last=15)
    sec = school(world, "Secondary Special", "200004", 502000, places=5, first=9, last=15)
    k = {}
    k["c1"] = kid(world, "c1", Y3, "ASD", at=near, area=d1)
    k["c2"] = kid(world, "c2", Y3, "ASD", at=near, area=d1)
    k["c3"] = kid(world, "c3", Y3, "ASD", at=mid, area=d1)
    k["c4"] = kid(world, "c4", Y3, "ASD", at=far, area=d1, started=date(2025, 1, 1))
    k["c5"] = kid(world, "c5", Y3, "SEMH", at=far, area=d1, started=date(2023, 9, 1))
    k["c6"] = kid(world, "c6", Y3, "MLD", at=far)  # home area not recorded
    k["c7"] = kid(world, "c7", Y8, "ASD", at=sec, area=d3)
    # Dual registered: main at a mainstream school, subsidiary at Mid (holds no special place).
    k["c8"] = kid(world, "c8", Y3, "ASD", at=world.setting, area=d1)
    Enrolment.objects.create(
        child=k["c8"],
        setting=mid,
        started_on=date(2026, 9, 1),
        registration=Registration.SUBSIDIARY,
    )
    k["c8"].enrolments.filter(setting=world.setting).update(registration=Registration.MAIN)
    # Funnel children.
    k["p1"] = kid(world, "p1", Y3, "ASD", at=world.setting, awaiting_since=date(2026, 6, 1))
    plan_for(k["p1"], mid)
    k["p2"] = kid(world, "p2", Y3, "SLCN", at=world.setting, awaiting_since=date(2026, 5, 1))
    k["p3"] = kid(
        world,
        "p3",
        Y3,
        "ASD",
        area=d2,
        awaiting_since=date(2026, 1, 1),
        home_tuition_since=date(2026, 2, 1),
    )
    k["p4"] = kid(
        world,
        "p4",
        Y3,
        "ASD",
        area=d1,
        awaiting_since=date(2025, 1, 1),
        out_of_authority_since=date(2025, 2, 1),
        out_of_authority_provider="Elsewhere",
    )
    k["p5"] = kid(
        world,
        "p5",
        Y3,
        "ASD",
        area=d1,
        out_of_authority_since=date(2025, 2, 1),
        out_of_authority_provider="Elsewhere",
    )
    plan_for(k["p5"], far)
    plan_for(k["c1"], near)  # already on roll at the school the plan names: not demand
    k["p7"] = kid(world, "p7", Y3, "ASD", at=world.setting)
    plan_for(k["p7"], mid, issued=date(2024, 10, 1))  # not new
    k["p8"] = kid(
        world,
        "p8",
        Y12,
        "PMLD",
        area=d1,
        awaiting_since=date(2026, 1, 1),
        home_tuition_since=date(2026, 3, 1),
    )
    return {"near": near, "mid": mid, "far": far, "sec": sec, **k}


def test_roll_by_year_group_counts_each_child_once(places, world):
    plan = compute(world.authority, TODAY)
    assert plan.roll[places["near"].pk] == Counter({5: 2})
    assert plan.roll[places["mid"].pk] == Counter({5: 1})  # not the subsidiary registration
    assert plan.roll[places["far"].pk] == Counter({5: 3})
    assert plan.roll[places["sec"].pk] == Counter({10: 1})


def test_funnels_each_child_once_with_precedence(places, world):
    plan = compute(world.authority, TODAY)
    got = {c: (f.funnel, f.target) for c, f in plan.funnel.items()}
    p = {name: places[name].pk for name in places}
    near, mid, far, sec = p["near"], p["mid"], p["far"], p["sec"]
    assert got == {
        p["p1"]: ("A", mid),  # new plan naming Mid (and awaiting): counted once, in A
        p["p2"]: ("A", near),  # awaiting in mainstream; home area from the school's locality
        p["p5"]: ("A", far),  # out of authority, but a new plan names Far: A first
        p["c3"]: ("B", near),  # at Mid because Near, nearer, is full
        p["c4"]: ("B", near),
        p["c5"]: ("B", near),
        p["p4"]: ("B", near),  # out of authority (and awaiting): B
        p["p3"]: ("C", mid),  # home tuition; Mid is 5 km from D2, Near 9 km
        p["p8"]: ("C", sec),  # Year 12: Near and Mid do not take the year
    }
    assert Counter(f.funnel for f in plan.funnel.values()) == Counter(A=3, B=4, C=2)
    demand = plan.demand()
    assert sum(sum(c.values()) for c in demand.values()) == len(plan.funnel) == 9


def test_nearer_schools_passed(places, world):
    plan = compute(world.authority, TODAY)
    near, mid, far, sec = (places[n].pk for n in ("near", "mid", "far", "sec"))
    assert plan.passes_by_school[near] == Counter({0: 2})
    assert plan.passes_by_school[mid] == Counter({1: 1})  # c3 passes Near
    assert plan.passes_by_school[far] == Counter({2: 1, 1: 1})  # c4 passes Near and Mid; c5 Near
    assert plan.passes_by_school[sec] == Counter({1: 1})  # c7 from D3 passes Far
    assert plan.passes == Counter({0: 2, 1: 3, 2: 1})
    assert plan.unlocated == 1  # c6


def test_no_home_area_and_no_suitable_school(places, world):
    a = kid(world, "q1", Y3, "ASD", awaiting_since=date(2026, 1, 1))  # nowhere, no area
    d1 = Centroid.objects.get(name="D1")
    b = kid(world, "q2", date(2023, 1, 15), "ASD", area=d1, awaiting_since=date(2026, 1, 1))
    plan = compute(world.authority, TODAY)
    assert plan.funnel[a.pk].target == NO_AREA
    assert plan.funnel[b.pk].target == 0  # nursery age: no designated school takes the year


def test_past_rolls_and_forecast(places, world):
    plan = compute(world.authority, TODAY)
    far = places["far"].pk
    assert plan.past_rolls[far] == [2, 1, 1]
    by = {f.school.id: f for f in fc.forecast(plan)}
    assert by[far].growth == pytest.approx(0.2)  # 3 from 1 over 3 years, held to 20%
    assert by[far].waiting == 1 and by[far].needed[0] == 3 + 0 + 1
    near = by[places["near"].pk]
    assert near.growth == 0 and near.waiting == 5 and near.needed == [7, 7, 7, 5, 5]
    assert near.gaps[0] == 5


def test_roll_forward_and_growth_by_hand():
    s = School(1, "S", 0, 0, True, frozenset(), 2, 4, 10)
    roll = Counter({2: 3, 3: 6, 4: 9})
    assert fc.roll_forward(roll, s, 0.0, 4) == [15, 15, 18, 18]
    assert fc.roll_forward(roll, s, 0.1, 3) == [16, 17, 22]
    assert fc.growth(121, [110, 100, 0]) == pytest.approx(0.1)
    assert fc.growth(100, [0, 0, 0]) == 0
    assert fc.growth(300, [100, 0, 0]) == pytest.approx(0.2)
    assert fc.growth(10, [100, 0, 0]) == pytest.approx(-0.2)


def test_year_from_birth():
    assert year_from_birth(2021, 9, 1, 2026) == 2  # Reception
    assert year_from_birth(2022, 8, 31, 2026) == 2
    assert year_from_birth(2019, 1, 15, 2026) == 5  # Year 3


def test_officers_see_suppressed_counts(places, world):
    plan = compute(world.authority, TODAY)
    exact = {t.key: t for t in build(plan, True).tables}
    safe = {t.key: t for t in build(plan, False).tables}
    near = next(r for r in exact["places_by_school"].rows if r[0] == "Near School")
    assert near == ["Near School", "All needs", "Reception to Year 6", 2, 2, 0]
    near = next(r for r in safe["places_by_school"].rows if r[0] == "Near School")
    assert near == ["Near School", "All needs", "Reception to Year 6", 2, "1 to 7"]
    assert safe["funnels"].rows[-1] == ["All funnels", "1 to 7", "1 to 7", "1 to 7", 10]
    seats = {"Places", "Places now", "Gap", "Designation", "Years"}
    for t in safe.values():
        for row in t.rows:
            for column, v in zip(t.columns[1:], row[1:], strict=True):
                if column not in seats:
                    assert v == "1 to 7" or (isinstance(v, int) and v % 5 == 0), (t.key, row)


def test_resourced_provision_counts_children_with_plans_for_its_needs(places, world):
    Designation.objects.create(
        setting=world.setting, kind="resourced", needs="ASD", places=6, first_year=2, last_year=8
    )
    plan = compute(world.authority, TODAY)
    # c8, p1 and p7 have plans and autism; p2 (speech and language) and Amelia (SEN support)
    # are at the school but not in its resourced provision.
    assert plan.on_roll(world.setting.pk) == 3
