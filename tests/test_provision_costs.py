"""The cost arithmetic on a hand-made set, against figures worked out by hand.

Terms (insights.terms): autumn 2026 is 1 September to 31 December (122 days, 14 teaching
weeks), spring 2027 is 1 January to 31 March (90 days, 12 weeks), summer 2027 is 1 April to
31 August (153 days, 13 weeks). A teaching assistant costs 18.00 an hour.
"""

from datetime import date
from decimal import Decimal

import pytest

from tests.conftest import _child
from vsend.audit.models import AuditEvent
from vsend.audit.services import Actor
from vsend.insights.terms import parse_term
from vsend.provision import costs, services
from vsend.provision.maps import child_map, money, tenth
from vsend.provision.models import PlaceTermCost, Provision, StaffRole

AUTUMN, SPRING, SUMMER = (parse_term(s) for s in ("autumn-2026", "spring-2027", "summer-2027"))
D = Decimal


def test_terms_the_arithmetic_relies_on():
    assert costs.term_days(AUTUMN) == 122 and costs.term_days(SPRING) == 90
    assert costs.TEACHING_WEEKS == {"autumn": 14, "spring": 12, "summer": 13}


def test_a_group_session_is_shared_by_the_children_in_it():
    rate = costs.Rate("staff_hour", D(2), 30, hourly=D(18))
    spans = [costs.Span(k, date(2026, 9, 1), date(2026, 12, 31)) for k in range(4)]
    tf = costs.term_figures(rate, spans, [], AUTUMN, date(2026, 9, 1))
    for f in tf.places.values():
        assert f.planned == 28  # 2 a week for 14 weeks
        assert f.cost == D(63)  # 28 sessions x 9.00 / 4 children
        assert f.hours(30) == 14


def test_the_group_shrinks_and_grows_within_a_term():
    rate = costs.Rate("session", D(1), 60, cost=D(18))
    spans = [
        costs.Span(1, date(2027, 1, 1), date(2027, 3, 31)),
        costs.Span(2, date(2027, 1, 31), date(2027, 3, 31)),  # the last 60 of 90 days
    ]
    tf = costs.term_figures(rate, spans, [], SPRING, date(2027, 1, 1))
    assert tf.places[1].planned == 12 and tf.places[2].planned == 8
    assert money(tf.places[1].cost) == D("144.00")  # 4 x 18 alone + 8 x 18 / 2
    assert money(tf.places[2].cost) == D("72.00")
    assert tf.places[1].cost + tf.places[2].cost == 12 * D(18)  # shares add up to the group


def test_missed_sessions_come_off_at_that_days_share():
    rate = costs.Rate("session", D(1), 60, cost=D(18))
    spans = [
        costs.Span(1, date(2027, 1, 1), date(2027, 3, 31)),
        costs.Span(2, date(2027, 1, 31), date(2027, 3, 31)),
    ]
    misses = [
        costs.Miss(date(2027, 1, 10)),
        costs.Miss(date(2027, 2, 10)),
        costs.Miss(date(2027, 3, 3), 2),
    ]
    tf = costs.term_figures(rate, spans, misses, SPRING, date(2027, 1, 1))
    one, two = tf.places[1], tf.places[2]
    assert (one.missed, two.missed) == (2, 2)
    assert money(one.cost) == D("117.00")  # 144 - 18 (alone) - 9 (shared)
    assert money(two.cost) == D("54.00")  # 72 - 9 - 9
    assert one.received() == 10 and two.received() == 6


def test_per_term_and_one_off_costs():
    term_rate = costs.Rate("term", D(1), 60, cost=D(300))
    tf = costs.term_figures(
        term_rate,
        [costs.Span(1, date(2026, 9, 1), date(2026, 10, 31))],
        [],
        AUTUMN,
        date(2026, 9, 1),
    )
    assert money(tf.places[1].cost) == D("150.00")  # 61 of 122 days
    assert tenth(tf.places[1].planned) == D("7.0")
    fixed = costs.Rate("fixed", D(0), 5, cost=D(60))
    spans = [costs.Span(k, date(2026, 9, 1), date(2027, 3, 31)) for k in (1, 2)]
    per_term = costs.group_figures(fixed, spans, [], date(2026, 9, 1), date(2027, 3, 31))
    assert [money(t.places[1].cost) for t in per_term] == [D("30.00"), D("0.00")]


