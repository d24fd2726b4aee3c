"""The heart of vsend in a real browser: a SENDCo builds a profile as a task list (one page per
area of need), asks the family, a parent answers from the task on their home page (their answers
kept across a new sign-in), the SENDCo sees them arrive and finalises after confirming. Key pages
are checked with axe and at 320 px wide, where nothing may scroll sideways."""

import shutil
import subprocess

import pytest

from tests.browser.conftest import ARTIFACTS, assert_accessible
from tests.conftest import PASSWORD
from tests.profile_helpers import CONFIDENCE, NEEDS, READINESS, complete_profile
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


def fits_320(page, name: str) -> None:
    """At 320 px wide (a small phone, or 1280 px at 400% zoom) the page does not scroll sideways."""
    size = page.viewport_size
    page.set_viewport_size({"width": 320, "height": 800})
    try:
        wide = page.evaluate("document.scrollingElement.scrollWidth")
        inner = page.evaluate("window.innerWidth")
        page.screenshot(path=str(ARTIFACTS / f"{name}-320.png"), full_page=True)
        assert wide <= inner, f"{name}: {wide} px wide in a {inner} px window"
    finally:
        page.set_viewport_size(size)


def tab_stops(page) -> int:
    """How many Tab presses cross the page's main content (a radio group is one stop)."""
    return page.evaluate(
        """() => {
        const seen = new Set();
        let n = 0;
        for (const el of document.querySelectorAll(
            'main a[href], main button, main input, main textarea, main select, main summary')) {
            if (el.type === 'hidden' || el.disabled || el.tabIndex < 0) continue;
            if (!el.checkVisibility()) continue;  // not shown (inside a closed details, say)
            if (el.type === 'radio') { if (seen.has(el.name)) continue; seen.add(el.name); }
            n++;
        }
        return n;
    }"""
    )


