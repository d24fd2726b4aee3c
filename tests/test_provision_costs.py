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
    # The stated teaching year: each school term's weeks less a half-term week, 39 a year.
    assert costs.SCHOOL_TERMS == {"autumn": (15, 1), "spring": (13, 1), "summer": (14, 1)}
    assert costs.TEACHING_WEEKS == {"autumn": 14, "spring": 12, "summer": 13}
    assert costs.TEACHING_WEEKS_A_YEAR == 39
    # A whole term's sessions are its teaching weeks times sessions a week, whatever its days.
    rate = costs.Rate("session", D(3), 30, cost=D(1))
    for term, weeks in ((AUTUMN, 14), (SPRING, 12), (SUMMER, 13)):
        tf = costs.term_figures(
            rate, [costs.Span(1, term.starts, term.ends)], [], term, term.starts
        )
        assert tf.places[1].planned == 3 * weeks


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


def test_a_rate_change_applies_from_its_date_and_closed_terms_keep_their_costs(
    hand_made, world, monkeypatch
):
    from django.utils import timezone

    from vsend.aggregates import store
    from vsend.provision import stored

    kids, _, talk = hand_made
    sid, aid = world.setting.pk, world.authority.pk

    def spend(term):
        row = store.rows(stored.SPEND, aid, term.ends, [sid])[sid]
        areas = stored.areas(row.values)
        return sum(a.cost for a in areas.values())

    before = (spend(AUTUMN), spend(SPRING))
    # Talk A: 4 x 63.00, less 4 x 2.25 (missed by the group) and 2.25 (Ada absent); Reading B
    # 126.00 in autumn and 2 x 36.00 in spring; counselling 300.00 in spring.
    assert before == (D("366.75"), D("372.00"))
    monkeypatch.setattr(timezone, "localdate", lambda *a: date(2027, 1, 15))  # in spring 2027
    role = StaffRole.objects.get(name="Teaching assistant")
    actor = Actor(user=world.users["sendco"])
    with pytest.raises(services.ClosedTerm):  # autumn 2026 has closed
        services.save_staff_role(
            actor=actor,
            setting=world.setting,
            name=role.name,
            hourly_cost=D("24.00"),
            role=role,
            applies_from=date(2026, 12, 1),
        )
    services.save_staff_role(
        actor=actor,
        setting=world.setting,
        name=role.name,
        hourly_cost=D("24.00"),
        role=role,
        applies_from=date(2027, 1, 16),
    )
    # Autumn is as it was: Ben 63 - 2.25 for the session the group missed.
    ben = child_map(kids["Ben"].pk, [AUTUMN, SPRING, SUMMER])
    assert money(ben.total.cost) == D("60.75")
    # Reading B in spring, Eve with Fin, 1 to 30 January: 1 to 15 January (15 of 90 days: 2
    # sessions) at 18.00, 16 to 30 January (2 sessions) at 24.00, each shared by 2.
    eve = child_map(kids["Eve"].pk, [AUTUMN, SPRING, SUMMER])
    assert [money(c.cost) for c in eve.totals] == [D("126.00"), D("342.00"), D("0.00")]
    fin = child_map(kids["Fin"].pk, [AUTUMN, SPRING, SUMMER])
    assert money(fin.total.cost) == D("42.00")  # 2 x 9.00 + 2 x 12.00
    # The stored rows follow: autumn unchanged, spring 6.00 more for each of Eve and Fin.
    assert (spend(AUTUMN), spend(SPRING)) == (before[0], before[1] + 12)
    assert StaffRole.objects.get(pk=role.pk).hourly_cost == D("18.00")  # until 16 January
    event = AuditEvent.objects.filter(object_type="staffrole").latest("pk")
    assert event.detail["old"]["hourly_cost"] == "18.00"
    assert event.detail["new"] == {
        "name": "Teaching assistant",
        "hourly_cost": "24.00",
        "applies_from": "2027-01-16",
    }
    assert Provision.objects.get(pk=talk.pk).groups.count() == 1


def test_a_rate_change_within_a_term_splits_it_at_its_date():
    rate = costs.Rate(
        "staff_hour", D(1), 60, hourly=D(18), hourly_changes=((date(2027, 2, 15), D(24)),)
    )
    span = [costs.Span(1, date(2027, 1, 1), date(2027, 3, 31))]
    tf = costs.term_figures(rate, span, [], SPRING, date(2027, 1, 1))
    # 1 January to 14 February is 45 of 90 days: 6 sessions at 18.00, then 6 at 24.00.
    assert money(tf.places[1].cost) == D("252.00")
    misses = [costs.Miss(date(2027, 1, 10)), costs.Miss(date(2027, 3, 3))]
    tf = costs.term_figures(rate, span, misses, SPRING, date(2027, 1, 1))
    assert money(tf.places[1].cost) == D("210.00")  # 252 - 18 (January) - 24 (March)
    assert rate.hourly_on(date(2027, 2, 14)) == 18 and rate.hourly_on(date(2027, 2, 15)) == 24


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


