"""A SENDCo signs in, filters the children list and opens a record, in a real browser."""

import pytest

from tests.browser.conftest import assert_accessible
from tests.conftest import PASSWORD
from vsend.audit.models import Action, AuditEvent

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_sendco_finds_and_opens_a_childs_record(page, world):
    # Given a SENDCo at the sign-in page
    page.goto("/children/")
    assert page.url.endswith("/sign-in/?next=/children/")
    assert_accessible(page, "01-sign-in")

    # When they get their password wrong, the error summary says so and keeps their email
    page.fill("#id_username", "sendco@example.org")
    page.fill("#id_password", "not-the-password")
    page.click("button:has-text('Sign in')")
    page.wait_for_selector(".govuk-error-summary")  # the answer has arrived
    assert page.title().startswith("Error: ")
    summary = page.locator(".govuk-error-summary")
    assert "Enter a correct email address and password" in summary.inner_text()
    assert page.input_value("#id_username") == "sendco@example.org"
    assert_accessible(page, "02-sign-in-error")

    # When they sign in, they land on the children list they asked for
    page.fill("#id_password", PASSWORD)
    page.click("button:has-text('Sign in')")
    page.wait_for_url("**/children/")
    assert page.locator("#result-count").inner_text() == "3 children"
    assert_accessible(page, "03-children")

    # When they filter to Year 3 children on SEN support
    page.select_option("#id_year", "3")
    page.select_option("#id_sen_provision", "K")
    page.click("button:has-text('Apply filters')")
    assert page.locator("#result-count").inner_text() == "1 child match your filters"
    assert page.locator("table tbody tr").count() == 1
    assert_accessible(page, "04-children-filtered")

    # Then they open the record
    page.click("a:has-text('Amelia Test')")
    assert page.locator("h1").inner_text() == "Amelia Test"
    assert "Autistic spectrum disorder" in page.locator(".govuk-summary-list").first.inner_text()
    assert_accessible(page, "05-child-record")
    assert AuditEvent.objects.filter(action=Action.VIEW, child_id=world.child.pk).count() == 1

    # And they can see who has opened it
    page.click("a:has-text('Who has opened or changed this record')")
    assert "sendco@example.org" in page.locator("table").inner_text()
    assert_accessible(page, "06-access-history")


def test_adding_a_child_with_mistakes_shows_every_error_and_keeps_the_answers(page, world):
    page.goto("/sign-in/?next=/children/new/")
    page.fill("#id_username", "sendco@example.org")
    page.fill("#id_password", PASSWORD)
    page.click("button:has-text('Sign in')")
    page.wait_for_url("**/children/new/")
    assert_accessible(page, "07-add-child")

    page.fill("#id_first_name", "Freya")
    page.fill("#id_last_name", "Stone")
    page.fill("#id_date_of_birth-day", "31")
    page.fill("#id_date_of_birth-month", "2")
    page.fill("#id_date_of_birth-year", "2018")
    page.fill("#id_upn", "A12345")
    page.click("button:has-text('Add child')")
    page.wait_for_selector(".govuk-error-summary")  # the answer has arrived
    assert page.title().startswith("Error: ")
    summary = page.locator(".govuk-error-summary").inner_text()
    assert "Date of birth must be a real date" in summary
    assert "UPN must be 13 characters" in summary
    assert "Select the child's sex" in summary
    assert page.input_value("#id_first_name") == "Freya"
    assert page.input_value("#id_upn") == "A12345"
    # The summary's links take the user to the field.
    page.click(".govuk-error-summary a:has-text('UPN must be 13 characters')")
    assert page.evaluate("document.activeElement.id") == "id_upn"
    assert_accessible(page, "08-add-child-errors")


def test_the_accessibility_check_can_fail(page):
    page.set_content("<html><body><img src='x.png'><input type='text'></body></html>")
    with pytest.raises(AssertionError, match="image-alt"):
        assert_accessible(page, "00-deliberately-broken")


def test_a_review_checks_last_times_readiness_area_by_area_with_the_keyboard(page, world):
    """In a review, each area of readiness and of the plan is its own short page: last time's
    answers are shown to check, and a keyboard user reaches "Save and continue" in a few Tabs."""
    from django.test import Client

    from tests.profile_helpers import READINESS, complete_profile
    from vsend.frameworks.loader import DOMAIN_KEYS
    from vsend.profiles.models import Profile

    client = Client()
    client.force_login(world.users["sendco"])
    first = complete_profile(client, world.child)
    client.post(f"/profiles/{first}/review/")
    second = Profile.objects.get(child=world.child, number=2)

    page.goto(f"/sign-in/?next=/profiles/{second.pk}/tasks/")
    page.fill("#id_username", "sendco@example.org")
    page.fill("#id_password", PASSWORD)
    page.click("button:has-text('Sign in')")
    page.wait_for_url(f"**/profiles/{second.pk}/tasks/")
    readiness = page.locator(f"a[href='/profiles/{second.pk}/readiness/{DOMAIN_KEYS[1]}/']")
    item = page.locator(".govuk-task-list__item", has=readiness)
    assert "Check last time's rating" in item.inner_text()
    assert "In progress" in item.inner_text()
    readiness.click()
    key = DOMAIN_KEYS[1]
    level = page.locator(f"input[name='readiness__{key}'][value='{READINESS[key]}']")
    assert level.is_checked()  # last time's answer, to check

    # Keyboard only: from the level chosen, Tab to the note, type, Tab to the button, Enter.
    level.focus()
    page.keyboard.press("Tab")
    page.keyboard.type("Checked with the class teacher")
    presses = 0
    while presses < 10:
        page.keyboard.press("Tab")
        presses += 1
        if page.evaluate("document.activeElement.textContent.trim()") == "Save and continue":
            break
    assert presses <= 2, presses
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/readiness/{DOMAIN_KEYS[2]}/")
    saved = Profile.objects.get(pk=second.pk).ratings.get(domain=key)
    assert saved.readiness_note == "Checked with the class teacher"
    assert f"readiness:{key}" in Profile.objects.get(pk=second.pk).completed_steps
    assert_accessible(page, "07-review-readiness-area")