def test_a_profile_from_start_to_finalised_with_the_family(page, browser, live_server, world):
    child_url = f"/children/{world.child.pk}/"
    sign_in(page, "sendco@example.org", child_url)

    # Start: the profile opens as a task list.
    page.click("text=Start a profile")
    assert_accessible(page, "p01-start")
    page.fill("#id_assessment_date-day", "2")
    page.fill("#id_assessment_date-month", "11")
    page.fill("#id_assessment_date-year", "2026")
    page.click("button:has-text('Start the profile')")
    assert "Valuing SEND profile 1" in page.inner_text("h1")
    # intro, about, 5 areas of need, 5 of readiness, home, 5 of the plan and its review date, finish
    assert page.locator(".govuk-task-list__item").count() == 20
    assert_accessible(page, "p02-tasks")
    fits_320(page, "p02-tasks")
    page.click("text=Read the introduction")
    assert "never a test of eligibility" in page.inner_text("main")
    page.go_back()

    # About the child
    page.click("text=Continue where you stopped")
    assert "About the child" in page.inner_text("h1")
    assert_accessible(page, "p03-about")
    page.fill("#id_strengths", "Loves drawing and trains")
    page.fill("#id_child_views", "Likes a quiet corner when it gets loud")
    page.click("button:has-text('Save and return to the tasks')")

    # One page per area of need, first with nothing chosen to see the error summary.
    page.click("text=Continue where you stopped")
    assert "Communication and interaction" in page.inner_text("h1")
    assert "Understanding language" in page.inner_text("main")  # its sub-areas
    page.fill("#id_evidence", "Observed in class and at lunch")
    page.click("button:has-text('Save and continue')")
    page.wait_for_selector(".govuk-error-summary")  # the answer has arrived
    assert page.title().startswith("Error: ")
    assert "Select the level of need for communication" in page.inner_text(".govuk-error-summary")
    assert page.input_value("#id_evidence") == "Observed in class and at lunch"
    assert_accessible(page, "p04-need-error")
    for key in DOMAIN_KEYS:
        assert "area of need" in page.inner_text(".govuk-caption-l")
        if key == "semh":
            assert_accessible(page, "p05-need")
            fits_320(page, "p05-need")
        choose(page, "level", NEEDS[key])
        page.click("button:has-text('Save and continue')")
    assert "You have done 6 of 18 parts" in page.inner_text("main")

    # Setting readiness, one page per area: an error keeps what was typed and ticked.
    page.click("text=Continue where you stopped")
    assert "setting readiness, area 1 of 5" in page.inner_text(".govuk-caption-l")
    first = DOMAIN_KEYS[0]
    page.locator(f"input[name='prompts__{first}']").first.check()
    page.fill(f"#id_rnote__{first}", "A quiet room is booked for mornings")
    page.click("button:has-text('Save and continue')")
    assert "Select how ready the setting is" in page.inner_text(".govuk-error-summary")
    assert page.input_value(f"#id_rnote__{first}") == "A quiet room is booked for mornings"
    assert page.locator(f"input[name='prompts__{first}']").first.is_checked()
    assert_accessible(page, "p05b-readiness-error")
    for key in DOMAIN_KEYS:
        assert "setting readiness" in page.inner_text(".govuk-caption-l")
        if key == "semh":
            assert tab_stops(page) <= 15, tab_stops(page)
            assert_accessible(page, "p05c-readiness")
            fits_320(page, "p05c-readiness")
        choose(page, f"readiness__{key}", READINESS[key])
        page.click("button:has-text('Save and continue')")
    assert "You have done 11 of 18 parts" in page.inner_text("main")

    # The SENDCo asks the family for their answers about home.
    page.click(".govuk-task-list__link:has-text('Home confidence')")
    assert_accessible(page, "p06-home")
    page.click("button:has-text('Ask the family')")
    assert "The family has been asked" in page.inner_text(".govuk-notification-banner")
    assert "Waiting for the family" in page.inner_text("main")
    profile = Profile.objects.get(child=world.child)

    # A parent, on a phone, sees the task on their home page and answers one question...
    family = browser.new_context(
        bypass_csp=True, base_url=live_server.url, viewport={"width": 320, "height": 800}
    )
    phone = family.new_page()
    sign_in(phone, "parent@example.org", "/")
    assert "You have questions to answer" in phone.inner_text("main")
    assert_accessible(phone, "p07-family-home-task")
    fits_320(phone, "p07-family-home-task")
    phone.click("text=Answer the questions")
    assert_accessible(phone, "p08-family-start")
    phone.click("text=Start now")
    phone.click("button:has-text('Continue')")
    assert "Select the answer that fits your family best" in phone.inner_text(
        ".govuk-error-summary"
    )
    assert_accessible(phone, "p09-family-question-error")
    fits_320(phone, "p09-family-question-error")
    choose(phone, "level", CONFIDENCE[DOMAIN_KEYS[0]])
    phone.fill("#id_note", "Bedtime is the hardest part")
    phone.click("button:has-text('Continue')")
    family.close()

    # ...and, signed in again another time, carries on where they stopped.
    family = browser.new_context(
        bypass_csp=True, base_url=live_server.url, viewport={"width": 320, "height": 800}
    )
    phone = family.new_page()
    sign_in(phone, "parent@example.org", "/")
    assert "You have answered 1 so far" in phone.inner_text("main")
    phone.click("text=Carry on answering")
    phone.click("text=Carry on where you stopped")
    for key in DOMAIN_KEYS[1:]:
        choose(phone, "level", CONFIDENCE[key])
        phone.click("button:has-text('Continue')")
    assert_accessible(phone, "p10-family-check")
    assert "Bedtime is the hardest part" in phone.inner_text("main")
    phone.click("button:has-text('Send my answers')")
    assert "Your answers have been sent" in phone.inner_text("main")
    assert_accessible(phone, "p11-family-done")
    family.close()

    # The SENDCo's home page shows the answers have arrived.
    page.goto("/")
    assert "Family answers received (1)" in page.inner_text("main")
    page.click(f".vsend-worklist a:has-text('{world.child.full_name}')")
    assert "The family sent their answers about home on" in page.inner_text("main")

    # The plan, one page per area, then its review date; then check and finalise.
    page.click("text=Continue where you stopped")
    assert "support plan, area 1 of 5" in page.inner_text(".govuk-caption-l")
    key = DOMAIN_KEYS[0]
    assert tab_stops(page) <= 20, tab_stops(page)
    assert_accessible(page, "p11b-plan-area")
    fits_320(page, "p11b-plan-area")
    page.fill(f"#id_what__{key}", "Asks an adult for help using a card")
    page.click("button:has-text('Save and continue')")
    assert "Enter how you will know" in page.inner_text(".govuk-error-summary")
    assert page.input_value(f"#id_what__{key}") == "Asks an adult for help using a card"
    page.fill(f"#id_know__{key}", "Uses the card three times a week")
    page.fill(f"#id_when__{key}-day", "1")
    page.fill(f"#id_when__{key}-month", "2")
    page.fill(f"#id_when__{key}-year", "2027")
    page.click("button:has-text('Save and continue')")
    for _ in DOMAIN_KEYS[1:]:
        assert "support plan" in page.inner_text(".govuk-caption-l")
        page.click("button:has-text('Save and continue')")  # no outcome in this area now
    assert "Review date" in page.inner_text("h1")
    assert_accessible(page, "p11c-review-date")
    fits_320(page, "p11c-review-date")
    page.click("button:has-text('Save and return to the tasks')")
    assert "You have done 18 of 18 parts" in page.inner_text("main")
    page.click(".govuk-task-list__link:has-text('Check and finalise')")
    assert "Are you sure you want to finalise this profile?" in page.inner_text("h1")
    assert_accessible(page, "p12-finalise-confirm")
    fits_320(page, "p12-finalise-confirm")
    assert Profile.objects.get(pk=profile.pk).status == Status.DRAFT
    page.click("button:has-text('Yes, finalise the profile')")
    assert "Profile 1 is finalised" in page.inner_text(".govuk-notification-banner")
    assert "Finalised" in page.inner_text("h1")
    assert "Given by the family" in page.inner_text("main")
    for series in ("need", "readiness", "confidence"):
        assert page.locator(f"svg .series-{series}").count() == 1
    assert_accessible(page, "p13-summary-finalised")
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


