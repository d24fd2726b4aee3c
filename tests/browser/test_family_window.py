"""A parent signs in, sees the home for their child with the next date, and opens "who opened or
changed the record" to find the SENDCo's look at the profile a moment before. Axe-clean, with
JavaScript off and on a 320 px phone."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.browser.conftest import assert_accessible
from tests.browser.test_phone_width import PHONE, assert_no_sideways_scroll
from tests.conftest import PASSWORD
from tests.profile_helpers import complete_profile
from vsend.profiles.models import Profile

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _parent(browser, live_server, viewport, javascript=True):
    context = browser.new_context(
        bypass_csp=True,
        viewport=viewport,
        base_url=live_server.url,
        java_script_enabled=javascript,
    )
    page = context.new_page()
    page.goto("/sign-in/")
    page.fill("#id_username", "parent@example.org")
    page.fill("#id_password", PASSWORD)
    page.click("button:has-text('Sign in')")
    page.wait_for_url("**/")
    return context, page


def test_a_parent_sees_their_childs_window_and_who_opened_the_profile(browser, live_server, world):
    # Given a finalised profile, which the SENDCo then opens
    sendco = Client()
    sendco.force_login(world.users["sendco"])
    pk = complete_profile(sendco, world.child)
    assert sendco.get(reverse("profiles:summary", kwargs={"pk": pk})).status_code == 200
    review = Profile.objects.get(pk=pk).review_date

    for viewport, javascript, name in (
        ({"width": 1200, "height": 900}, True, "desktop"),
        (PHONE, True, "phone"),
        (PHONE, False, "phone-no-js"),  # the same journey with JavaScript off (axe needs it)
    ):
        context, page = _parent(browser, live_server, viewport, javascript)
        # The home lists the child; their window shows the next date and the picture now
        page.click(f"a:has-text('{world.child.full_name}')")
        page.wait_for_url(f"**/family/{world.child.pk}/")
        assert page.locator("h1").inner_text() == f"How {world.child.first_name} is doing"
        next_date = page.locator("[data-next-date]").inner_text()
        assert f"{review.day} {review:%B %Y}" in next_date, next_date
        assert page.locator("[data-areas] .govuk-summary-list__row").count() == 5
        if javascript:
            assert_accessible(page, f"family-window-01-home-{name}")
        if viewport == PHONE:
            assert_no_sideways_scroll(page, "family home at 320 px")

        # Who opened the record: the SENDCo's look at the profile, by role and setting
        page.click("a:has-text('See who opened or changed the record')")
        page.wait_for_url(f"**/family/{world.child.pk}/who-opened/")
        log = page.locator("[data-log]").inner_text()
        assert "A SENDCo at Setting A1 looked at the profile." in log, log
        assert "You looked at the record." in log
        assert "Sendco" not in log  # no staff names by default
        if javascript:
            assert_accessible(page, f"family-window-02-access-{name}")
        if viewport == PHONE:
            assert_no_sideways_scroll(page, "family access log at 320 px")
        context.close()
