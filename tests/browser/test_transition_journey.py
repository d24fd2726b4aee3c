"""A special school's SENDCo starts a plan to move a child back to mainstream; the receiving
mainstream school's SENDCo finds it, steps are completed and a review is recorded; the plan ends
with its outcome and the family sees it in plain words on a phone. Axe-clean at every page."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from tests.browser.conftest import assert_accessible
from tests.browser.test_statutory_journey import _date, _signed_in
from tests.test_insights import make_profile
from vsend.children.models import Enrolment
from vsend.organisations.models import Setting, YearGroup
from vsend.transitions.models import TransitionPlan

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_special_school_plans_a_move_to_mainstream_with_the_receiving_school(
    browser, live_server, world
):
    Setting.objects.filter(pk=world.setting.pk).update(
        setting_type="special", name="Oak Tree Special School"
    )
    Setting.objects.filter(pk=world.other_setting.pk).update(name="Meadow Primary School")
    # The child is in Year 6, moving to secondary school next September too, with a profile.
    year6 = YearGroup.objects.create(setting=world.setting, code="6", name="Year 6", position=8)
    Enrolment.objects.filter(child=world.child).update(year_group=year6)
    make_profile(world.child, 1, date(2026, 3, 10), [2, 1, 1, 0, 1], by=world.users["sendco"])
    today = timezone.localdate()
    child_url = f"/children/{world.child.pk}/"

    # Given the special school's SENDCo on the child's record
    context, page = _signed_in(browser, live_server, "sendco@example.org", child_url)
    page.wait_for_url(f"**{child_url}")
    page.click("a:has-text('Start a transition plan')")
    assert page.locator("h1").inner_text() == "Start a transition plan"
    assert_accessible(page, "transition-01-start")

    # When they start it without choosing the kind of plan, they are told what to do
    page.select_option("#id_receiving_setting", label="Meadow Primary School")
    page.click("button:has-text('Start the plan')")
    page.wait_for_selector(".govuk-error-summary")  # the answer has arrived
    assert page.title().startswith("Error: ")
    assert "Choose the kind of transition plan" in page.locator(".govuk-error-summary").inner_text()
    assert_accessible(page, "transition-02-start-error")

    # Then with the kind and the date, the plan shows its steps and who acts next
    page.check("input[name='template'][value='special-to-mainstream']")
    _date(page, "started_on", today - timedelta(days=30))
    page.click("button:has-text('Start the plan')")
    page.wait_for_url("**/transitions/*/")
    plan = TransitionPlan.objects.get(child=world.child)
    assert plan.receiving_setting_id == world.other_setting.pk
    main = page.locator("main").inner_text()
    assert "Next to act: SENDCo at Oak Tree Special School" in main
    assert_accessible(page, "transition-03-plan")

    # And they record the talk with the family and the annual review's decision to plan a move
    page.click("a:has-text('Talk with the family about a possible move')")
    _date(page, "done_on", today - timedelta(days=20))
    page.fill("#id_note", "Family keen; worried about the bigger playground.")
    assert_accessible(page, "transition-04-step")
    page.click("button:has-text('Save')")
    page.wait_for_url(f"**/transitions/{plan.pk}/")
    page.click("a:has-text('Hold the annual review and agree')")
    _date(page, "done_on", today - timedelta(days=10))
    page.check("input[name='outcome'][value='pursue']")
    page.click("button:has-text('Save')")
    page.wait_for_url(f"**/transitions/{plan.pk}/")
    assert "Plan a move to a mainstream school" in page.locator("table").inner_text()

    # And on the phase-transfer list they record the profile as sent to the receiving school
    page.click("a:has-text('Transitions')")
    page.click("a:has-text('children changing phase next September')")
    page.wait_for_url("**/transitions/phase-transfer/")
    row = page.locator("tr", has_text=world.child.full_name)
    assert "Meadow Primary School" in row.inner_text()
    assert_accessible(page, "transition-04b-phase-transfer")
    row.locator("button:has-text('Record as sent')").click()
    page.wait_for_url("**/transitions/phase-transfer/")
    assert "Record as sent" not in page.locator("main").inner_text()
    context.close()

    # When the receiving school's SENDCo (the child is not on their roll yet) opens their list
    context, page = _signed_in(browser, live_server, "sendco.a2@example.org", "/transitions/")
    page.wait_for_url("**/transitions/")
    assert world.child.full_name in page.locator("main").inner_text()
    assert_accessible(page, "transition-05-receiving-list")
    page.click(f"a:has-text('{world.child.full_name}')")
    page.wait_for_url(f"**/transitions/{plan.pk}/")
    assert "Meadow Primary School" in page.locator("main").inner_text()

    # Then they record a review of how the move is going
    page.click("a:has-text('Record a review')")
    _date(page, "held_on", today - timedelta(days=2))
    page.fill("#id_notes", "Two taster mornings went well; lunchtime needs a quiet table.")
    page.check("input[name='decision'][value='continue']")
    assert_accessible(page, "transition-06-review")
    page.click("button:has-text('Save')")
    page.wait_for_url(f"**/transitions/{plan.pk}/")
    assert "lunchtime needs a quiet table" in page.locator("main").inner_text()
    context.close()

    # And the caseworker records the outcome: the child has moved to mainstream
    context, page = _signed_in(
        browser, live_server, "caseworker@example.org", f"/transitions/{plan.pk}/"
    )
    page.wait_for_url(f"**/transitions/{plan.pk}/")
    page.click("a:has-text('Decide the outcome')")
    _date(page, "done_on", today)
    page.check("input[name='outcome'][value='returned_to_mainstream']")
    page.click("button:has-text('Save')")
    page.wait_for_url(f"**/transitions/{plan.pk}/")
    assert "Moved to the mainstream school" in page.locator(".govuk-inset-text").inner_text()
    assert_accessible(page, "transition-07-ended")
    context.close()
    plan.refresh_from_db()
    assert plan.outcome == "returned_to_mainstream" and plan.ended_on == today

    # Then the family sees the steps that concern them, on a phone
    context, page = _signed_in(
        browser, live_server, "parent@example.org", child_url, {"width": 320, "height": 700}
    )
    page.wait_for_url(f"**{child_url}")
    page.click("a:has-text('Special school to mainstream from')")
    main = page.locator("main").inner_text()
    assert "Talking with you about a move to a mainstream school" in main
    assert "transition adviser" not in main.lower()
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    assert_accessible(page, "transition-08-family-phone")
    context.close()
