"""A provision's own cost changed from a date by a SENDCo, in a real browser at desktop and
phone widths: a date in a closed term is refused keeping what was typed; then the cost history."""

from decimal import Decimal

import pytest
from django.utils import timezone

from tests.browser.conftest import assert_accessible
from tests.browser.test_timeliness_and_rates_pages import _sign_in
from tests.provision_helpers import world_group
from vsend.insights.terms import previous_term, term_containing
from vsend.provision.models import Provision, ProvisionCost

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _date(page, day) -> None:
    page.fill("#id_applies_from-day", str(day.day))
    page.fill("#id_applies_from-month", str(day.month))
    page.fill("#id_applies_from-year", str(day.year))


def test_a_provisions_cost_from_a_date(page, world):
    provision = world_group(world).provision
    _sign_in(page, "sendco@example.org", f"/provision/catalogue/{provision.pk}/edit")
    today = timezone.localdate()
    assert page.input_value("#id_applies_from-year") == str(today.year)
    page.check("input[name=cost_basis][value=session]")
    page.fill("#id_cost", "12.40")
    _date(page, previous_term(term_containing(today)).ends)
    page.click("button:has-text('Save provision')")
    assert "is in a term that has ended" in page.locator("main").inner_text()
    assert page.input_value("#id_cost") == "12.40"
    assert_accessible(page, "provision-cost-error")
    page.set_viewport_size({"width": 320, "height": 800})
    assert_accessible(page, "provision-cost-error-320")
    _date(page, today)
    page.click("button:has-text('Save provision')")
    page.wait_for_url(f"**/provision/settings/{world.setting.pk}/")
    saved = Provision.objects.get(pk=provision.pk)
    assert (saved.cost_basis, saved.cost) == ("session", Decimal("12.40"))
    assert ProvisionCost.objects.filter(provision=provision).count() == 2
    page.goto(f"/provision/catalogue/{provision.pk}/edit")
    assert "£12.40 per session" in page.locator("main").inner_text()
    assert_accessible(page, "provision-cost-history-320")
    page.set_viewport_size({"width": 1200, "height": 900})
    assert_accessible(page, "provision-cost-history")
