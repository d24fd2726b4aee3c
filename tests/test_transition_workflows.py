"""The engine's extensions for transition plans, table-driven on hand-made cases: due dates in
school terms, recurring reviews (every so many weeks, at most so many times), and the two
shipped templates."""

from datetime import date

import pytest

from vsend.workflows.definitions import DefinitionError, definition, parse
from vsend.workflows.engine import Done, schedule
from vsend.workflows.terms import term_end, term_label, term_of

SPECIAL = definition("special-to-mainstream")
ENHANCED = definition("enhanced-transition")

TERMS = [
    (date(2026, 9, 1), (2026, 1)),
    (date(2026, 10, 31), (2026, 1)),
    (date(2026, 11, 1), (2026, 2)),
    (date(2027, 1, 4), (2026, 3)),
    (date(2027, 2, 28), (2026, 3)),
    (date(2027, 3, 1), (2026, 4)),
    (date(2027, 4, 16), (2026, 5)),
    (date(2027, 6, 1), (2026, 6)),
    (date(2027, 7, 22), (2026, 6)),
    (date(2027, 7, 23), (2027, 1)),  # the summer holiday belongs to the next autumn term
    (date(2027, 8, 31), (2027, 1)),
]


@pytest.mark.parametrize(("day", "expected"), TERMS)
def test_each_day_falls_in_one_of_six_terms(day, expected):
    assert term_of(day) == expected


TERM_ENDS = [
    (date(2027, 3, 10), 0, date(2027, 4, 15)),  # term 4 ends
    (date(2027, 3, 10), 1, date(2027, 5, 31)),  # term 5
    (date(2027, 3, 10), 2, date(2027, 7, 22)),  # term 6
    (date(2027, 3, 10), 3, date(2027, 10, 31)),  # next year's term 1
    (date(2027, 7, 10), 3, date(2028, 2, 29)),  # a leap year's February
    (date(2026, 12, 1), 1, date(2027, 2, 28)),
]


@pytest.mark.parametrize(("day", "after", "expected"), TERM_ENDS)
def test_a_due_date_in_terms_is_the_end_of_a_later_term(day, after, expected):
    assert term_end(day, after) == expected


def test_term_labels():
    assert term_label(2026, 4) == "2026/27 term 4"


def _ms(wf, started, done=(), today=date(2027, 1, 1)):
    return {m.key: m for m in schedule(wf, started_on=started, done=list(done), today=today)}


# Enhanced transition support, put forward in term 4 (10 March 2027), by hand from the protocol.
ENHANCED_DUE = [
    ("family_agreed", date(2027, 4, 15)),  # within term 4
    ("planning_meeting", date(2027, 5, 31)),  # term 5
    ("funding_request", date(2027, 5, 31)),
    ("visits", date(2027, 7, 22)),  # term 6
    ("july_review", date(2027, 7, 22)),
]


@pytest.mark.parametrize(("key", "due"), ENHANCED_DUE)
def test_enhanced_transition_runs_term_by_term(key, due):
    assert _ms(ENHANCED, date(2027, 3, 10))[key].due_on == due


def test_enhanced_transition_has_three_reviews_after_the_move_then_a_decision():
    done = [Done("july_review", done_on=date(2027, 7, 12))]
    ms = _ms(ENHANCED, date(2027, 3, 10), done)
    assert ms["review:1"].due_on == date(2027, 10, 31)  # by the end of the autumn term
    assert ms["decision"].due_on == date(2028, 2, 29)
    done += [
        Done("review", "1", done_on=date(2027, 10, 20)),
        Done("review", "2", done_on=date(2028, 1, 10)),
    ]
    ms = _ms(ENHANCED, date(2027, 3, 10), done, today=date(2028, 1, 11))
    assert ms["review:3"].due_on == date(2028, 3, 20)  # 10 weeks after the second
    done.append(Done("review", "3", done_on=date(2028, 3, 1)))
    ms = _ms(ENHANCED, date(2027, 3, 10), done)
    assert "review:4" not in ms and ms["review:3"].status == "done"


