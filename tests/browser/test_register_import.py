"""A SENDCo loads their SEN register from a MIS export in a real browser: the file has one
mistake, the preview says which row and column, they correct it and load it; the second
upload of the same columns goes straight to the check."""

from pathlib import Path

import pytest

from tests.browser.conftest import assert_accessible
from tests.conftest import PASSWORD
from vsend.children.models import Child

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SIMS = Path(__file__).resolve().parents[1] / "data" / "register_sims.csv"


def test_a_sendco_imports_a_register_with_one_error_fixes_it_and_imports(page, world, tmp_path):
    # Given a SENDCo signed in
    page.set_default_timeout(90_000)  # a busy machine
    page.goto("/registers/")
    page.fill("#id_username", "sendco@example.org")
    page.fill("#id_password", PASSWORD)
    page.click("button:has-text('Sign in')")
    page.wait_for_url(f"**/registers/settings/{world.setting.pk}/")
    assert_accessible(page, "r01-register")

    # When they choose a register export with a future date of birth on one row
    wrong = tmp_path / "sims-export.csv"
    wrong.write_text(SIMS.read_text().replace("05/11/2016", "05/11/2099"))
    page.set_input_files("#id_register", str(wrong))
    page.click("button:has-text('Check the file')")

    # Then vsend shows the columns it recognised, to confirm once
    page.wait_for_url("**/columns/")
    assert page.input_value("#id_last_name") == "Legal Surname"
    assert page.input_value("#id_primary_need") == "SEN Need Type 1"
    assert_accessible(page, "r02-columns")
    page.click("button:has-text('Use these columns')")

    # And the preview names the row and column of the mistake, with nothing to confirm
    problems = page.locator("#problems")
    assert "Row 3, Date of birth: 5 November 2099 is in the future" in problems.inner_text()
    assert page.locator("button:has-text('Load this register')").count() == 0
    assert_accessible(page, "r03-preview-with-a-problem")
    assert not Child.objects.filter(last_name="Samplesworth").exists()

    # When they correct the file and upload it again
    page.click("a:has-text('Upload a different file')")
    page.set_input_files("#id_register", str(SIMS))
    page.click("button:has-text('Check the file')")

    # Then the remembered columns take them straight to the check, with nothing wrong
    page.wait_for_url("**/imports/*/")
    assert "6" in page.locator(".govuk-summary-list__row", has_text="Children to add").inner_text()
    assert page.locator("#problems").count() == 0
    assert_accessible(page, "r04-preview")

    # When they load it
    page.click("button:has-text('Load this register')")
    page.wait_for_url("**/progress/")
    assert "Register loaded" in page.locator("h1").inner_text()
    assert_accessible(page, "r05-loaded")
    assert Child.objects.filter(last_name="Samplesworth").count() == 1

    # And the setting's page lists the import with its counts
    page.click("a:has-text('Back to the register')")
    row = page.locator("table tbody tr").first
    assert "register_sims.csv" in row.inner_text() and "6" in row.inner_text()
    assert_accessible(page, "r06-register-with-history")