def test_a_provisions_own_cost_changes_within_a_term_at_its_date():
    feb15 = date(2027, 2, 15)
    three = [costs.Span(k, date(2027, 1, 1), date(2027, 3, 31)) for k in (1, 2, 3)]
    # Per session, 30.00 then 45.00 from 15 February, one a week, for a group of three.
    session = costs.Rate("session", D(1), 60, cost=D(30), cost_changes=((feb15, "session", D(45)),))
    tf = costs.term_figures(session, three, [], SPRING, date(2027, 1, 1))
    # 1 January to 14 February is 45 of 90 days: 6 sessions at 30.00 (180.00), then 6 at 45.00
    # (270.00); 450.00 for the group, each child a third.
    assert [money(tf.places[k].cost) for k in (1, 2, 3)] == [D("150.00")] * 3
    assert sum(f.cost for f in tf.places.values()) == D(450)
    misses = [costs.Miss(date(2027, 1, 11)), costs.Miss(date(2027, 3, 1), key=2)]
    tf = costs.term_figures(session, three, misses, SPRING, date(2027, 1, 1))
    # The group missed a January session (30.00 / 3 each); child 2 a March one (45.00 / 3).
    assert [money(tf.places[k].cost) for k in (1, 2, 3)] == [D("140.00"), D("125.00"), D("140.00")]
    assert session.basis_and_cost_on(date(2027, 2, 14)) == ("session", D(30))
    # Per term, 300.00 then 360.00: half the term at each.
    per_term = costs.Rate("term", D(1), 60, cost=D(300), cost_changes=((feb15, "term", D(360)),))
    tf = costs.term_figures(per_term, three[:1], [], SPRING, date(2027, 1, 1))
    assert money(tf.places[1].cost) == D("330.00")  # 150.00 + 180.00
    # How it is costed can change too: per session (6 x 30.00) then per term (360.00 x 45/90).
    switch = costs.Rate("session", D(1), 60, cost=D(30), cost_changes=((feb15, "term", D(360)),))
    tf = costs.term_figures(switch, three[:1], [], SPRING, date(2027, 1, 1))
    assert money(tf.places[1].cost) == D("360.00")
    # A one-off cost is the one that applied on the day the group started.
    fixed = costs.Rate("fixed", D(1), 60, cost=D(100), cost_changes=((feb15, "fixed", D(160)),))
    early = costs.term_figures(fixed, three[:2], [], SPRING, date(2027, 1, 1))
    later = [costs.Span(k, date(2027, 3, 1), date(2027, 3, 31)) for k in (1, 2)]
    late = costs.term_figures(fixed, later, [], SPRING, date(2027, 3, 1))
    assert money(early.places[1].cost) == D("50.00") and money(late.places[1].cost) == D("80.00")


def _speech(world, kids):
    """Speech sessions, 30.00 a session, once a week, for Cal and Dee from 1 September 2026 to
    31 March 2027."""
    actor = Actor(user=world.users["sendco"])
    data = {
        "name": "Speech sessions",
        "description": "",
        "areas": ["communication_interaction"],
        "kind": "external",
        "staff_role": None,
        "provider": "Speech service",
        "sessions_per_week": D(1),
        "session_minutes": 60,
        "cost_basis": "session",
        "cost": D("30.00"),
    }
    speech = services.save_provision(actor=actor, setting=world.setting, data=data)
    services.start_group(
        actor=actor,
        provision=speech,
        name="Speech for two",
        starts_on=date(2026, 9, 1),
        ends_on=date(2027, 3, 31),
        child_ids=[kids["Cal"].pk, kids["Dee"].pk],
    )
    return speech, data