RECURRING = [
    # (reviews held, today, next review key, its due date, its state)
    ([], date(2026, 9, 1), "review:1", date(2026, 10, 13), "due"),  # 6 weeks after registration
    ([date(2026, 10, 10)], date(2026, 12, 1), "review:2", date(2026, 12, 5), "at_risk"),
    ([date(2026, 10, 10)], date(2026, 12, 6), "review:2", date(2026, 12, 5), "overdue"),
    (
        [date(2026, 10, 10), date(2026, 12, 1)],
        date(2026, 12, 2),
        "review:3",
        date(2027, 1, 26),
        "due",
    ),
]


@pytest.mark.parametrize(("held", "today", "key", "due", "state"), RECURRING)
def test_special_to_mainstream_reviews_recur_every_8_weeks(held, today, key, due, state):
    done = [
        Done("annual_review", done_on=date(2026, 6, 1), outcome="pursue"),
        Done("dual_registration", done_on=date(2026, 9, 1)),
    ] + [Done("review", str(n), done_on=d) for n, d in enumerate(held, start=1)]
    ms = _ms(SPECIAL, date(2026, 3, 2), done, today)
    assert (ms[key].due_on, ms[key].status) == (due, state)


def test_not_pursuing_a_move_leaves_the_move_steps_not_needed():
    ms = _ms(
        SPECIAL,
        date(2026, 3, 2),
        [Done("annual_review", done_on=date(2026, 5, 1), outcome="not_now")],
    )
    assert ms["planning_meeting"].status == "not_needed"
    assert ms["review:1"].status == "not_needed"
    assert ms["decision"].status != "not_needed"


def test_move_steps_wait_for_the_annual_review():
    ms = _ms(SPECIAL, date(2026, 3, 2), [])
    assert ms["family_views"].due_on == date(2026, 3, 23)
    assert ms["schools_approached"].status == "waiting"


BASE = {
    "id": "x",
    "version": 1,
    "name": "X",
    "start": "s",
    "start_name": "s",
}


@pytest.mark.parametrize(
    ("step", "message"),
    [
        ({"due": {"before": "b", "terms": 1}}, "counts forward only"),
        ({"every": {"terms": 1}}, "'every' must be"),
        ({"every": {"weeks": 0}}, "at least 1"),
        ({"every": {"weeks": 8}, "repeats": True}, "either repeats"),
        ({"every": {"weeks": 8}, "times": -1}, "'times'"),
        ({"for_family": "yes"}, "'for_family'"),
    ],
)
def test_a_broken_transition_step_is_refused(step, message):
    raw = {
        **BASE,
        "steps": [
            {
                "key": "b",
                "name": "B",
                "family_name": "b",
                "who": "x",
                "due": {"after": "start", "weeks": 1},
            },
            {
                "key": "a",
                "name": "A",
                "family_name": "a",
                "who": "x",
                "due": {"after": "start", "weeks": 1},
                **step,
            },
        ],
    }
    with pytest.raises(DefinitionError, match=message):
        parse(raw)


def test_the_templates_name_who_acts_and_what_the_family_sees():
    for wf in (SPECIAL, ENHANCED):
        assert {s.who for s in wf.steps} <= {
            "sending_setting",
            "receiving_setting",
            "caseworker",
            "family",
            "adviser",
        }
        assert any(s.for_family for s in wf.steps)
        assert wf.step("decision").outcomes


def test_each_review_held_shows_when_it_was_due_and_whether_it_was_late():
    done = [
        Done("annual_review", done_on=date(2026, 6, 1), outcome="pursue"),
        Done("dual_registration", done_on=date(2026, 9, 1)),
        Done("review", "1", done_on=date(2026, 10, 20)),  # due 13 October: late
        Done("review", "2", done_on=date(2026, 12, 1)),  # due 15 December
    ]
    ms = _ms(SPECIAL, date(2026, 3, 2), done, date(2026, 12, 2))
    assert (ms["review:1"].due_on, ms["review:1"].late) == (date(2026, 10, 13), True)
    assert (ms["review:2"].due_on, ms["review:2"].late) == (date(2026, 12, 15), False)
