"""An annual review: the SENDCo opens it with the child's latest profile, the change since the
last review, the provision received and the plan's outcomes by area already pulled in; records
the invitations, the meeting and the report; the caseworker records the authority's decision;
the family sees it on a phone. Axe-clean at every page."""

from datetime import date, timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.browser.conftest import assert_accessible
from tests.browser.test_statutory_journey import _date, _signed_in
from tests.profile_helpers import day, lock, start_profile, step_data
from vsend.audit.services import Actor
from vsend.profiles.models import Profile
from vsend.statutory import services
from vsend.statutory.models import Case

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _steps(client, pk: int, extra_for) -> None:
    for step in ("about", "needs", "readiness", "home", "plan"):
        response = client.post(
            reverse("profiles:step", kwargs={"pk": pk, "step": step}),
            step_data(step, pk, **extra_for(step)),
        )
        assert response.status_code == 302, step
    client.post(reverse("profiles:finalise", kwargs={"pk": pk}), {"lock_version": lock(pk)})


def _reviewable_plan(world):
    """A plan issued 11 months ago, its outcome naming two areas, and two profiles: one from
    before the plan and the latest, in which social and emotional need has come down."""
    sendco = Client()
    sendco.force_login(world.users["sendco"])
    issued = timezone.localdate() - timedelta(days=335)
    first = start_profile(sendco, world.child)
    _steps(sendco, first, lambda step: {"need__semh": "3"} if step == "needs" else {})
    Profile.objects.filter(pk=first).update(assessment_date=issued - timedelta(days=60))
    sendco.post(reverse("profiles:review", kwargs={"pk": first}))
    second = Profile.objects.get(child=world.child, number=2)
    outcome = Profile.objects.get(pk=first).outcomes.get()

    def review(step: str) -> dict[str, str]:
        return {
            "about": day("assessment_date", timezone.localdate() - timedelta(days=7)),
            "needs": {"need__semh": "1"},
            "plan": {f"review__{outcome.pk}": "achieved"},
        }.get(step, {})

    _steps(sendco, second.pk, review)
    actor = Actor(user=world.users["caseworker"])
    case = services.request_assessment(
        actor=actor,
        child=world.child,
        requester="parent",
        reasons="Reading",
        received_on=issued - timedelta(weeks=19),
    )
    plan = services.issue_final_plan(
        actor=actor,
        case=case,
        details=services.PlanDetails(issued_on=issued, start_date=issued, sen_setting="OTH"),
        sections={"e": "See the outcomes by area", "f": "Daily small-group support"},
    )
    services.add_plan_outcome(
        actor=actor,
        plan=plan,
        areas=["semh", "communication_interaction"],
        outcome="Joins a group game at break on most days",
        provision="A lunchtime club three times a week",
        by_when=date(issued.year + 1, 7, 20),
    )
    return plan, plan.reviews.get()


def test_an_annual_review_prepared_held_reported_and_decided(browser, live_server, world):
    plan, review = _reviewable_plan(world)
    today = timezone.localdate()
    review_url = f"/statutory/cases/{review.pk}/"

    # Given the SENDCo opens the review: the latest profile and the change are already there
    context, page = _signed_in(browser, live_server, "sendco@example.org", review_url)
    page.wait_for_url(f"**{review_url}")
    main = page.locator("main").inner_text()
    assert "Need, provision and outcomes by area" in main
    row = page.locator("tr", has_text="Social, emotional and mental health").inner_text()
    assert "down 2 from 3" in row and "Joins a group game at break" in row
    assert_accessible(page, "review-01-prepare-sendco")

    # When they record the invitations, the meeting and the report
    page.click("a:has-text('Invite everyone and circulate advice')")
    assert_accessible(page, "review-02-invitations")
    _date(page, "done_on", today - timedelta(days=15))
    page.click("button:has-text('Save')")
    page.wait_for_url(f"**{review_url}")
    page.click("a:has-text('Hold the review meeting')")
    page.click("button:has-text('Save')")  # no date: the error says what to do
    page.wait_for_selector(".govuk-error-summary")  # the answer has arrived
    assert page.title().startswith("Error: ")
    assert_accessible(page, "review-03-meeting-error")
    _date(page, "done_on", today - timedelta(days=1))
    page.click("button:has-text('Save')")
    page.wait_for_url(f"**{review_url}")
    page.click("a:has-text('Send the review report')")
    _date(page, "done_on", today)
    page.click("button:has-text('Save')")
    page.wait_for_url(f"**{review_url}")
    table = page.locator("table", has_text="Milestones").inner_text()
    assert "Decide to keep, amend or cease the plan" in table
    assert_accessible(page, "review-04-reported")
    context.close()

    # Then the caseworker records the authority's decision
    context, page = _signed_in(browser, live_server, "caseworker@example.org", review_url)
    page.wait_for_url(f"**{review_url}")
    page.click("a:has-text('Decide to keep, amend or cease the plan')")
    _date(page, "done_on", today)
    page.check("input[name='outcome'][value='maintain']")
    assert_accessible(page, "review-05-decision")
    page.click("button:has-text('Save')")
    page.wait_for_url(f"**{review_url}")
    assert "Review finished" in page.locator("main").inner_text()
    assert_accessible(page, "review-06-decided")
    context.close()
    review.refresh_from_db()
    assert review.closed_on == today
    assert Case.objects.filter(plan=plan, kind="annual_review", closed_on__isnull=True).exists()

    # And the family sees the review and its decision on a phone
    context, page = _signed_in(
        browser, live_server, "parent@example.org", review_url, {"width": 320, "height": 700}
    )
    page.wait_for_url(f"**{review_url}")
    main = page.locator("main").inner_text()
    assert "Joins a group game at break" in main and "What has happened" in main
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    assert_accessible(page, "review-07-family-phone")
    context.close()


