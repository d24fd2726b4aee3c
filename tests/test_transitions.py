"""Transition plans: starting one (once), steps, reviews and the outcome, who sees the plan
(the caseworker, both SENDCos, the family in its own words), the phase-transfer list and its
deadlines, and the authority's figures, suppressed for LA officers."""

import re
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from vsend.audit.models import AuditEvent
from vsend.audit.services import Actor
from vsend.children.models import Enrolment
from vsend.organisations.models import YearGroup
from vsend.statutory import phase_transfer
from vsend.statutory.models import EhcPlan
from vsend.transitions import services
from vsend.transitions.models import Outcome, TransitionPlan

TODAY = timezone.localdate()


def _plan(world, *, receiving=True, started=None, template="special-to-mainstream"):
    return services.start_plan(
        actor=Actor(user=world.users["sendco"]),
        child=world.child,
        template=template,
        sending_setting=world.setting,
        receiving_setting=world.other_setting if receiving else None,
        started_on=started or TODAY - timedelta(days=60),
    )


def test_starting_a_plan_twice_finds_the_first(world):
    first = _plan(world)
    assert _plan(world).pk == first.pk
    assert TransitionPlan.objects.count() == 1
    assert first.template_version == 1
    assert AuditEvent.objects.filter(object_type="transition_plan", action="create").count() == 1


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"template": "nope"}, "template"),
        ({"started_on": TODAY + timedelta(days=1)}, "started_on"),
        ({"started_on": None}, "started_on"),
        ({"note": "x" * 1001}, "note"),
    ],
)
def test_a_bad_start_says_what_to_change(world, change, field):
    args = {
        "actor": Actor(user=world.users["sendco"]),
        "child": world.child,
        "template": "special-to-mainstream",
        "sending_setting": world.setting,
        "receiving_setting": None,
        "started_on": TODAY,
        **change,
    }
    with pytest.raises(services.TransitionError) as exc:
        services.start_plan(**args)
    assert exc.value.field == field


def test_the_receiving_setting_must_be_another_in_the_authority(world):
    with pytest.raises(services.TransitionError):
        services.start_plan(
            actor=Actor(user=world.users["sendco"]),
            child=world.child,
            template="special-to-mainstream",
            sending_setting=world.setting,
            receiving_setting=world.far_setting,
            started_on=TODAY,
        )


def test_steps_reviews_and_the_decision_end_the_plan(world):
    plan = _plan(world)
    actor = Actor(user=world.users["other_setting"])
    day = TODAY - timedelta(days=50)
    services.record_step(actor=actor, plan=plan, step="family_views", done_on=day)
    services.record_step(actor=actor, plan=plan, step="family_views", done_on=day, note="again")
    assert plan.steps.filter(step="family_views").count() == 1  # recorded twice: one row
    with pytest.raises(services.TransitionError, match="decided"):
        services.record_step(actor=actor, plan=plan, step="annual_review", done_on=day)
    services.record_step(
        actor=actor, plan=plan, step="annual_review", done_on=day, outcome="pursue"
    )
    review = services.record_review(
        actor=actor,
        plan=plan,
        held_on=TODAY - timedelta(days=5),
        notes="Settling well",
        decision="continue",
    )
    again = services.record_review(
        actor=actor,
        plan=plan,
        held_on=TODAY - timedelta(days=5),
        notes="Settling well",
        decision="continue",
    )
    assert again.pk == review.pk and plan.steps.filter(step="review").count() == 1
    services.record_step(
        actor=actor, plan=plan, step="decision", done_on=TODAY, outcome="returned_to_mainstream"
    )
    plan.refresh_from_db()
    assert plan.outcome == Outcome.RETURNED and plan.ended_on == TODAY
    with pytest.raises(services.TransitionError, match="ended"):
        services.record_review(
            actor=actor, plan=plan, held_on=TODAY, notes="x", decision="continue"
        )


def test_not_pursuing_a_move_ends_the_plan_as_stayed(world):
    plan = _plan(world)
    services.record_step(
        actor=Actor(user=world.users["sendco"]),
        plan=plan,
        step="annual_review",
        done_on=TODAY,
        outcome="not_now",
    )
    plan.refresh_from_db()
    assert plan.outcome == Outcome.STAYED


def test_a_step_before_the_plan_began_is_refused(world):
    plan = _plan(world)
    with pytest.raises(services.TransitionError, match="when the plan began"):
        services.record_step(
            actor=Actor(user=world.users["sendco"]),
            plan=plan,
            step="family_views",
            done_on=plan.started_on - timedelta(days=1),
        )


