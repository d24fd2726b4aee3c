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
