"""Special-school place planning in a browser: the authority's view (an administrator at desktop
width, an LA officer on a 320 px phone), a designation changed with a mistake first, the home
areas form and a child's placement facts; axe clean throughout."""

import pytest
from django.urls import reverse

from tests.browser.conftest import assert_accessible
from tests.browser.test_phone_width import PHONE, assert_no_sideways_scroll
from tests.browser.test_profile_journey import sign_in
from tests.test_places import places as places  # noqa: F401 - the hand-made authority
from vsend.places.models import Designation

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_administrator_changes_a_designation_and_reads_the_plan(page, world, places):  # noqa: F811
    sign_in(page, "la.admin@example.org", reverse("places:authority"))
    assert "Near School" in page.inner_text("main")
    page.click("text=How the forecast is worked out")
    assert_accessible(page, "pl01-authority")
    page.click("text=Change designations, places and home areas")
    assert_accessible(page, "pl02-schools")
    page.click("a:has-text('Change Near School')")
    page.check("input[name='scope'][value='some']")
    page.fill("#id_places", "many")
    page.click("button:has-text('Save designation')")
    summary = page.inner_text(".govuk-error-summary")
    assert "Choose at least one need, or choose all needs" in summary
    assert "Places must be a whole number, like 80" in summary
    assert page.input_value("#id_places") == "many"
    assert_accessible(page, "pl03-designation-error")
    page.check("input[name='needs'][value='ASD']")
    page.fill("#id_places", "4")
    page.click("button:has-text('Save designation')")
    page.wait_for_url("**/schools/")
    d = Designation.objects.get(setting=places["near"])
    assert (d.needs, d.places) == ("ASD", 4)
    page.click("text=Change home areas")
    assert "D1, district, 500000, 300000" in page.input_value("#id_rows")
    assert_accessible(page, "pl04-areas")


def test_caseworker_records_a_placement(page, world, places):  # noqa: F811
    sign_in(page, "caseworker@example.org", reverse("places:placement", args=[world.child.pk]))
    page.select_option("#id_home_area", label="D2 (postcode district)")
    page.fill("#id_home_tuition_since-day", "1")
    page.fill("#id_home_tuition_since-month", "9")
    page.fill("#id_home_tuition_since-year", "2026")
    page.click("button:has-text('Save placement')")
    assert "Enter the date they began awaiting a place" in page.inner_text(".govuk-error-summary")
    assert_accessible(page, "pl05-placement-error")
    page.fill("#id_awaiting_since-day", "1")
    page.fill("#id_awaiting_since-month", "6")
    page.fill("#id_awaiting_since-year", "2026")
    page.click("button:has-text('Save placement')")
    page.wait_for_url(f"**{reverse('children:detail', args=[world.child.pk])}")
    assert world.child.placement.home_tuition_since is not None


def test_officer_on_a_phone_sees_suppressed_figures(browser, live_server, world, places):  # noqa: F811
    context = browser.new_context(bypass_csp=True, viewport=PHONE, base_url=live_server.url)
    page = context.new_page()
    try:
        sign_in(page, "la.officer@example.org", reverse("places:authority"))
        text = page.inner_text("main")
        assert "1 to 7" in text and "Free places" not in text
        assert_no_sideways_scroll(page, "places-officer-320")
        assert_accessible(page, "pl06-officer-320")
    finally:
        context.close()
