"""A caseworker changes and removes an EHC plan outcome, sees a phase-transfer deadline on their
work list, and a transition plan referred for assessment leads to the request. Axe-clean, at a
desktop width and at 320 px."""

from datetime import date, timedelta
from unittest import mock

import pytest
from django.utils import timezone

from tests.browser.conftest import assert_accessible
from tests.browser.test_review_journey import _reviewable_plan
from tests.browser.test_statutory_journey import _signed_in
from tests.test_worklist_phase_transfer import _mover
from vsend.audit.services import Actor
from vsend.transitions import services as transitions
from vsend.transitions.models import Outcome

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 320, "height": 700}


def test_a_caseworker_changes_then_removes_an_outcome(browser, live_server, world):
    plan, _ = _reviewable_plan(world)
    first = plan.outcomes.order_by("position", "pk").first()
    plan_url = f"/statutory/plans/{plan.pk}/"
    context, page = _signed_in(browser, live_server, "caseworker@example.org", plan_url)
    page.wait_for_url(f"**{plan_url}")
    page.locator("#outcomes ~ dl a:has-text('Change')").first.click()
    assert page.input_value("#id_outcome") == first.outcome
    page.fill("#id_outcome", "")
    page.click("button:has-text('Save the changes')")
    assert "outcome" in page.locator(".govuk-error-summary").inner_text().lower()
    assert_accessible(page, "gaps-01-outcome-change-error")
    page.fill("#id_outcome", "Plays a team game at break")
    page.check("input[name='areas'][value='independence']")
    page.click("button:has-text('Save the changes')")
    page.wait_for_url(f"**{plan_url}*")
    assert "Plays a team game at break" in page.locator("#outcomes ~ dl").inner_text()
    assert_accessible(page, "gaps-02-plan-outcomes")
    page.locator("#outcomes ~ dl a:has-text('Remove')").first.click()
    assert_accessible(page, "gaps-03-outcome-remove")
    page.click("button:has-text('Remove the outcome')")
    page.wait_for_url(f"**{plan_url}*")
    assert "Plays a team game at break" not in page.locator("#outcomes").locator("..").inner_text()
    context.close()
    context, page = _signed_in(browser, live_server, "caseworker@example.org", plan_url, PHONE)
    page.wait_for_url(f"**{plan_url}")
    assert_accessible(page, "gaps-04-plan-phone")
    context.close()


def test_the_worklist_and_a_referred_transition_plan(browser, live_server, world):
    _mover(world, world.child)
    today = timezone.localdate()
    plan = transitions.start_plan(
        actor=Actor(user=world.users["sendco"]),
        child=world.child,
        template="enhanced-transition",
        sending_setting=world.setting,
        receiving_setting=None,
        started_on=today - timedelta(days=60),
    )
    transitions.end_plan(
        actor=Actor(user=world.users["sendco"]),
        plan=plan,
        outcome=Outcome.REFERRED,
        ended_on=today,
    )
    with mock.patch("vsend.statutory.views.timezone.localdate", return_value=date(2027, 2, 1)):
        for name, size in (("desktop", None), ("phone", PHONE)):
            context, page = _signed_in(
                browser, live_server, "caseworker@example.org", "/statutory/worklist/", size
            )
            page.wait_for_url("**/statutory/worklist/")
            assert world.child.full_name in page.locator("#phase-transfer").inner_text()
            assert_accessible(page, f"gaps-05-worklist-{name}")
            context.close()
    context, page = _signed_in(
        browser, live_server, "sendco@example.org", f"/transitions/{plan.pk}/"
    )
    page.wait_for_url(f"**/transitions/{plan.pk}/")
    assert "Ask for an EHC needs assessment" in page.locator("#referral").inner_text()
    assert_accessible(page, "gaps-06-transition-referred")
    context.close()
