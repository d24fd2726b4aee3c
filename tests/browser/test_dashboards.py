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


FILTERS_THE_FIGURES_IGNORE = ("year", "sex", "need", "school_class", "sen_provision")


@pytest.mark.parametrize(
    ("email", "where", "whole"),
    [
        ("governor@example.org", "setting", "whole setting"),
        ("la.officer@example.org", "authority", "whole authority"),
    ],
)
def test_governors_and_officers_are_offered_no_filter_their_figures_ignore(
    page,
    data,  # noqa: F811
    email,
    where,
    whole,
):
    """Their figures are whole-setting or whole-authority (anonymous), so the page offers no
    year, class, sex, need or provision filter, and a hand-made address with one shows none of
    it as if applied; the page says why. Only the term (and an officer's benchmark setting),
    which the figures do follow, can be chosen."""
    base = f"/insight/settings/{data.setting.pk}/" if where == "setting" else "/insight/authority/"
    sign_in(page, email, base)
    form = page.locator("form.vsend-filters")
    for name in FILTERS_THE_FIGURES_IGNORE:
        assert page.locator(f"[name='{name}']").count() == 0, name
    assert form.locator("select[name='term']").count() == 1
    shown = set(
        form.locator("select, input:not([type=hidden])").evaluate_all("els => els.map(e => e.name)")
    )
    assert shown <= {"term", "setting"}, shown
    notice = page.inner_text(".govuk-inset-text")
    assert f"Figures are for every child in the {whole}" in notice
    assert "cannot be narrowed to a year group" in notice
    assert_accessible(page, f"d05-{where}-anonymous-no-filters")

    # An address carrying filters (a bookmark, a shared link) is not shown as applied.
    before = page.inner_text("main")
    page.goto(base + "?year=3&sex=F&need=ASD&sen_provision=E")
    after = page.inner_text("main")
    assert "Year 3" not in after.replace(before, "") and "Girls" not in after
    assert after == before
    for name in FILTERS_THE_FIGURES_IGNORE:
        assert page.locator(f"[name='{name}']").count() == 0, name

    # At 320 px the page does not scroll sideways.
    page.set_viewport_size({"width": 320, "height": 800})
    assert page.evaluate("document.scrollingElement.scrollWidth <= window.innerWidth")
