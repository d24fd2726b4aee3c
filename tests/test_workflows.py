"""The workflow engine's date arithmetic, on hand-made cases checked against the regulations."""

from datetime import date

import pytest

from vsend.workflows.definitions import DefinitionError, definition, parse
from vsend.workflows.engine import Done, Pause, add_months, schedule

EHC = definition("ehc-needs-assessment")
REVIEW = definition("annual-review")
ALL_STEPS = tuple(s.key for s in EHC.steps)


def _due(milestones, key):
    return next(m for m in milestones if m.key == key).due_on


def _ehc(received, *, done=(), pauses=(), today=date(2020, 1, 1)):
    return schedule(EHC, started_on=received, done=done, pauses=pauses, today=today)


# received, milestone, due: worked out by hand from the limits in the regulations.
CLOCK = [
    # An ordinary Monday: 6, 14, 16 and 20 weeks are all Mondays.
    (date(2026, 1, 5), "decision_to_assess", date(2026, 2, 16)),
    (date(2026, 1, 5), "draft_plan", date(2026, 4, 13)),
    (date(2026, 1, 5), "decision_to_issue", date(2026, 4, 27)),
    (date(2026, 1, 5), "final_plan", date(2026, 5, 25)),
    # Received on a Saturday: the limits are calendar time, so due dates fall on Saturdays too.
    (date(2026, 3, 7), "decision_to_assess", date(2026, 4, 18)),
    (date(2026, 3, 7), "final_plan", date(2026, 7, 25)),
    # Over the year end.
    (date(2026, 12, 21), "decision_to_assess", date(2027, 2, 1)),
    (date(2026, 12, 21), "final_plan", date(2027, 5, 10)),
    # Across 29 February 2028 (a leap year): one day fewer to the same date than in 2027.
    (date(2028, 1, 31), "decision_to_assess", date(2028, 3, 13)),
    (date(2027, 1, 31), "decision_to_assess", date(2027, 3, 14)),
    (date(2028, 1, 31), "final_plan", date(2028, 6, 19)),
]


@pytest.mark.parametrize(("received", "key", "due"), CLOCK)
def test_it_counts_each_statutory_limit_from_the_request(received, key, due):
    done = [Done("decision_to_assess", done_on=received, outcome="assess")]
    if key == "decision_to_assess":
        done = []
    assert _due(_ehc(received, done=done), key) == due


def test_it_dates_each_advice_request_from_when_it_was_asked():
    received = date(2026, 1, 5)
    done = [
        Done("decision_to_assess", done_on=date(2026, 2, 2), outcome="assess"),
        Done("advice", item="education", asked_on=date(2026, 2, 3)),
        Done("advice", item="health", asked_on=date(2026, 2, 10), done_on=date(2026, 3, 30)),
    ]
    ms = _ehc(received, done=done, today=date(2026, 3, 20))
    assert _due(ms, "advice:education") == date(2026, 3, 17)
    assert next(m for m in ms if m.key == "advice:education").status == "overdue"
    health = next(m for m in ms if m.key == "advice:health")
    assert health.due_on == date(2026, 3, 24) and health.status == "done" and health.late


def test_the_family_and_the_setting_have_15_days_from_when_they_were_sent_things():
    done = [
        Done("decision_to_assess", done_on=date(2026, 2, 2), outcome="assess"),
        Done("draft_plan", done_on=date(2026, 4, 1)),
        Done("setting_consultation", item="Oak School", asked_on=date(2026, 4, 20)),
    ]
    ms = _ehc(date(2026, 1, 5), done=done)
    assert _due(ms, "family_comments") == date(2026, 4, 16)
    assert _due(ms, "setting_consultation:Oak School") == date(2026, 5, 5)


def test_steps_after_a_decision_not_to_assess_are_not_needed():
    done = [Done("decision_to_assess", done_on=date(2026, 2, 2), outcome="not_assess")]
    ms = _ehc(date(2026, 1, 5), done=done)
    assert {m.key: m.status for m in ms if m.key != "decision_to_assess"} == {
        "draft_plan": "not_needed",
        "family_comments": "not_needed",
        "decision_to_issue": "not_needed",
        "final_plan": "not_needed",
    }


def test_a_decision_not_to_issue_ends_the_plan_steps():
    done = [
        Done("decision_to_assess", done_on=date(2026, 2, 2), outcome="assess"),
        Done("decision_to_issue", done_on=date(2026, 4, 20), outcome="not_issue"),
    ]
    ms = _ehc(date(2026, 1, 5), done=done)
    assert next(m for m in ms if m.key == "final_plan").status == "not_needed"
    assert next(m for m in ms if m.key == "decision_to_issue").status == "done"


def test_steps_wait_for_the_decision_they_depend_on():
    ms = _ehc(date(2026, 1, 5))
    final = next(m for m in ms if m.key == "final_plan")
    assert final.status == "waiting" and final.due_on == date(2026, 5, 25)
    assert next(m for m in ms if m.key == "family_comments").due_on is None


