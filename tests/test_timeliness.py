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