def test_a_provisions_cost_change_keeps_closed_terms_and_splits_this_one(
    hand_made, world, monkeypatch
):
    from django.utils import timezone

    from vsend.aggregates import store
    from vsend.provision import stored
    from vsend.provision.models import ProvisionCost

    kids, _, _ = hand_made
    sid, aid = world.setting.pk, world.authority.pk

    def spend(term):
        row = store.rows(stored.SPEND, aid, term.ends, [sid])[sid]
        return sum(a.cost for a in stored.areas(row.values).values())

    speech, data = _speech(world, kids)
    # Autumn: 14 sessions x 30.00 shared by 2 = 210.00 each; Cal also had Talk group A (60.75).
    # Spring: 12 sessions x 30.00 / 2 = 180.00 each.
    cal = child_map(kids["Cal"].pk, [AUTUMN, SPRING, SUMMER])
    assert [money(c.cost) for c in cal.totals] == [D("270.75"), D("180.00"), D("0.00")]
    before = (spend(AUTUMN), spend(SPRING))
    assert before == (D("366.75") + 420, D("372.00") + 360)
    monkeypatch.setattr(timezone, "localdate", lambda *a: date(2027, 1, 15))  # in spring 2027
    actor = Actor(user=world.users["sendco"])
    change = {**data, "cost": D("45.00")}
    with pytest.raises(services.ClosedTerm):  # autumn 2026 has closed
        services.save_provision(
            actor=actor,
            setting=world.setting,
            data=change,
            provision=speech,
            applies_from=date(2026, 12, 1),
        )
    services.save_provision(
        actor=actor,
        setting=world.setting,
        data=change,
        provision=Provision.objects.get(pk=speech.pk),
        applies_from=date(2027, 2, 15),
    )
    # Autumn as it was; spring 6 sessions at 30.00 and 6 at 45.00, shared by 2: 90 + 135.
    cal = child_map(kids["Cal"].pk, [AUTUMN, SPRING, SUMMER])
    assert [money(c.cost) for c in cal.totals] == [D("270.75"), D("225.00"), D("0.00")]
    dee = child_map(kids["Dee"].pk, [AUTUMN, SPRING, SUMMER])
    assert money(dee.total.cost) == D("60.75") + 210 + 225
    # The stored rows follow: autumn unchanged, spring 45.00 more for each of Cal and Dee.
    assert (spend(AUTUMN), spend(SPRING)) == (before[0], before[1] + 90)
    saved = Provision.objects.get(pk=speech.pk)
    assert (saved.cost_basis, saved.cost) == ("session", D("30.00"))  # until 15 February
    history = [(c.applies_from, c.cost) for c in ProvisionCost.objects.filter(provision=speech)]
    assert history == [(date(2000, 1, 1), D("30.00")), (date(2027, 2, 15), D("45.00"))]
    event = AuditEvent.objects.filter(object_type="provision").latest("pk")
    assert event.detail["old"]["cost"] == "30.00"
    assert event.detail["new"]["cost"] == "45.00"
    assert event.detail["new"]["applies_from"] == "2027-02-15"
    # Saving again with the cost unchanged (the form's date is today) records nothing new.
    services.save_provision(
        actor=actor,
        setting=world.setting,
        data=change,
        provision=Provision.objects.get(pk=speech.pk),
        applies_from=date(2027, 3, 1),
    )
    assert ProvisionCost.objects.filter(provision=speech).count() == 2


def test_a_cost_change_before_any_group_simply_replaces_it(world):
    from vsend.provision.models import ProvisionCost

    actor = Actor(user=world.users["sendco"])
    data = {
        "name": "Sensory kit",
        "areas": ["physical_sensory"],
        "kind": "individual",
        "sessions_per_week": D(1),
        "session_minutes": 30,
        "cost_basis": "fixed",
        "cost": D("80.00"),
    }
    kit = services.save_provision(actor=actor, setting=world.setting, data=data)
    services.save_provision(
        actor=actor, setting=world.setting, data={**data, "cost": D("95.00")}, provision=kit
    )
    assert Provision.objects.get(pk=kit.pk).cost == D("95.00")
    assert not ProvisionCost.objects.filter(provision=kit).exists()


def test_moving_from_staff_hours_to_a_session_cost_keeps_what_went_before(
    hand_made, world, monkeypatch
):
    from django.utils import timezone

    kids, _, _ = hand_made
    monkeypatch.setattr(timezone, "localdate", lambda *a: date(2027, 1, 15))
    reading = Provision.objects.get(name="Reading and maths")
    ta = reading.staff_role
    services.save_provision(
        actor=Actor(user=world.users["sendco"]),
        setting=world.setting,
        data={
            "staff_role": None,
            "provider": "Tutoring service",
            "cost_basis": "session",
            "cost": D("20.00"),
        },
        provision=reading,
        applies_from=date(2027, 1, 16),
    )
    # Reading B, Eve alone in autumn (126.00 at the assistant's 18.00 an hour) is as it was; in
    # spring, with Fin, 1 to 15 January 2 sessions at 18.00 and 16 to 30 January 2 at 20.00,
    # shared by 2: 18.00 + 20.00, beside counselling's 300.00.
    eve = child_map(kids["Eve"].pk, [AUTUMN, SPRING, SUMMER])
    assert [money(c.cost) for c in eve.totals] == [D("126.00"), D("338.00"), D("0.00")]
    fin = child_map(kids["Fin"].pk, [AUTUMN, SPRING, SUMMER])
    assert money(fin.total.cost) == D("38.00")
    autumn = PlaceTermCost.objects.filter(provision=reading, term="autumn-2026")
    assert set(autumn.values_list("staff_role", flat=True)) == {ta.pk}
    assert Provision.objects.get(pk=reading.pk).staff_role == ta  # until 16 January
