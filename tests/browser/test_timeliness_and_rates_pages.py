"""The authority's timeliness tables (from the stored rows) for an LA officer, and a staff role's
new hourly cost from a date for a SENDCo, in a real browser at desktop and phone widths."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from tests.browser.conftest import assert_accessible
from tests.conftest import PASSWORD
from tests.provision_helpers import world_group
from vsend.audit.services import Actor
from vsend.insights.terms import previous_term, term_containing
from vsend.provision.models import StaffRole

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _sign_in(page, email: str, next_url: str) -> None:
    page.context.clear_cookies()
    page.goto(f"/sign-in/?next={next_url}")
    page.fill("#id_username", email)
    page.fill("#id_password", PASSWORD)
    page.click("button:has-text('Sign in')")
    page.wait_for_url(f"**{next_url}")


def test_the_timeliness_tables_and_a_rate_change_from_a_date(page, world):
    from vsend.statutory import services

    term = previous_term(term_containing(timezone.localdate()))
    services.request_assessment(
        actor=Actor(user=world.users["sendco"]),
        child=world.child,
        requester="setting",
        setting=world.setting,
        reasons="Needs more help",
        received_on=term.starts + timedelta(days=7),
    )
    _sign_in(page, "la.officer@example.org", "/statutory/timeliness/")
    main = page.locator("main").inner_text()
    assert "By locality" in main and "By setting" in main and "Amelia" not in main
    assert_accessible(page, "timeliness-desktop")
    page.set_viewport_size({"width": 320, "height": 800})
    assert_accessible(page, "timeliness-320")

    group = world_group(world)
    role = group.provision.staff_role
    page.set_viewport_size({"width": 1200, "height": 900})
    _sign_in(page, "sendco@example.org", f"/provision/staff/{role.pk}/edit")
    page.fill("#id_hourly_cost", "19.25")
    closed = term.ends  # the last day of a term that has ended
    page.fill("#id_applies_from-day", str(closed.day))
    page.fill("#id_applies_from-month", str(closed.month))
    page.fill("#id_applies_from-year", str(closed.year))
    page.click("button:has-text('Save')")
    assert "a term that has ended keeps its costs" in page.locator("main").inner_text()
    assert page.input_value("#id_hourly_cost") == "19.25"
    assert_accessible(page, "staff-rate-error")
    page.set_viewport_size({"width": 320, "height": 800})
    assert_accessible(page, "staff-rate-error-320")
    start = term_containing(timezone.localdate()).starts
    page.fill("#id_applies_from-day", str(start.day))
    page.fill("#id_applies_from-month", str(start.month))
    page.fill("#id_applies_from-year", str(start.year))
    page.click("button:has-text('Save')")
    page.wait_for_url("**/staff")
    assert StaffRole.objects.get(pk=role.pk).hourly_cost == Decimal("19.25")