# Exceptions: received 5 January 2026, final plan due 25 May 2026 without them.
EXCEPTIONS = [
    # The child away from the area for 4 weeks (28 days inclusive): moved 28 days.
    ([(date(2026, 2, 2), date(2026, 3, 1))], date(2026, 6, 22)),
    # The school closed over the summer, beginning after the due date: no change.
    ([(date(2026, 7, 20), date(2026, 9, 2))], date(2026, 5, 25)),
    # Two exceptions: both count (10 + 5 days).
    (
        [(date(2026, 2, 1), date(2026, 2, 10)), (date(2026, 5, 1), date(2026, 5, 5))],
        date(2026, 6, 9),
    ),
    # One that began before the request counts only from the request.
    ([(date(2025, 12, 20), date(2026, 1, 9))], date(2026, 5, 30)),
    # One beginning in the 5 days the first one added past the old due date still counts.
    (
        [(date(2026, 5, 21), date(2026, 5, 25)), (date(2026, 5, 27), date(2026, 5, 28))],
        date(2026, 6, 1),
    ),
]


@pytest.mark.parametrize(("spans", "final_due"), EXCEPTIONS)
def test_exceptions_move_the_due_dates_they_apply_to(spans, final_due):
    pauses = [Pause("away_from_area", s, e, ALL_STEPS) for s, e in spans]
    done = [Done("decision_to_assess", done_on=date(2026, 2, 2), outcome="assess")]
    ms = _ehc(date(2026, 1, 5), done=done, pauses=pauses)
    assert _due(ms, "final_plan") == final_due


def test_an_exception_still_going_pauses_the_clock():
    pauses = [Pause("personal_circumstances", date(2026, 2, 1), None, ("final_plan",))]
    done = [Done("decision_to_assess", done_on=date(2026, 2, 2), outcome="assess")]
    ms = _ehc(date(2026, 1, 5), done=done, pauses=pauses)
    final = next(m for m in ms if m.key == "final_plan")
    assert final.status == "paused" and final.due_on is None
    assert _due(ms, "decision_to_issue") == date(2026, 4, 27)  # not named by the exception


def test_the_school_closure_exception_needs_four_weeks():
    assert EHC.exception("setting_closed").min_days == 28
    assert EHC.exception("away_from_area").min_days == 28


def test_at_risk_and_overdue_are_worked_out_for_the_day():
    received = date(2026, 1, 5)
    assert _ehc(received, today=date(2026, 2, 1))[0].status == "due"
    assert _ehc(received, today=date(2026, 2, 10))[0].status == "at_risk"
    assert _ehc(received, today=date(2026, 2, 16))[0].status == "at_risk"
    assert _ehc(received, today=date(2026, 2, 17))[0].status == "overdue"


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2028, 2, 29), 12, date(2029, 2, 28)),
        (date(2027, 8, 31), 6, date(2028, 2, 29)),
        (date(2026, 12, 15), 12, date(2027, 12, 15)),
        (date(2026, 3, 31), -1, date(2026, 2, 28)),
    ],
)
def test_months_end_on_the_last_day_of_a_shorter_month(start, months, expected):
    assert add_months(start, months) == expected


def test_annual_review_deadlines():
    issued = date(2026, 3, 10)
    ms = schedule(REVIEW, started_on=issued, today=date(2026, 3, 11))
    assert _due(ms, "meeting") == date(2027, 3, 10)
    assert _due(ms, "invitations") == date(2027, 2, 24)
    assert _due(ms, "report") is None  # counted from the meeting, not held yet
    under_5 = schedule(REVIEW, started_on=issued, today=date(2026, 3, 11), under_5=True)
    assert _due(under_5, "meeting") == date(2026, 9, 10)
    held = [
        Done("meeting", asked_on=date(2027, 2, 1), done_on=date(2027, 2, 3)),
        Done("decision", done_on=date(2027, 2, 20), outcome="amend"),
    ]
    ms = schedule(REVIEW, started_on=issued, done=held, today=date(2027, 2, 4))
    assert _due(ms, "invitations") == date(2027, 1, 20)
    assert _due(ms, "report") == date(2027, 2, 17)
    assert _due(ms, "decision") == date(2027, 3, 3)
    assert _due(ms, "amended_plan") == date(2027, 4, 17)


def test_a_planned_meeting_sets_the_invitations_date():
    planned = [Done("meeting", asked_on=date(2027, 1, 14))]
    ms = schedule(REVIEW, started_on=date(2026, 3, 10), done=planned, today=date(2026, 4, 1))
    assert _due(ms, "invitations") == date(2026, 12, 31)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"version": 0}, "version"),
        ({"steps": []}, "steps"),
        (
            {
                "steps": [
                    {
                        "key": "a",
                        "name": "A",
                        "family_name": "a",
                        "who": "x",
                        "due": {"after": "b", "weeks": 1},
                    }
                ]
            },
            "not a step",
        ),
        (
            {
                "steps": [
                    {
                        "key": "a",
                        "name": "A",
                        "family_name": "a",
                        "who": "x",
                        "due": {"after": "start", "weeks": 1, "days": 2},
                    }
                ]
            },
            "exactly one",
        ),
        (
            {
                "steps": [
                    {
                        "key": "a",
                        "name": "A",
                        "family_name": "a",
                        "who": "x",
                        "due": {"after": "start", "weeks": -1},
                    }
                ]
            },
            "whole number",
        ),
    ],
)
def test_a_broken_definition_is_refused_with_where_and_why(change, message):
    import yaml

    from vsend.workflows.definitions import DEFINITIONS_DIR

    raw = yaml.safe_load((DEFINITIONS_DIR / "annual-review.yaml").read_text())
    raw.update(change)
    raw.pop("exceptions", None)
    with pytest.raises(DefinitionError, match=message):
        parse(raw, "test.yaml")
