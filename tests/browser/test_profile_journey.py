"""The heart of vsend in a real browser: a SENDCo builds a profile through the five steps, a
parent answers the home-confidence questions from their own sign-in, and the SENDCo finalises."""

import shutil
import subprocess

import pytest

from tests.browser.conftest import ARTIFACTS, assert_accessible
from tests.conftest import PASSWORD
from tests.profile_helpers import CONFIDENCE, NEEDS, READINESS
from vsend.frameworks.loader import DOMAIN_KEYS
from vsend.profiles.models import Profile, Status

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, email: str, next_url: str) -> None:
    page.goto(f"/sign-in/?next={next_url}")
    page.fill("#id_username", email)
    page.fill("#id_password", PASSWORD)
    page.click("button:has-text('Sign in')")
    page.wait_for_url(f"**{next_url}")


def choose(page, name: str, value: int) -> None:
    page.check(f"input[name='{name}'][value='{value}']")


def test_a_profile_from_start_to_finalised_with_the_family(page, browser, live_server, world):
    child_url = f"/children/{world.child.pk}/"
    sign_in(page, "sendco@example.org", child_url)

    # Start
    page.click("text=Start a profile")
    assert_accessible(page, "p01-start")
    page.fill("#id_assessment_date-day", "2")
    page.fill("#id_assessment_date-month", "11")
    page.fill("#id_assessment_date-year", "2026")
    page.click("button:has-text('Start the profile')")

    # Step 1: about the child
    assert "step 1 of 5" in page.inner_text(".govuk-caption-l")
    assert_accessible(page, "p02-about")
    page.fill("#id_strengths", "Loves drawing and trains")
    page.fill("#id_child_views", "Likes a quiet corner when it gets loud")
    page.click("button:has-text('Save and continue')")

    # Step 2: needs, first with one left out to see the error summary
    assert_accessible(page, "p03-needs")
    for key in DOMAIN_KEYS[:-1]:
        choose(page, f"need__{key}", NEEDS[key])
    page.fill(f"#id_evidence__{DOMAIN_KEYS[0]}", "Observed in class and at lunch")
    page.click("button:has-text('Save and continue')")
    assert page.title().startswith("Error: ")
    assert "Select the level of need for independence" in page.inner_text(".govuk-error-summary")
    assert page.input_value(f"#id_evidence__{DOMAIN_KEYS[0]}") == "Observed in class and at lunch"
    assert_accessible(page, "p04-needs-error")
    choose(page, "need__independence", NEEDS["independence"])
    page.click("button:has-text('Save and continue')")

    # Step 3: setting readiness
    assert_accessible(page, "p05-readiness")
    page.locator("input[name='prompts__communication_interaction']").first.check()
    for key in DOMAIN_KEYS:
        choose(page, f"readiness__{key}", READINESS[key])
    page.click("button:has-text('Save and return to summary')")

    # The SENDCo leaves home confidence to the family and writes the plan.
    page.goto(page.url + "steps/plan/")
    assert_accessible(page, "p06-plan")
    key = DOMAIN_KEYS[0]
    page.fill(f"#id_what__{key}", "Asks an adult for help using a card")
    page.fill(f"#id_know__{key}", "Uses the card three times a week")
    page.fill(f"#id_when__{key}-day", "1")
    page.fill(f"#id_when__{key}-month", "2")
    page.fill(f"#id_when__{key}-year", "2027")
    page.click("button:has-text('Save the plan')")
    assert "Finish every step to finalise the profile" in page.inner_text("main")
    profile = Profile.objects.get(child=world.child)

    # A parent answers the home questions from their own sign-in, one page each.
    family = browser.new_context(
        bypass_csp=True, base_url=live_server.url, viewport={"width": 400, "height": 800}
    )
    phone = family.new_page()
    sign_in(phone, "parent@example.org", f"/profiles/{profile.pk}/")
    phone.click("text=Answer the questions about home")
    assert_accessible(phone, "p07-family-start")
    phone.click("text=Start now")
    for i, key in enumerate(DOMAIN_KEYS):
        if i == 0:
            phone.click("button:has-text('Continue')")
            assert "Select the answer that fits your family best" in phone.inner_text(
                ".govuk-error-summary"
            )
            assert_accessible(phone, "p08-family-question-error")
        choose(phone, "level", CONFIDENCE[key])
        if i == 0:
            phone.fill("#id_note", "Bedtime is the hardest part")
        phone.click("button:has-text('Continue')")
    assert_accessible(phone, "p09-family-check")
    assert "Bedtime is the hardest part" in phone.inner_text("main")
    phone.click("button:has-text('Send my answers')")
    assert "Your answers have been sent" in phone.inner_text("main")
    assert_accessible(phone, "p10-family-done")
    family.close()

    # The SENDCo finalises: the summary shows all three lines.
    page.goto(f"/profiles/{profile.pk}/")
    assert "Given by the family" in page.inner_text("main")
    page.click("button:has-text('Finalise the profile')")
    assert "Finalised" in page.inner_text("h1")
    for series in ("need", "readiness", "confidence"):
        assert page.locator(f"svg .series-{series}").count() == 1
    assert_accessible(page, "p11-summary-finalised")
    assert Profile.objects.get(pk=profile.pk).status == Status.FINALISED

    # Keep the PDF, and its pages as pictures where pdftoppm is installed, to look at.
    pdf = page.request.get(f"/profiles/{profile.pk}/pdf/")
    assert pdf.headers["content-type"] == "application/pdf"
    (ARTIFACTS / "profile.pdf").write_bytes(pdf.body())
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm:
        subprocess.run(
            [
                pdftoppm,
                "-png",
                "-r",
                "60",
                str(ARTIFACTS / "profile.pdf"),
                str(ARTIFACTS / "profile-pdf"),
            ],
            check=True,
        )