@pytest.fixture
def hand_made(world):
    """Groups at setting A1, through the services, as a SENDCo would make them."""
    actor = Actor(user=world.users["sendco"])
    s = world.setting
    kids = {
        n: _child(world.authority, s, n, date(2018, 1, 1))
        for n in ("Ada", "Ben", "Cal", "Dee", "Eve", "Fin")
    }
    ta = StaffRole.objects.create(setting=s, name="Teaching assistant", hourly_cost=D("18.00"))
    talk = services.save_provision(
        actor=actor,
        setting=s,
        data={
            "name": "Talk group",
            "areas": ["communication_interaction"],
            "kind": "group",
            "staff_role": ta,
            "sessions_per_week": D(2),
            "session_minutes": 30,
            "cost_basis": "staff_hour",
        },
    )
    a = services.start_group(
        actor=actor,
        provision=talk,
        name="Talk group A",
        starts_on=date(2026, 9, 1),
        ends_on=date(2026, 12, 31),
        child_ids=[kids[n].pk for n in ("Ada", "Ben", "Cal", "Dee")],
    )
    services.record_missed(actor=actor, group=a, dates=[date(2026, 10, 6)], reason="staff_absent")
    services.record_missed(
        actor=actor,
        group=a,
        dates=[date(2026, 10, 13)],
        reason="child_absent",
        child_ids=[kids["Ada"].pk],
    )
    reading = services.save_provision(
        actor=actor,
        setting=s,
        data={
            "name": "Reading and maths",
            "areas": ["cognition_learning", "independence"],
            "kind": "group",
            "staff_role": ta,
            "sessions_per_week": D(1),
            "session_minutes": 60,
            "cost_basis": "staff_hour",
        },
    )
    b = services.start_group(
        actor=actor,
        provision=reading,
        name="Reading B",
        starts_on=date(2026, 11, 1),
        ends_on=date(2027, 1, 30),
        child_ids=[kids["Eve"].pk],
    )
    services.add_place(
        actor=actor,
        group=b,
        child_id=kids["Fin"].pk,
        starts_on=date(2027, 1, 1),
        ends_on=date(2027, 1, 30),
    )
    counselling = services.save_provision(
        actor=actor,
        setting=s,
        data={
            "name": "Counselling",
            "areas": ["semh"],
            "kind": "external",
            "provider": "Counselling service",
            "sessions_per_week": D(1),
            "session_minutes": 60,
            "cost_basis": "term",
            "cost": D("300.00"),
        },
    )
    services.start_group(
        actor=actor,
        provision=counselling,
        name="Counselling for Eve",
        starts_on=date(2027, 1, 1),
        ends_on=date(2027, 3, 31),
        child_ids=[kids["Eve"].pk],
    )
    return kids, a, talk


def test_the_ledger_and_the_childs_three_term_map(hand_made):
    kids, _, _ = hand_made
    ada = child_map(kids["Ada"].pk, [AUTUMN, SPRING, SUMMER])
    (row,) = ada.rows
    autumn = row.cells[0]
    assert (autumn.planned, autumn.missed, autumn.received) == (28, 2, 26)
    assert autumn.hours == 13
    assert money(autumn.cost) == D("58.50")  # 63 - 2.25 (group missed) - 2.25 (absent)
    ben = child_map(kids["Ben"].pk, [AUTUMN, SPRING, SUMMER])
    assert money(ben.total.cost) == D("60.75")
    eve = child_map(kids["Eve"].pk, [AUTUMN, SPRING, SUMMER])
    # Reading B: alone 1 Nov to 31 Dec (61 of 122 days: 7 sessions x 18.00); with Fin 1 to 30
    # January (30 of 90 days: 4 sessions, 18.00 shared by 2); counselling 300.00 for spring.
    assert [money(c.cost) for c in eve.totals] == [D("126.00"), D("336.00"), D("0.00")]
    assert money(eve.total.cost) == D("462.00")
    assert tenth(eve.total.hours) == D("11.0") + D("12.0")
    fin = child_map(kids["Fin"].pk, [AUTUMN, SPRING, SUMMER])
    assert money(fin.total.cost) == D("36.00")
    # A provision in two areas is split evenly, so areas add up to the whole.
    assert (
        PlaceTermCost.objects.filter(child=kids["Eve"], provision__name="Reading and maths").count()
        == 4
    )


def test_a_rate_change_rewrites_the_ledger_and_is_audited(hand_made, world):
    kids, _, talk = hand_made
    role = StaffRole.objects.get(name="Teaching assistant")
    services.save_staff_role(
        actor=Actor(user=world.users["sendco"]),
        setting=world.setting,
        name=role.name,
        hourly_cost=D("24.00"),
        role=role,
    )
    ben = child_map(kids["Ben"].pk, [AUTUMN, SPRING, SUMMER])
    assert money(ben.total.cost) == D("81.00")  # 27 sessions x 12.00 / 4
    event = AuditEvent.objects.filter(object_type="staffrole").latest("pk")
    assert event.detail["old"]["hourly_cost"] == "18.00"
    assert Provision.objects.get(pk=talk.pk).groups.count() == 1


def test_recording_the_same_missed_session_twice_adds_nothing(hand_made, world):
    _, group, _ = hand_made
    made = services.record_missed(
        actor=Actor(user=world.users["sendco"]),
        group=group,
        dates=[date(2026, 10, 6)],
        reason="staff_absent",
    )
    assert made == 0
    assert group.missed.count() == 2