def test_the_receiving_sendco_sees_the_plan_before_the_child_is_on_their_roll(world, as_user):
    plan = _plan(world)
    assert (
        as_user("other_setting").get(reverse("transitions:plan", args=[plan.pk])).status_code == 200
    )
    assert (
        as_user("other_setting").get(reverse("children:detail", args=[world.child.pk])).status_code
        == 404
    )
    page = as_user("caseworker").get(reverse("transitions:plan", args=[plan.pk])).content.decode()
    assert "Next to act" in page and "Setting A1" in page
    listing = as_user("other_setting").get(reverse("transitions:list")).content.decode()
    assert world.child.full_name in listing
    # Without a receiving setting named, the other SENDCo does not find it.
    other = _plan(world, template="enhanced-transition", receiving=False)
    assert (
        as_user("other_setting").get(reverse("transitions:plan", args=[other.pk])).status_code
        == 404
    )


def test_the_family_sees_their_steps_in_plain_words(world, as_user):
    plan = _plan(world)
    page = as_user("parent").get(reverse("transitions:plan", args=[plan.pk])).content.decode()
    assert "talking with you about a move to a mainstream school" in page.lower()
    assert "Ask the transition adviser" not in page  # a step between the schools
    staff = as_user("sendco").get(reverse("transitions:plan", args=[plan.pk])).content.decode()
    assert "Ask the transition adviser to join the annual review" in staff


