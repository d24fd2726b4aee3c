"""A child moves from one setting to another, in a real browser: the leaving SENDCo records
the last day, the receiving SENDCo finds the child (after one mistake) and sees their profile
history."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from tests.browser.conftest import assert_accessible
from tests.conftest import PASSWORD
from tests.profile_helpers import complete_profile
from vsend.children.models import Transfer
from vsend.organisations.models import YearGroup

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _sign_in(page, email: str, next_url: str) -> None:
    page.context.clear_cookies()
    page.goto(f"/sign-in/?next={next_url}")
    page.fill("#id_username", email)
    page.fill("#id_password", PASSWORD)
    page.click("button:has-text('Sign in')")
    page.wait_for_url(f"**{next_url}")


def _date(page, prefix: str, day) -> None:
    page.fill(f"#id_{prefix}-day", str(day.day))
    page.fill(f"#id_{prefix}-month", str(day.month))
    page.fill(f"#id_{prefix}-year", str(day.year))


def test_a_child_moves_and_the_receiving_sendco_sees_their_profile_history(page, world):
    YearGroup.objects.create(setting=world.other_setting, code="3", name="Year 3", position=5)
    client = Client()
    client.force_login(world.users["sendco"])
    complete_profile(client, world.child)
    today = timezone.localdate()
    record = f"/children/{world.child.pk}/"

    # The leaving SENDCo records the child's last day: yesterday, going to Setting A2.
    _sign_in(page, "sendco@example.org", record)
    page.click("a:has-text('Record Amelia Test leaving a setting')")
    assert_accessible(page, "move-01-leaving")
    _date(page, "left_on", today - timedelta(days=1))
    page.select_option("#id_destination_setting", label="Setting A2")
    page.click("button:has-text('Record leaving')")
    page.wait_for_url("**/children/")
    assert "Amelia" not in page.locator("main").inner_text()

    # The receiving SENDCo types the date of birth wrongly first: the same neutral message.
    _sign_in(page, "sendco.a2@example.org", "/children/")
    page.click("a:has-text('A child joining from another setting')")
    assert_accessible(page, "move-02-join")
    page.fill("#id_upn", world.child.upn)
    _date(page, "date_of_birth", world.child.date_of_birth + timedelta(days=1))
    page.select_option("#id_year", "3")
    _date(page, "started_on", today)
    page.click("button:has-text('Find and add the child')")
    summary = page.locator(".govuk-error-summary").inner_text()
    assert "No child can join Setting A2 with these details" in summary
    assert page.input_value("#id_upn") == world.child.upn  # nothing typed is lost
    assert_accessible(page, "move-03-join-error")

    _date(page, "date_of_birth", world.child.date_of_birth)
    page.click("button:has-text('Find and add the child')")
    page.wait_for_url("**/children/join/*/")
    assert_accessible(page, "move-04-joined")
    page.click("a:has-text('Open their record')")

    # Their record, with the profile the other setting made and the move in the history.
    assert page.locator("h1").inner_text() == "Amelia Test"
    main = page.locator("main").inner_text()
    assert "Profile 1" in main and "Moves between settings" in main
    assert "From Setting A1 to Setting A2" in main
    assert_accessible(page, "move-05-record")
    page.click("a:has-text('Profile 1')")
    assert "Support plan" in page.locator("main").inner_text()
    assert_accessible(page, "move-06-profile")
    assert Transfer.objects.get().to_setting == world.other_setting


def test_the_authority_transfers_with_dual_registration_and_a_bad_record_is_refused(
    page, world, tmp_path
):
    YearGroup.objects.create(setting=world.other_setting, code="3", name="Year 3", position=5)
    record = f"/children/{world.child.pk}/"
    _sign_in(page, "la.admin@example.org", record)
    page.click("a:has-text('Transfer Amelia Test to another setting')")
    assert_accessible(page, "move-07-transfer")
    page.select_option("#id_setting", label="Setting A2")
    page.select_option("#id_year", "3")
    _date(page, "started_on", timezone.localdate())
    page.check("input[name='dual'][value='yes']")
    page.click("button:has-text('Transfer')")
    page.wait_for_url(f"**{record}")
    assert "subsidiary registration" in page.locator(".govuk-caption-l").inner_text()
    assert_accessible(page, "move-08-dual")

    # A record file of the wrong version is refused with a clear message.
    bad = tmp_path / "record.json"
    bad.write_text('{"record_format": "vsend-child-record", "version": 2}')
    page.goto("/records/import/")
    assert_accessible(page, "move-09-import")
    page.set_input_files("#id_record", str(bad))
    page.select_option("#id_setting", label="Setting A1")
    page.click("button:has-text('Import the record')")
    assert "this vsend reads version 1" in page.locator(".govuk-error-summary").inner_text()
    assert_accessible(page, "move-10-import-refused")