def test_a_review_draft_does_not_show_last_terms_home_answers(page, browser, live_server, world):
    from django.test import Client

    client = Client()
    client.force_login(world.users["sendco"])
    first = complete_profile(client, world.child)
    client.post(f"/profiles/{first}/review/")
    second = Profile.objects.get(child=world.child, number=2)

    sign_in(page, "sendco@example.org", f"/profiles/{second.pk}/")
    main = page.inner_text("main")
    assert "Not given yet" in main
    assert "above the family's confidence" not in main
    assert page.locator("svg .series-confidence").count() == 0  # no pink line
    cells = page.locator("table.vsend-ratings tbody tr td:nth-child(4)").all_inner_texts()
    assert cells and set(cells) == {"–"}
    assert_accessible(page, "r01-review-summary")
    fits_320(page, "r01-review-summary")

    family = browser.new_context(
        bypass_csp=True, base_url=live_server.url, viewport={"width": 320, "height": 800}
    )
    phone = family.new_page()
    sign_in(phone, "parent@example.org", f"/profiles/{second.pk}/family/{DOMAIN_KEYS[0]}/")
    assert phone.locator("input[name='level']:checked").count() == 0
    assert_accessible(phone, "r02-review-family-question")
    fits_320(phone, "r02-review-family-question")
    family.close()


def test_the_sendco_worklist(page, world):
    from datetime import date

    from django.test import Client

    client = Client()
    client.force_login(world.users["sendco"])
    finalised = complete_profile(client, world.child)  # review due 21 December 2026
    Profile.objects.filter(pk=finalised).update(review_date=date(2026, 11, 1))
    complete_profile(client, world.classmate, finalise=False)

    sign_in(page, "sendco@example.org", "/")
    worklist = page.inner_text(".vsend-worklist")
    assert "Reviews overdue (1)" in worklist and "review was due 1 November 2026" in worklist
    assert "Profiles in progress (1)" in worklist
    assert "continue where you stopped" in worklist
    assert_accessible(page, "w01-sendco-worklist")
    fits_320(page, "w01-sendco-worklist")
    page.click(".vsend-worklist a:has-text('continue where you stopped')")
    assert "Check and finalise" in page.title() or "finalise" in page.inner_text("h1")