def test_a_form_keeps_what_was_typed_and_says_what_is_wrong(world, as_user):
    plan = _plan(world)
    response = as_user("sendco").post(
        reverse("transitions:review", args=[plan.pk]),
        {
            "held_on-day": "31",
            "held_on-month": "2",
            "held_on-year": "2026",
            "notes": "Good week",
            "decision": "continue",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200 and "must be a real date" in page and "Good week" in page


# Phase transfer


@pytest.mark.parametrize(
    ("year", "post_16", "expected"),
    [(2027, False, date(2027, 2, 15)), (2027, True, date(2027, 3, 31))],
)
def test_phase_transfer_deadlines(year, post_16, expected):
    assert phase_transfer.deadline(year, to_post_16=post_16) == expected


@pytest.mark.parametrize(
    ("amended", "today", "state"),
    [
        (date(2027, 2, 1), date(2027, 3, 1), "amended"),
        (date(2027, 2, 20), date(2027, 3, 1), "late"),
        (None, date(2027, 2, 16), "overdue"),
        (None, date(2027, 1, 10), "at_risk"),
        (None, date(2026, 11, 1), "due"),
    ],
)
def test_phase_transfer_states(amended, today, state):
    assert phase_transfer.state(date(2027, 2, 15), amended, today) == state


def _year6(world, child, setting, code="6"):
    yg = YearGroup.objects.create(setting=setting, code=code, name=f"Year {code}", position=9)
    Enrolment.objects.filter(child=child).update(year_group=yg)


def test_the_phase_transfer_list_shows_movers_by_receiving_setting(world, as_user):
    _year6(world, world.other_setting_child, world.other_setting)  # Cara: EHC plan, Year 6 at A2
    EhcPlan.objects.create(
        child=world.other_setting_child, issued_on=date(2020, 1, 1), start_date=date(2020, 1, 1)
    )
    page = as_user("other_setting").get(reverse("transitions:phase")).content.decode()
    assert world.other_setting_child.full_name in page and "Primary to secondary" in page
    csv = as_user("other_setting").get(reverse("transitions:phase-export", args=["csv"]))
    assert world.other_setting_child.full_name in csv.content.decode()
    xlsx = as_user("other_setting").get(reverse("transitions:phase-export", args=["xlsx"]))
    assert xlsx.content[:2] == b"PK"
    # Year 2 to 3 at a school that has Year 3 is not a change of phase.
    _year6(world, world.child, world.setting, code="2")
    page = as_user("sendco").get(reverse("transitions:phase")).content.decode()
    assert "Infant to junior" not in page


# The authority's figures


def test_la_officers_see_only_suppressed_transition_figures(world, as_user):
    plan = _plan(world)
    services.end_plan(
        actor=Actor(user=world.users["sendco"]),
        plan=plan,
        outcome=Outcome.RETURNED,
        ended_on=TODAY,
    )
    officer = as_user("la_officer").get(reverse("transitions:authority")).content.decode()
    assert "1 to 7" in officer and world.child.full_name not in officer
    exact = as_user("la_admin").get(reverse("transitions:authority")).content.decode()
    assert "Exact" not in officer
    assert '<td class="govuk-table__cell">1</td>' in exact
    csv = as_user("la_officer").get(reverse("transitions:authority-export", args=["csv"]))
    assert "1 to 7" in csv.content.decode() and "North" in csv.content.decode()


def test_the_plan_list_and_page_do_not_grow_with_plans_steps_or_reviews(world, as_user):
    from tests.test_page_queries import _count

    plan = _plan(world)
    client = as_user("caseworker")
    few_list, _ = _count(client, reverse("transitions:list"))
    few_page, _ = _count(client, reverse("transitions:plan", args=[plan.pk]))
    actor = Actor(user=world.users["sendco"])
    day = plan.started_on
    for step in ("family_views", "adviser_invited"):
        services.record_step(actor=actor, plan=plan, step=step, done_on=day)
    services.record_step(
        actor=actor, plan=plan, step="annual_review", done_on=day, outcome="pursue"
    )
    for n in range(3):
        services.record_review(
            actor=actor, plan=plan, held_on=day + timedelta(days=n), notes="ok", decision="continue"
        )
    _plan(world, template="enhanced-transition")
    many_list, html = _count(client, reverse("transitions:list"))
    many_page, _ = _count(client, reverse("transitions:plan", args=[plan.pk]))
    assert (many_list, many_page) == (few_list, few_page)
    assert html.count('href="/transitions/') >= 2


def test_a_plan_amended_after_its_review_is_in_time(world):
    from vsend.statutory.models import Case, CaseStep

    child = world.other_setting_child
    plan = EhcPlan.objects.create(
        child=child, issued_on=date(2020, 1, 1), start_date=date(2020, 1, 1)
    )
    review = Case.objects.create(
        child=child,
        kind="annual_review",
        workflow="annual-review",
        workflow_version=1,
        started_on=date(2026, 1, 1),
        plan=plan,
    )
    CaseStep.objects.create(case=review, step="amended_plan", done_on=date(2027, 2, 1))
    amended = phase_transfer.amended_since([child.pk], date(2026, 9, 1))
    assert amended == {child.pk: date(2027, 2, 1)}
    assert phase_transfer.state(date(2027, 2, 15), amended[child.pk], date(2027, 3, 1)) == "amended"
    assert phase_transfer.amended_since([child.pk], date(2027, 9, 1)) == {}


def test_naming_the_receiving_setting_lets_its_sendco_see_the_plan(world, as_user):
    plan = _plan(world, receiving=False)
    url = reverse("transitions:plan", args=[plan.pk])
    assert as_user("other_setting").get(url).status_code == 404
    response = as_user("sendco").post(
        reverse("transitions:receiving", args=[plan.pk]),
        {"receiving_setting": str(world.other_setting.pk)},
    )
    assert response.status_code == 302
    assert as_user("other_setting").get(url).status_code == 200
    bad = as_user("sendco").post(
        reverse("transitions:receiving", args=[plan.pk]), {"receiving_setting": "99999"}
    )
    assert "Choose a setting from the list" in bad.content.decode()
    assert (
        AuditEvent.objects.filter(
            object_type="transition_plan", summary__contains="receiving setting"
        ).count()
        == 1
    )


def test_a_double_click_on_start_makes_one_plan(world, as_user):
    client = as_user("sendco")
    url = reverse("transitions:start", args=[world.child.pk])
    page = client.get(url).content.decode()
    token = re.search(r'name="submission_token" value="([^"]+)"', page)
    day = TODAY - timedelta(days=3)
    data = {
        "template": "enhanced-transition",
        "sending_setting": str(world.setting.pk),
        "receiving_setting": str(world.other_setting.pk),
        "started_on-day": str(day.day),
        "started_on-month": str(day.month),
        "started_on-year": str(day.year),
        "note": "",
    }
    assert token is not None
    data["submission_token"] = token.group(1)
    first = client.post(url, data)
    second = client.post(url, data)
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert TransitionPlan.objects.filter(child=world.child).count() == 1


def test_the_sending_side_records_the_profile_and_plan_as_sent(world, as_user):
    from tests.test_insights import make_profile

    child = world.other_setting_child
    _year6(world, child, world.other_setting)
    EhcPlan.objects.create(child=child, issued_on=date(2020, 1, 1), start_date=date(2020, 1, 1))
    make_profile(child, 1, date(2026, 3, 10), [2, 1, 1, 0, 1], by=world.users["other_setting"])
    services.start_plan(
        actor=Actor(user=world.users["other_setting"]),
        child=child,
        template="enhanced-transition",
        sending_setting=world.other_setting,
        receiving_setting=world.setting,
        started_on=TODAY,
    )
    client = as_user("other_setting")
    page = client.get(reverse("transitions:phase")).content.decode()
    assert "Record as sent" in page
    url = reverse("transitions:shared", args=[child.pk])
    assert client.post(url).status_code == 302
    assert client.post(url).status_code == 302  # a second press changes nothing
    page = client.get(reverse("transitions:phase")).content.decode()
    assert "Record as sent" not in page
    csv = client.get(reverse("transitions:phase-export", args=["csv"])).content.decode()
    row = next(line for line in csv.splitlines() if child.full_name in line)
    assert row.startswith("Setting A1,") and ",Yes,Yes," in row
    assert AuditEvent.objects.filter(object_type="phase_transfer_sharing").count() == 1
    # The receiving SENDCo cannot record it for the sending side.
    assert as_user("sendco").post(url).status_code == 404
