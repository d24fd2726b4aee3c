"""The child's own voice in a real browser: a young person, with the keyboard only, fills in
"All about me" with picture symbols (one with the one-key scanning mode) and their view of each
area; a parent adds their view of need; the SENDCo's summary shows the three views side by side
with a difference to talk about and the child's view as a fourth series on the chart. Axe checks
every page; the young person's pages fit 320 px."""

import pytest

from tests.browser.conftest import assert_accessible
from tests.browser.test_profile_journey import fits_320, sign_in
from tests.profile_helpers import complete_profile
from vsend.children.models import FamilyLink
from vsend.frameworks.loader import DOMAIN_KEYS
from vsend.profiles.models import Profile
from vsend.voice.models import AboutMe
from vsend.voice.questions import catalogue

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def tab_to(page, selector: str, limit: int = 80) -> None:
    """Press Tab until the focus is on the element (keyboard only: no clicks)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("s => !!document.activeElement?.matches(s)", selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


def checked(page, selector: str) -> bool:
    return page.evaluate("s => document.querySelector(s).checked", selector)


def test_the_child_the_family_and_the_setting_side_by_side(page, live_server, world, client):
    child = world.young_person_child
    FamilyLink.objects.create(child=child, user=world.users["parent"], relationship="mother")
    client.force_login(world.users["sendco"])
    pk = complete_profile(client, child, finalise=False)  # needs 3, 2, 1, 0, 2

    # The young person, keyboard only.
    start = f"/children/{child.pk}/about-me/"
    sign_in(page, "yp@example.org", start)
    assert "All about me" in page.inner_text("h1")
    assert "OpenMoji" in page.inner_text("main")
    assert_accessible(page, "v01-start")
    fits_320(page, "v01-start")
    tab_to(page, "a.govuk-button--start")
    page.keyboard.press("Enter")

    # Question 1: two pictures with Tab and Space.
    page.wait_for_url("**/questions/like_about_me/")
    assert_accessible(page, "v02-question")
    fits_320(page, "v02-question")
    tab_to(page, "#id_symbols_0")
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    page.keyboard.press("Space")
    assert checked(page, "#id_symbols_0") and checked(page, "#id_symbols_1")
    tab_to(page, "button.govuk-button:not([data-scan-toggle])")
    page.keyboard.press("Enter")

    # Question 2: one-key scanning. Space moves on; holding Space picks.
    page.wait_for_url("**/questions/important/")
    tab_to(page, "[data-scan-toggle]")
    page.keyboard.press("Enter")
    assert page.get_attribute("[data-scan-toggle]", "aria-pressed") == "true"
    assert page.evaluate("document.activeElement.id") == "id_symbols_0"
    page.keyboard.press("Space")  # a short press: the next picture
    assert page.evaluate("document.activeElement.id") == "id_symbols_1"
    page.keyboard.down("Space")
    page.wait_for_timeout(900)
    page.keyboard.up("Space")  # held: picked
    assert checked(page, "#id_symbols_1") and not checked(page, "#id_symbols_0")
    assert_accessible(page, "v03-scanning")
    tab_to(page, "[data-scan-toggle]")
    page.keyboard.press("Enter")  # scanning off again
    tab_to(page, "button.govuk-button:not([data-scan-toggle])")
    page.keyboard.press("Enter")

    # Question 3: a few words. Then "I don't want to say" for the rest.
    page.wait_for_url("**/questions/how_to_help/")
    tab_to(page, "#id_words")
    page.keyboard.type("Tell me what is next")
    page.keyboard.press("Enter")  # a new line in the box, not a submit
    tab_to(page, "button.govuk-button:not([data-scan-toggle])")
    page.keyboard.press("Enter")
    for q in catalogue().questions[3:]:
        page.wait_for_url(f"**/questions/{q.key}/")
        tab_to(page, "#id_skip")
        page.keyboard.press("Space")
        tab_to(page, "button.govuk-button:not([data-scan-toggle])")
        page.keyboard.press("Enter")

    # My view of each area: a picture card for each level, chosen with Tab, arrows and Space.
    for n, key in enumerate(DOMAIN_KEYS):
        page.wait_for_url(f"**/areas/{key}/")
        if n == 0:
            assert_accessible(page, "v04-area")
            fits_320(page, "v04-area")
        tab_to(page, "#id_level_0")
        page.keyboard.press("Space")  # "This is fine for me"
        if n == 1:
            page.keyboard.press("ArrowRight")
            page.keyboard.press("ArrowRight")  # "This is sometimes hard for me"
        tab_to(page, "button.govuk-button:not([data-scan-toggle])")
        page.keyboard.press("Enter")

    page.wait_for_url("**/about-me/check/")
    assert "This is sometimes hard for me" in page.inner_text("main")
    assert "Tell me what is next" in page.inner_text("main")
    assert_accessible(page, "v05-check")
    fits_320(page, "v05-check")
    tab_to(page, "#id_helper_name")
    page.keyboard.type("Mr Jones")
    tab_to(page, "button.govuk-button:not([data-scan-toggle])")
    page.keyboard.press("Enter")
    page.wait_for_url("**/versions/1/?sent=1")
    assert "Your answers have been sent" in page.inner_text("main")
    assert_accessible(page, "v06-sent")
    fits_320(page, "v06-sent")
    sent = AboutMe.objects.get(child=child)
    assert sent.area_views[DOMAIN_KEYS[0]]["level"] == 0
    assert sent.area_views[DOMAIN_KEYS[1]]["level"] == 2
    assert sent.answers["like_about_me"]["symbols"] == ["happy", "helping"]
    assert sent.answers["important"]["symbols"] == ["friends"]
    assert sent.helper == "self" and sent.helper_name == "Mr Jones"

    # A parent adds their view of need with their answers about home.
    page.context.clear_cookies()
    sign_in(page, "parent@example.org", f"/profiles/{pk}/family/")
    page.click("text=Start")
    for n, key in enumerate(DOMAIN_KEYS):
        page.wait_for_url(f"**/family/{key}/")
        if n == 0:
            assert_accessible(page, "v07-family-need")
        page.check("input[name='level'][value='2']")
        page.check(f"input[name='need'][value='{3 if n == 0 else 1}']")
        page.click("button:has-text('Continue')")
    page.wait_for_url("**/family/check/")
    assert "Extra help you think they need: A lot of extra help" in page.inner_text("main")
    page.click("button:has-text('Send my answers')")
    assert Profile.objects.get(pk=pk).home_by_family

    # The SENDCo sees three views, the differences flagged, and the child's view on the chart.
    page.context.clear_cookies()
    sign_in(page, "sendco@example.org", f"/profiles/{pk}/")
    main = page.inner_text("main")
    assert "Three views of need" in main and "Something to talk about" in main
    assert "Communication and interaction: the views are 3 levels apart." in main
    assert page.locator(".marker-child").count() == 5
    assert page.locator(".series-child").count() == 1
    assert "The child's own view" in page.inner_text(".vsend-chart-key")
    assert_accessible(page, "v08-three-views")
