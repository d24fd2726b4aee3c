"""A setting asks for an EHC needs assessment; the caseworker records the decision to assess and
an advice request; the family sees where the case is, on a phone. Axe-clean at every page."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.browser.conftest import assert_accessible
from tests.conftest import PASSWORD
from vsend.statutory.models import Case

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _signed_in(browser, live_server, email, next_path, viewport=None):
    context = browser.new_context(
        bypass_csp=True,
        viewport=viewport or {"width": 1200, "height": 900},
        base_url=live_server.url,
    )
    page = context.new_page()
    page.goto(f"/sign-in/?next={next_path}")
    page.fill("#id_username", email)
    page.fill("#id_password", PASSWORD)
    page.click("button:has-text('Sign in')")
    return context, page


def _date(page, field, day):
    page.fill(f"#id_{field}-day", str(day.day))
    page.fill(f"#id_{field}-month", str(day.month))
    page.fill(f"#id_{field}-year", str(day.year))


def test_a_request_goes_from_the_setting_to_the_caseworker_and_the_family_sees_it(
    browser, live_server, world
):
    today = timezone.localdate()
    child_url = f"/children/{world.child.pk}/"

    # Given the SENDCo on the child's record
    context, page = _signed_in(browser, live_server, "sendco@example.org", child_url)
    page.wait_for_url(f"**{child_url}")
    page.click("a:has-text('Ask for an EHC needs assessment')")
    assert page.locator("h1").inner_text() == "Ask for an EHC needs assessment"
    assert_accessible(page, "statutory-01-request")

    # When they send it without saying why, the error summary says what to do
    page.fill("#id_family_views", "Mum worries about the move to Year 4")
    page.click("button:has-text('Send the request')")
    page.wait_for_selector(".govuk-error-summary")  # the answer has arrived
    assert page.title().startswith("Error: ")
    assert "Say why you are asking" in page.locator(".govuk-error-summary").inner_text()
    assert page.input_value("#id_family_views") == "Mum worries about the move to Year 4"
    assert_accessible(page, "statutory-02-request-error")

    # Then with the reasons it is received today, with its 6-week decision date
    page.fill("#id_reasons", "Three terms of support have not closed the gap in reading.")
    page.click("button:has-text('Send the request')")
    page.wait_for_url("**/statutory/cases/*/")
    case = Case.objects.get(child=world.child)
    assert case.started_on == today and case.requester == "setting"
    decision_due = today + timedelta(weeks=6)
    assert f"{decision_due.day} {decision_due:%B %Y}" in page.locator("table").inner_text()
    assert_accessible(page, "statutory-03-case-sendco")
    context.close()

    # When the caseworker opens their deadlines and records the decision to assess
    context, page = _signed_in(
        browser, live_server, "caseworker@example.org", "/statutory/worklist/"
    )
    page.wait_for_url("**/statutory/worklist/")
    assert "All open cases (1)" in page.locator("main").inner_text()
    assert_accessible(page, "statutory-04-worklist")
    page.click("a:has-text('EHC needs assessment')")
    assert_accessible(page, "statutory-05-case-caseworker")
    page.click("a:has-text('Decide whether to carry out an EHC needs assessment')")
    _date(page, "done_on", today)
    page.check("input[name='outcome'][value='assess']")
    assert_accessible(page, "statutory-06-decision")
    page.click("button:has-text('Save')")
    page.wait_for_url(f"**/statutory/cases/{case.pk}/")

    # And asks the educational psychologist for advice
    page.click("a:has-text('Ask for advice')")
    page.check("input[value='psychological']")
    _date(page, "asked_on", today)
    assert_accessible(page, "statutory-07-advice")
    page.click("button:has-text('Save')")
    page.wait_for_url(f"**/statutory/cases/{case.pk}/")
    table = page.locator("table").inner_text()
    assert "Psychological advice" in table and "Carry out an assessment" in table
    context.close()
    assert case.steps.filter(step="advice", item="psychological", done_on=None).exists()

    # Then the parent, on a phone, sees where the case is in plain English
    context, page = _signed_in(
        browser, live_server, "parent@example.org", child_url, {"width": 375, "height": 740}
    )
    page.wait_for_url(f"**{child_url}")
    page.click("a:has-text('EHC needs assessment from')")
    main = page.locator("main").inner_text()
    assert "What happens next" in main and "What has happened" in main
    advice_due = today + timedelta(weeks=6)
    assert f"{advice_due.day} {advice_due:%B %Y}" in main
    assert "the decision was to carry out an assessment" in main
    assert "qualif" not in main.lower()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert_accessible(page, "statutory-08-family-phone")
    context.close()


def test_a_parent_asks_one_question_a_page_on_a_phone(browser, live_server, world):
    child_url = f"/children/{world.child.pk}/"
    context, page = _signed_in(
        browser, live_server, "parent@example.org", child_url, {"width": 375, "height": 740}
    )
    page.wait_for_url(f"**{child_url}")
    page.click("a:has-text('Ask for an EHC needs assessment')")
    assert_accessible(page, "statutory-family-01-reasons")
    page.click("button:has-text('Continue')")  # nothing typed: the error says what to do
    page.wait_for_selector(".govuk-error-summary")  # the answer has arrived
    assert page.title().startswith("Error: ")
    assert_accessible(page, "statutory-family-02-reasons-error")
    page.fill("#id_answer", "Reading and writing are very hard for her.")
    page.click("button:has-text('Continue')")
    assert_accessible(page, "statutory-family-03-family")
    page.fill("#id_answer", "We want her to enjoy school again.")
    page.click("button:has-text('Continue')")
    page.fill("#id_answer", "She likes drawing.")
    page.click("button:has-text('Continue')")
    assert "We want her to enjoy school again." in page.locator("main").inner_text()
    assert_accessible(page, "statutory-family-04-check")
    page.click("button:has-text('Send the request')")
    page.wait_for_url("**/statutory/cases/*/")
    assert "What happens next" in page.locator("main").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert_accessible(page, "statutory-family-05-case")
    context.close()
    assert Case.objects.get(child=world.child).requester == "parent"
