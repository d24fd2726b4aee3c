"""Timeliness of the statutory pathway: pure functions on hand-made facts, and what an LA
officer sees of them (suppressed, never a child)."""

from datetime import date

from django.urls import reverse

from vsend.insights.published import timeliness_table
from vsend.insights.suppression import HIDDEN
from vsend.statutory.timeliness import (
    RequestFacts,
    Timeliness,
    by_setting,
    reviews_overdue,
    timeliness,
)

START, END = date(2026, 1, 1), date(2026, 3, 31)
FACTS = [
    # decided in 6 weeks exactly, plan in 20 weeks exactly
    RequestFacts(1, date(2025, 10, 6), date(2025, 11, 17), "assess", date(2026, 2, 23)),
    # plan one day late, with an exception recorded
    RequestFacts(1, date(2025, 10, 6), date(2025, 11, 10), "assess", date(2026, 2, 24), True),
    # received and decided late within the term
    RequestFacts(2, date(2026, 1, 5), date(2026, 3, 2), "not_assess"),
    RequestFacts(None, date(2026, 3, 31)),
    RequestFacts(2, date(2026, 4, 1)),  # after the term
]


def test_it_counts_what_happened_in_the_period_and_what_was_on_time():
    assert timeliness(FACTS, START, END) == Timeliness(
        requests=2,
        decisions=1,
        decisions_within_6_weeks=0,
        decided_to_assess=0,
        plans_issued=2,
        plans_within_20_weeks=1,
        plans_issued_without_exception=1,
        plans_within_20_weeks_without_exception=1,
    )


def test_it_groups_by_setting():
    groups = by_setting(FACTS, START, END)
    assert groups[1].plans_issued == 2 and groups[2].requests == 1 and groups[None].requests == 1


def test_reviews_overdue_counts_due_dates_before_the_day():
    assert reviews_overdue([date(2026, 1, 1), date(2026, 2, 1), None], date(2026, 1, 15)) == 1


def test_the_published_table_suppresses_small_counts():
    table = timeliness_table(timeliness(FACTS, START, END), "Spring 2026")
    assert table.rows[0][1] == HIDDEN and table.rows[2][2] is None  # no share of a hidden count
    big = Timeliness(
        requests=40,
        decisions=40,
        decisions_within_6_weeks=18,
        plans_issued=22,
        plans_within_20_weeks=11,
    )
    rows = timeliness_table(big, "Spring 2026").rows
    assert rows[1] == ["Decisions whether to assess (6 weeks)", 40, 50.0]  # 20 of 40 published
    assert rows[2][1] == 20 and rows[2][2] == 50.0


def test_an_la_officer_sees_the_suppressed_figures_and_no_child(world, as_user):
    from vsend.audit.services import Actor
    from vsend.statutory import services

    services.request_assessment(
        actor=Actor(user=None), child=world.child, requester="parent", reasons="x"
    )
    body = as_user("la_officer").get(reverse("statutory:timeliness")).content.decode()
    assert "EHC needs assessments" in body and world.child.first_name not in body
    assert as_user("sendco").get(reverse("statutory:timeliness")).status_code == 403


def test_the_stored_rows_follow_the_cases_and_equal_the_figures_from_scratch(world, as_user):
    """Requests and decisions through the services: the stored per-setting rows (by month) are
    recomputed by the services' events and sum to the figures worked out from the facts."""
    from datetime import timedelta

    from django.utils import timezone

    from vsend.aggregates.models import Event
    from vsend.audit.services import Actor
    from vsend.insights.terms import previous_term, term_containing
    from vsend.statutory import services, stored
    from vsend.statutory.selectors import request_facts

    term = previous_term(term_containing(timezone.localdate()))
    aid, actor = world.authority.pk, Actor(user=world.users["sendco"])
    ids = stored.setting_ids(aid)

    def whole():
        return stored.read(aid, term.ends, {"all": ids})["all"]

    assert stored.term_figures(whole()) == Timeliness()
    received = term.starts + timedelta(days=7)
    case = services.request_assessment(
        actor=actor,
        child=world.child,
        requester="setting",
        setting=world.setting,
        reasons="Needs more help",
        received_on=received,
    )
    late = services.request_assessment(
        actor=Actor(user=None),
        child=world.classmate,
        requester="parent",
        reasons="Worried",
        received_on=received,
    )
    assert stored.term_figures(whole()).requests == 2  # the events recomputed the rows
    services.record_step(
        actor=actor,
        case=case,
        step="decision_to_assess",
        done_on=received + timedelta(days=35),
        outcome="assess",
    )
    services.record_step(
        actor=actor,
        case=late,
        step="decision_to_assess",
        done_on=received + timedelta(days=50),
        outcome="not_assess",
    )
    figures = stored.term_figures(whole())
    assert figures == timeliness(request_facts(aid), term.starts, term.ends)
    assert (figures.decisions, figures.decisions_within_6_weeks, figures.decided_to_assess) == (
        2,
        1,
        1,
    )
    month = f"{received:%Y-%m}"
    assert stored.term_figures(whole(), month).requests == 2
    assert Event.objects.filter(kind="statutory.changed", processed_at__isnull=True).count() == 0
    body = as_user("la_officer").get(reverse("statutory:timeliness")).content.decode()
    for title in ("By month", "By locality", "By setting", "Whole authority"):
        assert title in body
    assert world.child.first_name not in body


def test_a_request_without_a_setting_follows_the_child_when_they_move(world):
    """A parent's request counts at the child's setting today: after a move, every stored term
    row counts it at the new setting (as the figures from scratch do)."""
    from datetime import timedelta

    from django.utils import timezone

    from vsend.audit.services import Actor
    from vsend.children import services as child_services
    from vsend.children.models import Enrolment
    from vsend.insights.terms import previous_term, term_containing
    from vsend.statutory import services, stored

    term = previous_term(term_containing(timezone.localdate()))
    aid = world.authority.pk
    services.request_assessment(
        actor=Actor(user=None),
        child=world.classmate,
        requester="parent",
        reasons="Worried",
        received_on=term.starts + timedelta(days=7),
    )
    groups = {"a1": [world.setting.pk], "a2": [world.other_setting.pk]}

    def requests():
        sums = stored.read(aid, term.ends, groups)
        return {k: stored.term_figures(v).requests for k, v in sums.items()}

    assert requests() == {"a1": 1, "a2": 0}
    enrolment = Enrolment.objects.current().get(child=world.classmate)
    child_services.record_leaving(
        actor=Actor(user=world.users["sendco"]),
        enrolment=enrolment,
        left_on=timezone.localdate() - timedelta(days=1),
        destination_setting=world.other_setting,
        destination="",
    )
    assert requests() == {"a1": 0, "a2": 0}  # at no setting today: the authority's total only
    Enrolment.objects.create(
        child=world.classmate, setting=world.other_setting, started_on=timezone.localdate()
    )
    from vsend.aggregates import events

    # As the joining service announces it.
    events.announce("enrolments.moved", authority_id=aid, child_id=world.classmate.pk)
    assert requests() == {"a1": 0, "a2": 1}
    fresh = stored.compute(aid, (world.setting.pk, world.other_setting.pk), term.ends, False)
    assert fresh[world.other_setting.pk] == stored.read(aid, term.ends, groups)["a2"]
