"""Both dashboards in a real browser, with axe (WCAG 2.2 AA)."""

import pytest

from tests.browser.conftest import assert_accessible
from tests.browser.test_profile_journey import sign_in
from tests.test_insights import data  # noqa: F401 - the hand-made data set, as a fixture

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_sendco_reads_the_setting_dashboard(page, data):  # noqa: F811
    sign_in(page, "sendco@example.org", f"/insight/settings/{data.setting.pk}/")
    assert "Needs across Setting A1" in page.inner_text("h1")
    assert page.locator("svg.vsend-insight-chart").count() >= 4
    assert_accessible(page, "d01-setting-dashboard")
    page.select_option("#id_sen_provision", "K")
    page.click("button:has-text('Apply')")
    assert "sen_provision=K" in page.url
    assert_accessible(page, "d02-setting-dashboard-filtered")


def test_an_la_officer_reads_the_authority_dashboard_without_names(page, data):  # noqa: F811
    sign_in(page, "la.officer@example.org", "/insight/authority/")
    text = page.inner_text("main")
    assert "rounded to the nearest 5" in text and "Amelia" not in text
    assert page.locator("main a[href^='/children/']").count() == 0
    assert_accessible(page, "d03-authority-dashboard")
    page.select_option("#id_setting", str(data.setting.pk))
    page.click("button:has-text('Apply')")
    assert "Setting A1 against its locality and the authority" in page.inner_text("main")
    assert_accessible(page, "d04-authority-benchmark")