def test_a_caseworker_enters_a_letter_adds_an_outcome_and_a_family_withdraws(
    browser, live_server, world
):
    today = timezone.localdate()
    received = today - timedelta(days=12)
    child_url = f"/children/{world.child.pk}/"

    # Given a caseworker enters a parent's letter with the day it arrived
    context, page = _signed_in(browser, live_server, "caseworker@example.org", child_url)
    page.wait_for_url(f"**{child_url}")
    page.click("a:has-text('Enter a request received by letter or email')")
    assert_accessible(page, "paper-01-letter")
    page.check("input[name='requester'][value='parent']")
    page.check("input[name='received_how'][value='letter']")
    _date(page, "received_on", received)
    page.click("button:has-text('Enter the request')")  # no reasons: the error keeps the rest
    page.wait_for_selector(".govuk-error-summary")  # the answer has arrived
    assert page.title().startswith("Error: ")
    assert page.is_checked("input[name='received_how'][value='letter']")
    assert "Say why the request was made" in page.locator(".govuk-error-summary").inner_text()
    assert_accessible(page, "paper-02-letter-error")
    page.fill("#id_reasons", "Mum's letter says reading has not improved since Year 2.")
    page.click("button:has-text('Enter the request')")
    page.wait_for_url("**/statutory/cases/*/")
    decision_due = received + timedelta(weeks=6)
    assert f"{decision_due.day} {decision_due:%B %Y}" in page.locator("table").inner_text()
    assert "By letter" in page.locator("main").inner_text()
    context.close()

    # When the parent, on a phone, withdraws it
    case = Case.objects.get(child=world.child)
    context, page = _signed_in(
        browser,
        live_server,
        "parent@example.org",
        f"/statutory/cases/{case.pk}/",
        {"width": 320, "height": 700},
    )
    page.wait_for_url(f"**/statutory/cases/{case.pk}/")
    page.click("a:has-text('Withdraw the request')")
    assert_accessible(page, "paper-03-withdraw-phone")
    _date(page, "on", today)
    page.fill("#id_reason", "The new reading support is working.")
    page.click("button:has-text('Save')")
    page.wait_for_url(f"**/statutory/cases/{case.pk}/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    assert_accessible(page, "paper-04-withdrawn-phone")
    context.close()
    case.refresh_from_db()
    assert case.withdrawn and case.withdrawn_by == "family"


def test_a_caseworker_adds_an_outcome_for_two_areas(browser, live_server, world):
    plan, _ = _reviewable_plan(world)
    plan_url = f"/statutory/plans/{plan.pk}/"
    context, page = _signed_in(browser, live_server, "caseworker@example.org", plan_url)
    page.wait_for_url(f"**{plan_url}")
    assert_accessible(page, "outcome-01-plan")
    page.click("a:has-text('Add an outcome for one or more areas')")
    page.fill("#id_outcome", "Reads a short book on their own")
    page.click("button:has-text('Add the outcome')")  # no area chosen
    assert "Choose the area or areas" in page.locator(".govuk-error-summary").inner_text()
    assert page.input_value("#id_outcome") == "Reads a short book on their own"
    assert_accessible(page, "outcome-02-error")
    page.check("input[name='areas'][value='cognition_learning']")
    page.check("input[name='areas'][value='independence']")
    page.fill("#id_provision", "Daily paired reading with a trained assistant")
    page.click("button:has-text('Add the outcome')")
    page.wait_for_url(f"**{plan_url}*")
    row = page.locator("tr", has_text="Cognition and learning").inner_text()
    assert "Reads a short book on their own" in row
    context.close()
    context, page = _signed_in(
        browser, live_server, "caseworker@example.org", plan_url, {"width": 320, "height": 700}
    )
    page.wait_for_url(f"**{plan_url}")
    assert_accessible(page, "outcome-03-plan-phone")
    context.close()
